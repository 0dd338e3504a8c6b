// libFuzzer target: an OCSP request as any local process may POST it to the gateway's
// responder for charon (issue 16, S-10). Whatever comes in, the answer is a DER OCSPResponse:
// answered certificates come with a successful, signed response, a refusal with a reason.
// The corpus asks about certificates of the CA below (a public test certificate, no key).
#include <openssl/ocsp.h>

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "gateway/ipsec/ocsp_responder.h"

namespace {

constexpr const char* kFuzzCa = R"(-----BEGIN CERTIFICATE-----
MIIBwjCCAWegAwIBAgIUFlO10HPzMkr9tHWW+nyp+4wJjRwwCgYIKoZIzj0EAwIw
NTELMAkGA1UEBhMCSlAxFDASBgNVBAoMC05hbmJ5byBGdXp6MRAwDgYDVQQDDAdG
dXp6IENBMCAXDTI2MTIwMzA2MDMwMVoYDzIxMjYxMTA5MDYwMzAxWjA1MQswCQYD
VQQGEwJKUDEUMBIGA1UECgwLTmFuYnlvIEZ1enoxEDAOBgNVBAMMB0Z1enogQ0Ew
WTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAASvcevszyc6ioQyqxTpN1WqerLwECgC
ORq5luRHEqBZxzFSP5VLfv9ls6efRaJUk4pnGnOv3wnCOqfoZavnxbaXo1MwUTAd
BgNVHQ4EFgQUVT8nUt+6l+4d7H3BiCULArujAQYwHwYDVR0jBBgwFoAUVT8nUt+6
l+4d7H3BiCULArujAQYwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNJADBG
AiEAyscPr1BSqH0jbOcAl8BBcMQ7XQL7USNxJ5nSyBND8UICIQCuuxhVou06kLmm
wCRGZqgAMMsHWd5GTaw18wAACbiBbA==
-----END CERTIFICATE-----
)";

const nanbyo::ipsec::OcspResponder& responder() {
  static const nanbyo::ipsec::OcspResponder instance = [] {
    auto made = nanbyo::ipsec::OcspResponder::create();
    if (!made || !made->set_issuers({kFuzzCa})) std::abort();
    return std::move(*made);
  }();
  return instance;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace nanbyo::ipsec;
  const std::string_view request(reinterpret_cast<const char*>(data), size);
  const OcspOutcome outcome = responder().respond(request, [](const std::string& serial) {
    // Every other serial revoked: both answers are built.
    return serial.size() % 2 == 0
               ? SerialStatus{SerialStatus::State::Revoked, OCSP_REVOKED_STATUS_NOSTATUS, "revoked"}
               : SerialStatus{};
  });
  const auto* in = reinterpret_cast<const unsigned char*>(outcome.response_der.data());
  OCSP_RESPONSE* response =
      d2i_OCSP_RESPONSE(nullptr, &in, static_cast<long>(outcome.response_der.size()));
  if (response == nullptr) std::abort();
  const int status = OCSP_response_status(response);
  OCSP_RESPONSE_free(response);
  const bool answered = !outcome.answered.empty();
  if (answered != (status == OCSP_RESPONSE_STATUS_SUCCESSFUL)) std::abort();
  if (answered == !outcome.error.empty()) std::abort();
  return 0;
}
