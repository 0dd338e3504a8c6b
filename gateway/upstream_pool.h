// Keep-alive connections to upstreams (the application core over loopback TCP
// or a UNIX socket). One pool per worker thread: no locks on the data path.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <string>

#include "gateway/asio.h"
#include "gateway/deadline.h"
#include "gateway/upstream_response.h"
#include "policy/policy.h"

namespace nanbyo::gw {

using UpstreamStream = beast::basic_stream<asio::generic::stream_protocol, Executor>;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// A connection to an upstream with the buffers it reuses from request to request.
struct UpstreamConnection {
  UpstreamConnection(const Executor& executor, policy::UpstreamAddress to)
      : stream(executor), deadline(executor, [this] { stream.close(); }), address(std::move(to)) {}
  UpstreamStream stream;
  Deadline deadline;                // connect and response timeouts (deadline.h)
  policy::UpstreamAddress address;  // where it goes: a reload may move its upstream
  std::string wire;                 // the request's header as sent (http_wire.h)
  beast::flat_buffer buffer;        // the response as read
};

struct ProxyResult {
  bool ok = false;
  UpstreamResponse response;  // when ok
  http::status status{};      // 502 or 504 when !ok
  std::string failure;        // upstream-connect-failed | upstream-timeout | upstream-failed
  std::string detail;
};

class UpstreamPool {
 public:
  explicit UpstreamPool(Executor executor) : executor_(std::move(executor)) {}

  // Sends `request` with `added_fields` (the identity stage's lines) and reads the whole
  // response. A pooled connection that turns out closed is retried once on a fresh one.
  awaitable<ProxyResult> forward(const policy::Upstream& upstream, Request& request,
                                 std::string_view added_fields, std::size_t max_response_bytes);

  std::size_t idle_count() const;

 private:
  awaitable<std::unique_ptr<UpstreamConnection>> connect(const policy::Upstream& upstream,
                                                         beast::error_code& ec);
  std::unique_ptr<UpstreamConnection> take(const policy::Upstream& upstream);
  void drop_idle(const policy::Upstream& upstream);
  void give_back(const policy::Upstream& upstream, std::unique_ptr<UpstreamConnection> connection);

  Executor executor_;
  // By upstream name; each connection knows its address (no key built per request).
  std::map<std::string, std::deque<std::unique_ptr<UpstreamConnection>>, std::less<>> idle_;
};

}  // namespace nanbyo::gw
