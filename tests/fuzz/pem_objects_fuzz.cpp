// libFuzzer target: PEM certificates, CSRs and CRLs from operators and peers,
// and the identity the gateway reads out of a client certificate.
#include <cstdint>
#include <string_view>

#include "pki/names.h"
#include "pki/pem.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace nanbyo;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto cert = pem::decode_certificate(text, "fuzz")) {
    (void)pki::client_identity(cert->get());
    (void)pki::serial_hex(cert->get());
    (void)pki::subject_text(cert->get());
  }
  if (auto req = pem::decode_request(text, "fuzz")) {
    ossl::EvpPkeyPtr key(X509_REQ_get_pubkey(req->get()));
    if (key) (void)X509_REQ_verify(req->get(), key.get());
  }
  (void)pem::decode_crl(text, "fuzz");
  (void)pem::decode_certificates(text, "fuzz");
  return 0;
}
