#include "pki/pkcs12.h"

#include "pki/ossl_error.h"

namespace nanbyo::pki {

Result<std::string> make_pkcs12(std::string_view friendly_name, EVP_PKEY* key, X509* cert,
                                const std::vector<X509*>& chain, const std::string& password) {
  ossl::X509StackPtr ca(sk_X509_new_null());
  for (X509* c : chain) {
    X509_up_ref(c);
    sk_X509_push(ca.get(), c);
  }
  std::string name(friendly_name);
  ossl::Pkcs12Ptr p12(PKCS12_create_ex(password.c_str(), name.c_str(), key, cert, ca.get(),
                                       NID_aes_256_cbc, NID_aes_256_cbc, PKCS12_DEFAULT_ITER,
                                       PKCS12_DEFAULT_ITER, 0, nullptr, nullptr));
  if (!p12) return fail("cannot create the PKCS#12 file: " + ossl::last_error());
  unsigned char* der = nullptr;
  int len = i2d_PKCS12(p12.get(), &der);
  if (len <= 0) return fail("cannot encode the PKCS#12 file: " + ossl::last_error());
  std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  return out;
}

Result<OpenedPkcs12> open_pkcs12(std::string_view der, const std::string& password,
                                 std::string_view what) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  ossl::Pkcs12Ptr p12(d2i_PKCS12(nullptr, &p, static_cast<long>(der.size())));
  if (!p12) {
    ossl::last_error();
    return fail(std::string(what) + " is not a PKCS#12 file (corrupt or of another format)");
  }
  if (PKCS12_verify_mac(p12.get(), password.c_str(), -1) != 1) {
    ossl::last_error();
    return fail("wrong password for PKCS#12 file " + std::string(what));
  }
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  STACK_OF(X509)* ca = nullptr;
  if (PKCS12_parse(p12.get(), password.c_str(), &key, &cert, &ca) != 1) {
    return fail("cannot read PKCS#12 file " + std::string(what) + ": " + ossl::last_error());
  }
  OpenedPkcs12 out{ossl::EvpPkeyPtr(key), ossl::X509Ptr(cert), {}};
  ossl::X509StackPtr chain(ca);
  while (chain && sk_X509_num(chain.get()) > 0) out.chain.emplace_back(sk_X509_shift(chain.get()));
  if (!out.key || !out.cert) return fail(std::string(what) + " holds no key and certificate pair");
  return out;
}

}  // namespace nanbyo::pki
