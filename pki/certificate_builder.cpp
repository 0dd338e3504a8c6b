#include "pki/certificate_builder.h"

#include "pki/ossl_error.h"
#include "pki/random.h"

namespace nanbyo::pki {
namespace {

Result<void> add_extension(X509* cert, X509V3_CTX* ctx, int nid, const std::string& value) {
  ossl::X509ExtensionPtr ext(X509V3_EXT_conf_nid(nullptr, ctx, nid, value.c_str()));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) {
    return fail("cannot add extension " + std::string(OBJ_nid2sn(nid)) + ": " + ossl::last_error());
  }
  return {};
}

std::string subject_alt_names(const CertificateRequest& r) {
  std::string out;
  for (const auto& d : r.dns_names) out += (out.empty() ? "" : ",") + ("DNS:" + d);
  for (const auto& a : r.ip_addresses) out += (out.empty() ? "" : ",") + ("IP:" + a);
  return out;
}

Result<void> add_profile_extensions(X509* cert, X509* issuer, const CertificateRequest& r) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer ? issuer : cert, cert, nullptr, nullptr, 0);
  const bool rsa = EVP_PKEY_is_a(r.public_key, "RSA");
  switch (r.kind) {
    case CertificateKind::RootCa:
      NANBYO_TRY_VOID(add_extension(cert, &ctx, NID_basic_constraints, "critical,CA:TRUE"));
      NANBYO_TRY_VOID(add_extension(cert, &ctx, NID_key_usage, "critical,keyCertSign,cRLSign"));
      if (!r.permitted.empty()) {
        NANBYO_TRY(constraints, name_constraints_config(r.permitted));
        NANBYO_TRY_VOID(add_extension(cert, &ctx, NID_name_constraints, constraints));
      }
      break;
    case CertificateKind::IssuingCa:
      NANBYO_TRY_VOID(
          add_extension(cert, &ctx, NID_basic_constraints, "critical,CA:TRUE,pathlen:0"));
      NANBYO_TRY_VOID(add_extension(cert, &ctx, NID_key_usage, "critical,keyCertSign,cRLSign"));
      break;
    case CertificateKind::Server:
      NANBYO_TRY_VOID(add_extension(cert, &ctx, NID_basic_constraints, "critical,CA:FALSE"));
      NANBYO_TRY_VOID(add_extension(
          cert, &ctx, NID_key_usage,
          rsa ? "critical,digitalSignature,keyEncipherment" : "critical,digitalSignature"));
      NANBYO_TRY_VOID(add_extension(cert, &ctx, NID_ext_key_usage, "serverAuth"));
      NANBYO_TRY_VOID(add_extension(cert, &ctx, NID_subject_alt_name, subject_alt_names(r)));
      break;
    case CertificateKind::Client:
      NANBYO_TRY_VOID(add_extension(cert, &ctx, NID_basic_constraints, "critical,CA:FALSE"));
      NANBYO_TRY_VOID(add_extension(cert, &ctx, NID_key_usage, "critical,digitalSignature"));
      NANBYO_TRY_VOID(add_extension(cert, &ctx, NID_ext_key_usage, "clientAuth"));
      break;
    case CertificateKind::OcspSigner:
      NANBYO_TRY_VOID(add_extension(cert, &ctx, NID_basic_constraints, "critical,CA:FALSE"));
      NANBYO_TRY_VOID(add_extension(cert, &ctx, NID_key_usage, "critical,digitalSignature"));
      NANBYO_TRY_VOID(add_extension(cert, &ctx, NID_ext_key_usage, "OCSPSigning"));
      break;
  }
  NANBYO_TRY_VOID(add_extension(cert, &ctx, NID_subject_key_identifier, "hash"));
  if (r.kind != CertificateKind::RootCa && r.kind != CertificateKind::OcspSigner) {
    NANBYO_TRY_VOID(add_extension(cert, &ctx, NID_authority_key_identifier, "keyid:always"));
  }
  return {};
}

Result<ossl::X509Ptr> build_unsigned(const CertificateRequest& r, X509* issuer) {
  ossl::X509Ptr cert(X509_new());
  auto serial = random_serial();
  ossl::Asn1TimePtr not_before(ASN1_TIME_set(nullptr, r.not_before.time_since_epoch().count()));
  ossl::Asn1TimePtr not_after(ASN1_TIME_set(nullptr, r.not_after.time_since_epoch().count()));
  if (r.not_after <= r.not_before) return fail("certificate validity must be at least one day");
  if (X509_set_version(cert.get(), X509_VERSION_3) != 1 ||
      X509_set_serialNumber(cert.get(), serial.get()) != 1 ||
      X509_set_subject_name(cert.get(), r.subject) != 1 ||
      X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : r.subject) != 1 ||
      X509_set1_notBefore(cert.get(), not_before.get()) != 1 ||
      X509_set1_notAfter(cert.get(), not_after.get()) != 1 ||
      X509_set_pubkey(cert.get(), r.public_key) != 1) {
    return fail("cannot build the certificate: " + ossl::last_error());
  }
  NANBYO_TRY_VOID(add_profile_extensions(cert.get(), issuer, r));
  return cert;
}

}  // namespace

ossl::Asn1IntegerPtr random_serial() {
  std::string bytes = random_bytes(16);
  bytes[0] = static_cast<char>((bytes[0] & 0x7f) | 0x40);  // positive, always 16 octets
  ossl::BignumPtr bn(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()), 16, nullptr));
  return ossl::Asn1IntegerPtr(BN_to_ASN1_INTEGER(bn.get(), nullptr));
}

Result<ossl::X509Ptr> build_certificate(const CertificateRequest& request, KeySigner& issuer) {
  NANBYO_TRY(cert, build_unsigned(request, issuer.certificate()));
  NANBYO_TRY_VOID(issuer.sign(cert.get()));
  return cert;
}

Result<ossl::X509Ptr> build_self_signed(const CertificateRequest& request, EVP_PKEY* self_key) {
  NANBYO_TRY(cert, build_unsigned(request, nullptr));
  if (X509_sign(cert.get(), self_key, EVP_sha256()) <= 0) {
    return fail("self-signing failed: " + ossl::last_error());
  }
  return cert;
}

}  // namespace nanbyo::pki
