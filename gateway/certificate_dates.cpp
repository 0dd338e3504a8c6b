#include "gateway/certificate_dates.h"

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <ctime>

#include "pki/atomic_file.h"
#include "pki/names.h"
#include "pki/ossl_handles.h"
#include "pki/pem.h"

namespace nanbyo::gw {
namespace {

int64_t unix_time(const ASN1_TIME* t) {
  if (!t) return 0;
  std::tm tm{};
  if (ASN1_TIME_to_tm(t, &tm) != 1) return 0;
  return static_cast<int64_t>(timegm(&tm));
}

// RFC 2253, as pki::subject_text writes a certificate's subject.
std::string name_text(const X509_NAME* name) {
  ossl::BioPtr bio(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

}  // namespace

std::set<std::filesystem::path> crl_files(const policy::Policy& policy) {
  std::set<std::filesystem::path> files;
  for (const auto& l : policy.listeners) {
    if (!l.tls.crl.empty()) files.insert(l.tls.crl);
  }
  if (policy.ipsec) files.insert(policy.ipsec->crl);
  return files;
}

std::vector<CertificateDate> certificate_dates(const Runtime& runtime) {
  std::vector<CertificateDate> out;
  for (const auto& [listener, context] : runtime.tls) {
    SSL_CTX* ctx = context->native_handle();
    if (X509* server = SSL_CTX_get0_certificate(ctx)) {
      out.push_back(
          {"server", listener, pki::subject_text(server), unix_time(X509_get0_notAfter(server))});
    }
    X509_STORE* store = SSL_CTX_get_cert_store(ctx);
    if (!store) continue;
    STACK_OF(X509_OBJECT)* objects = X509_STORE_get0_objects(store);
    for (int i = 0; i < sk_X509_OBJECT_num(objects); ++i) {
      X509* ca = X509_OBJECT_get0_X509(sk_X509_OBJECT_value(objects, i));
      if (ca) {
        out.push_back({"ca", listener, pki::subject_text(ca), unix_time(X509_get0_notAfter(ca))});
      }
    }
  }
  // IPsec's certificate and CAs go to charon from their files (gateway/ipsec/): read them there.
  if (const auto& ipsec = runtime.policy->ipsec) {
    auto add_file = [&out, &ipsec](const std::filesystem::path& file, const char* role) {
      auto text = read_file(file);
      if (!text) return;
      auto certificates = pem::decode_certificates(*text, file.string());
      if (!certificates) return;
      for (const auto& c : *certificates) {
        out.push_back({role, ipsec->name, pki::subject_text(c.get()),
                       unix_time(X509_get0_notAfter(c.get()))});
        if (std::string_view(role) == "server") break;  // the chain after it is not the server's
      }
    };
    add_file(ipsec->certificate, "server");
    add_file(ipsec->client_ca, "ca");
  }
  return out;
}

std::vector<CrlDate> crl_dates(const std::set<std::filesystem::path>& files) {
  std::vector<CrlDate> out;
  for (const auto& file : files) {
    auto text = read_file(file);
    if (!text) continue;
    auto crls = pem::decode_crls(*text, file.string());
    if (!crls) continue;
    for (const auto& crl : *crls) {
      out.push_back({file.string(), name_text(X509_CRL_get_issuer(crl.get())),
                     unix_time(X509_CRL_get0_nextUpdate(crl.get()))});
    }
  }
  return out;
}

}  // namespace nanbyo::gw
