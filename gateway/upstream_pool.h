// Keep-alive connections to upstreams (the application core over loopback TCP
// or a UNIX socket). One pool per worker thread: no locks on the data path.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <string>

#include "gateway/asio.h"
#include "policy/policy.h"

namespace nanbyo::gw {

using UpstreamStream = beast::basic_stream<asio::generic::stream_protocol>;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

struct ProxyResult {
  bool ok = false;
  Response response;      // when ok
  http::status status{};  // 502 or 504 when !ok
  std::string failure;    // upstream-connect-failed | upstream-timeout | upstream-failed
  std::string detail;
};

class UpstreamPool {
 public:
  explicit UpstreamPool(asio::any_io_executor executor) : executor_(std::move(executor)) {}

  // Sends `request` and reads the whole response. A pooled connection that
  // turns out closed is retried once on a fresh one.
  awaitable<ProxyResult> forward(const policy::Upstream& upstream, Request& request,
                                 std::size_t max_response_bytes);

  std::size_t idle_count() const;

 private:
  awaitable<std::unique_ptr<UpstreamStream>> connect(const policy::Upstream& upstream,
                                                     beast::error_code& ec);
  std::unique_ptr<UpstreamStream> take(const std::string& key);
  void drop_idle(const policy::Upstream& upstream);
  void give_back(const policy::Upstream& upstream, std::unique_ptr<UpstreamStream> stream);

  asio::any_io_executor executor_;
  std::map<std::string, std::deque<std::unique_ptr<UpstreamStream>>> idle_;
};

}  // namespace nanbyo::gw
