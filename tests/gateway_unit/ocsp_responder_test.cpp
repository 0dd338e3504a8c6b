// The OCSP responder charon asks inside IKE authentication (issue 16, S-8, S-10): its answers
// verify with OpenSSL's own OCSP client checks against the signer charon is given, carry the
// gateway's verdict per serial, echo the nonce, stay fresh for one second only, and a
// malformed or oversized request gets malformedRequest, never a crash.
#include <catch2/catch.hpp>

#include <openssl/ocsp.h>

#include "gateway/ipsec/ocsp_responder.h"
#include "pki/certificate_builder.h"
#include "pki/key_pair.h"
#include "pki/key_signer.h"
#include "pki/names.h"
#include "pki/pem.h"

using namespace nanbyo;
using namespace nanbyo::ipsec;

namespace {

using RequestPtr = ossl::Handle<OCSP_REQUEST, OCSP_REQUEST_free>;
using ResponsePtr = ossl::Handle<OCSP_RESPONSE, OCSP_RESPONSE_free>;
using BasicPtr = ossl::Handle<OCSP_BASICRESP, OCSP_BASICRESP_free>;
using CertIdPtr = ossl::Handle<OCSP_CERTID, OCSP_CERTID_free>;

// A certificate of `kind` for `key`, valid from an hour ago for 30 days.
pki::CertificateRequest request_for(pki::CertificateKind kind, X509_NAME* subject, EVP_PKEY* key) {
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  return {.kind = kind,
          .subject = subject,
          .public_key = key,
          .not_before = now - std::chrono::hours(1),
          .not_after = now + std::chrono::days(30)};
}

struct Ca {
  ossl::X509Ptr cert;
  std::unique_ptr<pki::KeySigner> signer;

  explicit Ca(const std::string& name) {
    auto key = pki::generate_key(pki::KeyAlgorithm::EcdsaP256).value();
    auto subject = pki::ca_subject(name);
    cert = pki::build_self_signed(
               request_for(pki::CertificateKind::RootCa, subject.get(), key.get()), key.get())
               .value();
    ossl::X509Ptr copy(X509_dup(cert.get()));
    signer = pki::make_in_memory_signer(std::move(copy), std::move(key));
  }

  ossl::X509Ptr issue(const std::string& hospital, const std::string& terminal) {
    auto key = pki::generate_key(pki::KeyAlgorithm::EcdsaP256).value();
    auto subject = pki::client_subject({hospital, terminal});
    return pki::build_certificate(
               request_for(pki::CertificateKind::Client, subject.get(), key.get()), *signer)
        .value();
  }

  std::string pem() const { return pem::encode(cert.get()); }
};

std::string request_der(const std::vector<std::pair<X509*, X509*>>& leaf_and_issuer,
                        const EVP_MD* digest = EVP_sha1(), bool nonce = true) {
  RequestPtr request(OCSP_REQUEST_new());
  for (const auto& [leaf, issuer] : leaf_and_issuer) {
    OCSP_CERTID* id = OCSP_cert_to_id(digest, leaf, issuer);
    REQUIRE(OCSP_request_add0_id(request.get(), id) != nullptr);
  }
  if (nonce) REQUIRE(OCSP_request_add1_nonce(request.get(), nullptr, 16) == 1);
  unsigned char* out = nullptr;
  const int length = i2d_OCSP_REQUEST(request.get(), &out);
  std::string der(reinterpret_cast<char*>(out), static_cast<std::size_t>(length));
  OPENSSL_free(out);
  return der;
}

RequestPtr parse_request(const std::string& der) {
  const auto* in = reinterpret_cast<const unsigned char*>(der.data());
  return RequestPtr(d2i_OCSP_REQUEST(nullptr, &in, static_cast<long>(der.size())));
}

ResponsePtr parse_response(const std::string& der) {
  const auto* in = reinterpret_cast<const unsigned char*>(der.data());
  return ResponsePtr(d2i_OCSP_RESPONSE(nullptr, &in, static_cast<long>(der.size())));
}

// What a relying party reads for `leaf`: status and reason, after verifying the signature
// with the signer as the only trusted certificate.
struct Read {
  int status = -1;
  int reason = -1;
  bool fresh = false;
};

Read read_status(const std::string& response_der, const std::string& signer_pem, X509* leaf,
                 X509* issuer, OCSP_REQUEST* request) {
  auto response = parse_response(response_der);
  REQUIRE(response);
  REQUIRE(OCSP_response_status(response.get()) == OCSP_RESPONSE_STATUS_SUCCESSFUL);
  BasicPtr basic(OCSP_response_get1_basic(response.get()));
  REQUIRE(basic);
  auto signer = pem::decode_certificate(signer_pem, "signer").value();
  ossl::X509StackPtr trusted(sk_X509_new_null());
  sk_X509_push(trusted.get(), signer.get());
  ossl::X509StorePtr store(X509_STORE_new());
  CHECK(OCSP_basic_verify(basic.get(), trusted.get(), store.get(), OCSP_TRUSTOTHER) == 1);
  sk_X509_pop(trusted.get());
  CHECK(OCSP_check_nonce(request, basic.get()) == 1);
  CertIdPtr id(OCSP_cert_to_id(EVP_sha1(), leaf, issuer));
  Read read;
  ASN1_GENERALIZEDTIME *revoked_at = nullptr, *this_update = nullptr, *next_update = nullptr;
  REQUIRE(OCSP_resp_find_status(basic.get(), id.get(), &read.status, &read.reason, &revoked_at,
                                &this_update, &next_update) == 1);
  read.fresh = next_update != nullptr && OCSP_check_validity(this_update, next_update, 0, -1) == 1;
  return read;
}

}  // namespace

TEST_CASE("S-10 the OCSP responder answers charon with the gateway's verdict per serial",
          "[ipsec][ocsp]") {
  Ca ca("Nanbyo Test CA");
  auto good = ca.issue("1310000001", "pc01");
  auto revoked = ca.issue("1310000001", "pc02");
  auto responder = OcspResponder::create().value();
  REQUIRE(responder.set_issuers({ca.pem()}));
  const std::string revoked_serial = pki::serial_hex(revoked.get());
  auto status_of = [&](const std::string& serial) {
    if (serial == revoked_serial) {
      return SerialStatus{SerialStatus::State::Revoked, OCSP_REVOKED_STATUS_PRIVILEGEWITHDRAWN,
                          "blocked"};
    }
    return SerialStatus{};
  };

  SECTION("a good and a revoked certificate in one request") {
    const std::string der =
        request_der({{good.get(), ca.cert.get()}, {revoked.get(), ca.cert.get()}});
    auto request = parse_request(der);
    const OcspOutcome outcome = responder.respond(der, status_of);
    CHECK(outcome.error.empty());
    REQUIRE(outcome.answered.size() == 2);
    CHECK(outcome.answered[0].status == "good");
    CHECK(outcome.answered[1].status == "revoked");
    CHECK(outcome.answered[1].check == "blocked");
    CHECK(outcome.answered[1].serial == revoked_serial);
    const Read first = read_status(outcome.response_der, responder.signer_pem(), good.get(),
                                   ca.cert.get(), request.get());
    CHECK(first.status == V_OCSP_CERTSTATUS_GOOD);
    CHECK(first.fresh);
    const Read second = read_status(outcome.response_der, responder.signer_pem(), revoked.get(),
                                    ca.cert.get(), request.get());
    CHECK(second.status == V_OCSP_CERTSTATUS_REVOKED);
    CHECK(second.reason == OCSP_REVOKED_STATUS_PRIVILEGEWITHDRAWN);
  }

  SECTION("an answer is valid for one second, so charon asks again for every authentication") {
    const std::string der = request_der({{good.get(), ca.cert.get()}});
    const std::time_t now = std::time(nullptr);
    const OcspOutcome outcome = responder.respond(der, status_of, now - 5);
    auto response = parse_response(outcome.response_der);
    BasicPtr basic(OCSP_response_get1_basic(response.get()));
    CertIdPtr id(OCSP_cert_to_id(EVP_sha1(), good.get(), ca.cert.get()));
    int status = 0, reason = 0;
    ASN1_GENERALIZEDTIME *revoked_at = nullptr, *this_update = nullptr, *next_update = nullptr;
    REQUIRE(OCSP_resp_find_status(basic.get(), id.get(), &status, &reason, &revoked_at,
                                  &this_update, &next_update) == 1);
    CHECK(OCSP_check_validity(this_update, next_update, 0, -1) == 0);  // stale 4 s later
  }

  SECTION("SHA-256 certificate ids are answered as well") {
    const std::string der = request_der({{revoked.get(), ca.cert.get()}}, EVP_sha256());
    const OcspOutcome outcome = responder.respond(der, status_of);
    REQUIRE(outcome.answered.size() == 1);
    CHECK(outcome.answered[0].status == "revoked");
  }

  SECTION("a certificate of another CA is unknown, whatever its serial") {
    Ca other("Other CA");
    auto stranger = other.issue("1310000001", "pc01");
    const std::string der = request_der({{stranger.get(), other.cert.get()}});
    auto request = parse_request(der);
    const OcspOutcome outcome = responder.respond(der, status_of);
    REQUIRE(outcome.answered.size() == 1);
    CHECK(outcome.answered[0].status == "unknown");
    const Read read = read_status(outcome.response_der, responder.signer_pem(), stranger.get(),
                                  other.cert.get(), request.get());
    CHECK(read.status == V_OCSP_CERTSTATUS_UNKNOWN);
  }

  SECTION("bad requests get malformedRequest and a reason") {
    const std::string valid = request_der({{good.get(), ca.cert.get()}});
    const std::vector<std::pair<std::string, std::string>> cases{
        {"", "an empty request"},
        {"not DER at all", "not a DER OCSPRequest"},
        {valid.substr(0, valid.size() - 3), "not a DER OCSPRequest"},
        {valid + "x", "bytes after the OCSPRequest"},
        {std::string(20'000, '0'), "bytes (at most 16384)"},
    };
    for (const auto& [der, why] : cases) {
      const OcspOutcome outcome = responder.respond(der, status_of);
      CHECK(outcome.answered.empty());
      CHECK_THAT(outcome.error, Catch::Contains(why));
      auto response = parse_response(outcome.response_der);
      REQUIRE(response);
      CHECK(OCSP_response_status(response.get()) == OCSP_RESPONSE_STATUS_MALFORMEDREQUEST);
    }
    std::vector<std::pair<X509*, X509*>> many(17, {good.get(), ca.cert.get()});
    const OcspOutcome outcome = responder.respond(request_der(many), status_of);
    CHECK_THAT(outcome.error, Catch::Contains("17 certificates"));
  }

  SECTION("the signer is a self-signed OCSP signing certificate, not a CA") {
    auto signer = pem::decode_certificate(responder.signer_pem(), "signer").value();
    CHECK((X509_get_extended_key_usage(signer.get()) & XKU_OCSP_SIGN) != 0);
    CHECK(X509_check_ca(signer.get()) == 0);
    CHECK(X509_NAME_cmp(X509_get_subject_name(signer.get()), X509_get_issuer_name(signer.get())) ==
          0);
    CHECK(X509_verify(signer.get(), X509_get0_pubkey(signer.get())) == 1);
  }
}
