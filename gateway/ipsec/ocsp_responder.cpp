#include "gateway/ipsec/ocsp_responder.h"

#include <openssl/ocsp.h>

#include "pki/certificate_builder.h"
#include "pki/key_pair.h"
#include "pki/names.h"
#include "pki/ossl_error.h"
#include "pki/pem.h"

namespace nanbyo::ipsec {
namespace {

using OcspRequestPtr = ossl::Handle<OCSP_REQUEST, OCSP_REQUEST_free>;
using OcspResponsePtr = ossl::Handle<OCSP_RESPONSE, OCSP_RESPONSE_free>;
using OcspBasicPtr = ossl::Handle<OCSP_BASICRESP, OCSP_BASICRESP_free>;
using OcspCertIdPtr = ossl::Handle<OCSP_CERTID, OCSP_CERTID_free>;

constexpr std::size_t kMaxRequest = 16 * 1024;
constexpr int kMaxCertificates = 16;
// The signer outlives any gateway run; it is made again at every start.
constexpr auto kSignerLifetime = std::chrono::days(366);

std::string der_of(OCSP_RESPONSE* response) {
  unsigned char* out = nullptr;
  const int length = i2d_OCSP_RESPONSE(response, &out);
  if (length <= 0) return {};
  std::string der(reinterpret_cast<const char*>(out), static_cast<std::size_t>(length));
  OPENSSL_free(out);
  return der;
}

std::string refusal(int status) {
  OcspResponsePtr response(OCSP_response_create(status, nullptr));
  return response ? der_of(response.get()) : std::string{};
}

std::string serial_text(const ASN1_INTEGER* serial) {
  ossl::BignumPtr bn(ASN1_INTEGER_to_BN(serial, nullptr));
  if (!bn) return {};
  char* hex = BN_bn2hex(bn.get());
  std::string out(hex ? hex : "");
  OPENSSL_free(hex);
  return out;
}

// The CA of `issuers` that the CertID names (its name and key hashes, in the CertID's own
// hash algorithm), or null.
X509* issuer_of(OCSP_CERTID* id, const std::vector<ossl::X509Ptr>& issuers) {
  ASN1_OBJECT* algorithm = nullptr;
  if (OCSP_id_get0_info(nullptr, &algorithm, nullptr, nullptr, id) != 1) return nullptr;
  const EVP_MD* digest = EVP_get_digestbyobj(algorithm);
  if (digest == nullptr) return nullptr;
  for (const auto& issuer : issuers) {
    OcspCertIdPtr own(OCSP_cert_id_new(digest, X509_get_subject_name(issuer.get()),
                                       X509_get0_pubkey_bitstr(issuer.get()), nullptr));
    if (own && OCSP_id_issuer_cmp(own.get(), id) == 0) return issuer.get();
  }
  return nullptr;
}

}  // namespace

Result<OcspResponder> OcspResponder::create() {
  OcspResponder responder;
  NANBYO_TRY(key, pki::generate_key(pki::KeyAlgorithm::EcdsaP256));
  ossl::X509NamePtr subject = pki::server_subject("nanbyo-gateway OCSP signer");
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  pki::CertificateRequest request{.kind = pki::CertificateKind::OcspSigner,
                                  .subject = subject.get(),
                                  .public_key = key.get(),
                                  .not_before = now - std::chrono::minutes(5),
                                  .not_after = now + kSignerLifetime};
  NANBYO_TRY(signer, pki::build_self_signed(request, key.get()));
  responder.signer_pem_ = pem::encode(signer.get());
  responder.signer_ = std::move(signer);
  responder.key_ = std::move(key);
  return responder;
}

Result<void> OcspResponder::set_issuers(const std::vector<std::string>& issuers_pem) {
  std::vector<ossl::X509Ptr> issuers;
  for (const auto& pem : issuers_pem) {
    NANBYO_TRY(issuer, pem::decode_certificate(pem, "ipsec.client_ca"));
    issuers.push_back(std::move(issuer));
  }
  issuers_ = std::move(issuers);
  return {};
}

OcspOutcome OcspResponder::respond(std::string_view request_der, const StatusOf& status_of,
                                   std::time_t now) const {
  OcspOutcome outcome;
  auto malformed = [&outcome](std::string why) {
    outcome.error = std::move(why);
    outcome.response_der = refusal(OCSP_RESPONSE_STATUS_MALFORMEDREQUEST);
    return outcome;
  };
  if (request_der.empty()) return malformed("an empty request");
  if (request_der.size() > kMaxRequest) {
    return malformed("a request of " + std::to_string(request_der.size()) + " bytes (at most " +
                     std::to_string(kMaxRequest) + ")");
  }
  const auto* in = reinterpret_cast<const unsigned char*>(request_der.data());
  OcspRequestPtr request(d2i_OCSP_REQUEST(nullptr, &in, static_cast<long>(request_der.size())));
  if (!request) return malformed("not a DER OCSPRequest: " + ossl::last_error());
  if (in != reinterpret_cast<const unsigned char*>(request_der.data()) + request_der.size()) {
    return malformed("bytes after the OCSPRequest");
  }
  const int count = OCSP_request_onereq_count(request.get());
  if (count < 1 || count > kMaxCertificates) {
    return malformed("a request for " + std::to_string(count) + " certificates (1 to " +
                     std::to_string(kMaxCertificates) + ")");
  }
  OcspBasicPtr basic(OCSP_BASICRESP_new());
  ossl::Asn1TimePtr this_update(ASN1_TIME_set(nullptr, now));
  ossl::Asn1TimePtr next_update(ASN1_TIME_set(nullptr, now + 1));
  ossl::Asn1TimePtr revoked_at(ASN1_TIME_set(nullptr, now - 1));
  if (!basic || !this_update || !next_update || !revoked_at) return malformed("out of memory");
  for (int i = 0; i < count; ++i) {
    OCSP_CERTID* id = OCSP_onereq_get0_id(OCSP_request_onereq_get0(request.get(), i));
    ASN1_INTEGER* serial = nullptr;
    if (id == nullptr || OCSP_id_get0_info(nullptr, nullptr, nullptr, &serial, id) != 1) {
      return malformed("a request without a certificate id");
    }
    OcspAnswered answered{.serial = serial_text(serial), .status = "unknown", .check = ""};
    int state = V_OCSP_CERTSTATUS_UNKNOWN;
    int reason = 0;
    if (!answered.serial.empty() && issuer_of(id, issuers_) != nullptr) {
      const SerialStatus known = status_of(answered.serial);
      const bool revoked = known.state == SerialStatus::State::Revoked;
      state = revoked ? V_OCSP_CERTSTATUS_REVOKED : V_OCSP_CERTSTATUS_GOOD;
      reason = known.reason;
      answered.status = revoked ? "revoked" : "good";
      answered.check = revoked ? known.check : "";
    }
    if (OCSP_basic_add1_status(basic.get(), id, state, reason,
                               state == V_OCSP_CERTSTATUS_REVOKED ? revoked_at.get() : nullptr,
                               this_update.get(), next_update.get()) == nullptr) {
      return malformed("cannot answer: " + ossl::last_error());
    }
    outcome.answered.push_back(std::move(answered));
  }
  // charon sends a nonce and checks that it comes back.
  if (OCSP_copy_nonce(basic.get(), request.get()) <= 0 ||
      OCSP_basic_sign(basic.get(), signer_.get(), key_.get(), EVP_sha256(), nullptr,
                      OCSP_NOCERTS) != 1) {
    outcome.answered.clear();
    outcome.error = "cannot sign the answer: " + ossl::last_error();
    outcome.response_der = refusal(OCSP_RESPONSE_STATUS_INTERNALERROR);
    return outcome;
  }
  OcspResponsePtr response(OCSP_response_create(OCSP_RESPONSE_STATUS_SUCCESSFUL, basic.get()));
  outcome.response_der = response ? der_of(response.get()) : std::string{};
  return outcome;
}

}  // namespace nanbyo::ipsec
