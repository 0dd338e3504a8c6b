#include "gateway/tund/fd_passing.h"

#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "pki/errno_text.h"

namespace nanbyo::tund {
namespace {

// Closes every descriptor of the control part; returns the first if it was the only one.
UniqueFd take_descriptors(msghdr& message, bool& too_many) {
  UniqueFd first;
  too_many = false;
  for (cmsghdr* c = CMSG_FIRSTHDR(&message); c != nullptr; c = CMSG_NXTHDR(&message, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
    const std::size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (std::size_t i = 0; i < count; ++i) {
      int fd = -1;
      std::memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
      UniqueFd owned(fd);
      if (!first) {
        first = std::move(owned);
      } else {
        too_many = true;
      }
    }
  }
  return first;
}

}  // namespace

Result<void> send_message(int socket, std::string_view text, int fd) {
  iovec part{const_cast<char*>(text.data()), text.size()};
  msghdr message{};
  message.msg_iov = &part;
  message.msg_iovlen = 1;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))]{};
  if (fd >= 0) {
    message.msg_control = control;
    message.msg_controllen = sizeof(control);
    cmsghdr* c = CMSG_FIRSTHDR(&message);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(c), &fd, sizeof(int));
  }
  ssize_t sent;
  do {
    sent = ::sendmsg(socket, &message, MSG_NOSIGNAL);
  } while (sent < 0 && errno == EINTR);
  if (sent < 0) return fail("send: " + errno_text());
  if (static_cast<std::size_t>(sent) != text.size()) return fail("send: message cut short");
  return {};
}

Result<Received> receive_message(int socket, std::size_t max_size) {
  std::vector<char> buffer(max_size + 1);  // one byte more tells a message that was too long
  iovec part{buffer.data(), buffer.size()};
  msghdr message{};
  message.msg_iov = &part;
  message.msg_iovlen = 1;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * 4)]{};
  message.msg_control = control;
  message.msg_controllen = sizeof(control);
  ssize_t got;
  do {
    got = ::recvmsg(socket, &message, MSG_CMSG_CLOEXEC);
  } while (got < 0 && errno == EINTR);
  if (got < 0) return fail("receive: " + errno_text());
  bool too_many = false;
  UniqueFd fd = take_descriptors(message, too_many);
  if (got == 0) return fail("receive: the peer closed the connection");
  if ((message.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) != 0 ||
      static_cast<std::size_t>(got) > max_size) {
    return fail("receive: message too long");
  }
  if (too_many) return fail("receive: more than one descriptor");
  return Received{std::string(buffer.data(), static_cast<std::size_t>(got)), std::move(fd)};
}

}  // namespace nanbyo::tund
