#include "pki/crl_builder.h"

#include "pki/ossl_error.h"

namespace nanbyo::pki {
namespace {

Result<void> add_revoked(X509_CRL* crl, const RevokedEntry& entry) {
  ossl::X509RevokedPtr revoked(X509_REVOKED_new());
  BIGNUM* raw = nullptr;
  if (BN_hex2bn(&raw, entry.serial.c_str()) == 0) return fail("bad serial " + entry.serial);
  ossl::BignumPtr bn(raw);
  ossl::Asn1IntegerPtr serial(BN_to_ASN1_INTEGER(bn.get(), nullptr));
  ossl::Asn1TimePtr when(ASN1_TIME_set(nullptr, entry.revoked_at.time_since_epoch().count()));
  if (X509_REVOKED_set_serialNumber(revoked.get(), serial.get()) != 1 ||
      X509_REVOKED_set_revocationDate(revoked.get(), when.get()) != 1) {
    return fail("cannot add " + entry.serial + " to the CRL: " + ossl::last_error());
  }
  if (entry.reason != 0) {  // RFC 5280: unspecified SHOULD be absent
    ossl::Handle<ASN1_ENUMERATED, ASN1_ENUMERATED_free> code(ASN1_ENUMERATED_new());
    ASN1_ENUMERATED_set(code.get(), entry.reason);
    X509_REVOKED_add1_ext_i2d(revoked.get(), NID_crl_reason, code.get(), 0, 0);
  }
  X509_CRL_add0_revoked(crl, revoked.release());
  return {};
}

}  // namespace

Result<ossl::X509CrlPtr> build_crl(const CrlSpec& spec, KeySigner& issuer) {
  ossl::X509CrlPtr crl(X509_CRL_new());
  X509* ca = issuer.certificate();
  ossl::Asn1TimePtr this_update(
      ASN1_TIME_set(nullptr, spec.this_update.time_since_epoch().count()));
  ossl::Asn1TimePtr next_update(
      ASN1_TIME_set(nullptr, spec.next_update.time_since_epoch().count()));
  if (X509_CRL_set_version(crl.get(), X509_CRL_VERSION_2) != 1 ||
      X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(ca)) != 1 ||
      X509_CRL_set1_lastUpdate(crl.get(), this_update.get()) != 1 ||
      X509_CRL_set1_nextUpdate(crl.get(), next_update.get()) != 1) {
    return fail("cannot build the CRL: " + ossl::last_error());
  }
  for (const auto& entry : spec.revoked) NANBYO_TRY_VOID(add_revoked(crl.get(), entry));

  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, ca, nullptr, nullptr, crl.get(), 0);
  ossl::X509ExtensionPtr aki(
      X509V3_EXT_conf_nid(nullptr, &ctx, NID_authority_key_identifier, "keyid:always"));
  ossl::Asn1IntegerPtr number(ASN1_INTEGER_new());
  ASN1_INTEGER_set_int64(number.get(), spec.number);
  if (!aki || X509_CRL_add_ext(crl.get(), aki.get(), -1) != 1 ||
      X509_CRL_add1_ext_i2d(crl.get(), NID_crl_number, number.get(), 0, 0) != 1) {
    return fail("cannot add CRL extensions: " + ossl::last_error());
  }
  X509_CRL_sort(crl.get());
  NANBYO_TRY_VOID(issuer.sign(crl.get()));
  return crl;
}

}  // namespace nanbyo::pki
