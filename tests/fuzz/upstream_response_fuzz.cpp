// libFuzzer target: the upstream's response as the client gets it (issue 15). The first
// byte picks how many bytes each read brings and whether the request was a HEAD; the rest
// is the upstream's answer. A response the parser finishes goes out as a header of whole
// "Name: value" lines without a bare CR or LF, with no hop-by-hop field and no session
// header, and with exactly one framing of its own.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <boost/asio/buffer.hpp>

#include "gateway/stages/ascii_case.h"
#include "gateway/upstream_response.h"

namespace {

using namespace nanbyo::gw;

void check_header(const std::string& header) {
  if (!header.ends_with("\r\n\r\n")) std::abort();
  std::string_view rest(header);
  rest.remove_prefix(rest.find("\r\n") + 2);  // the status line
  int lengths = 0;
  while (rest != "\r\n") {
    const auto end = rest.find("\r\n");
    const std::string_view line = rest.substr(0, end);
    if (line.find_first_of("\r\n") != std::string_view::npos) std::abort();
    const auto colon = line.find(": ");
    if (colon == std::string_view::npos || colon == 0) std::abort();
    const std::string_view name = line.substr(0, colon);
    for (const char* hop : {"Connection", "Keep-Alive", "Transfer-Encoding", "TE", "Trailer",
                            "Upgrade", "Proxy-Connection", "X-Nanbyo-Session"}) {
      if (equals_ignoring_case(name, hop) &&
          !(equals_ignoring_case(name, "Connection") && line.substr(colon + 2) == "close"))
        std::abort();
    }
    if (equals_ignoring_case(name, "Content-Length")) ++lengths;
    rest.remove_prefix(end + 2);
  }
  if (lengths > 1) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::size_t step = 1 + data[0] % 32;
  const bool head = data[0] & 0x80;
  const std::string wire(reinterpret_cast<const char*>(data) + 1, size - 1);
  UpstreamResponse response;
  UpstreamResponseParser parser(response);
  parser.body_limit(1 << 16);
  parser.skip(head);
  std::string pending;
  beast::error_code ec;
  for (std::size_t at = 0; at < wire.size() && !parser.is_done(); at += step) {
    pending.append(wire, at, step);
    pending.erase(0, parser.put(boost::asio::buffer(pending), ec));
    if (ec && ec != http::error::need_more) return 0;
  }
  if (!parser.is_done()) {
    parser.put_eof(ec);
    if (ec || !parser.is_done()) return 0;
  }
  std::string header;
  serialize_header(response, 11, parser.keep_alive(), head, header);
  check_header(header);
  return 0;
}
