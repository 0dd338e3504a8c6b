// One message with at most one file descriptor over a SOCK_SEQPACKET UNIX socket (SCM_RIGHTS):
// how nanbyo-tund hands a TUN descriptor to the gateway (issue 13).
#pragma once

#include <string>
#include <string_view>

#include "pki/audit/unique_fd.h"
#include "pki/result.h"

namespace nanbyo::tund {

using audit::UniqueFd;

// `fd` < 0: the message goes without a descriptor.
Result<void> send_message(int socket, std::string_view text, int fd = -1);

struct Received {
  std::string text;
  UniqueFd fd;  // empty when none came
};

// One message of at most `max_size` bytes. A truncated message or control part, or more than
// one descriptor, is an error (every descriptor that came is closed). Descriptors arrive with
// close-on-exec set.
Result<Received> receive_message(int socket, std::size_t max_size);

}  // namespace nanbyo::tund
