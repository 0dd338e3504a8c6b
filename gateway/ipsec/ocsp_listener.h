// OCSP over HTTP (RFC 6960 appendix A) on a loopback address, for charon's curl fetcher:
// POST with an application/ocsp-request body, one answer per connection. Runs on the IPsec
// controller's thread; a request over 16 KiB, another method or media type, or a client too
// slow (5 s) is refused without reaching the responder. It lives as long as the controller:
// changing ipsec.ocsp_listen takes a restart.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "gateway/asio.h"
#include "pki/result.h"
#include "policy/policy.h"

namespace nanbyo::ipsec {

// The DER OCSPResponse for a DER OCSPRequest (ocsp_responder.h, with the gateway's state).
using OcspAnswer = std::function<std::string(std::string_view request_der)>;

class OcspListener {
 public:
  // Binds `endpoint` (the policy allows loopback addresses only).
  static Result<std::unique_ptr<OcspListener>> listen(boost::asio::io_context& io,
                                                      const policy::Endpoint& endpoint,
                                                      OcspAnswer answer);
  ~OcspListener();

  const policy::Endpoint& endpoint() const { return endpoint_; }
  std::string uri() const;  // what charon's authority gets as ocsp_uris

 private:
  OcspListener(gw::TcpAcceptor acceptor, policy::Endpoint endpoint, OcspAnswer answer);
  gw::awaitable<void> accept();
  gw::awaitable<void> serve(gw::TcpSocket socket);

  gw::TcpAcceptor acceptor_;
  policy::Endpoint endpoint_;
  OcspAnswer answer_;
  unsigned open_ = 0;
};

}  // namespace nanbyo::ipsec
