// RAII owners for every OpenSSL handle the project uses (CONVENTIONS.md rule 7).
// No *_free call appears anywhere else.
#pragma once

#include <memory>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pkcs12.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace nanbyo::ossl {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};

template <typename T, void (*Free)(T*)>
using Handle = std::unique_ptr<T, Deleter<T, Free>>;

inline void free_x509_stack(STACK_OF(X509) * s) {
  sk_X509_pop_free(s, X509_free);
}
inline void free_crl_stack(STACK_OF(X509_CRL) * s) {
  sk_X509_CRL_pop_free(s, X509_CRL_free);
}
inline void free_ext_stack(STACK_OF(X509_EXTENSION) * s) {
  sk_X509_EXTENSION_pop_free(s, X509_EXTENSION_free);
}
inline void free_bio(BIO* b) {
  BIO_free_all(b);
}

using X509Ptr = Handle<X509, X509_free>;
using X509CrlPtr = Handle<X509_CRL, X509_CRL_free>;
using X509ReqPtr = Handle<X509_REQ, X509_REQ_free>;
using X509NamePtr = Handle<X509_NAME, X509_NAME_free>;
using X509ExtensionPtr = Handle<X509_EXTENSION, X509_EXTENSION_free>;
using X509RevokedPtr = Handle<X509_REVOKED, X509_REVOKED_free>;
using X509StorePtr = Handle<X509_STORE, X509_STORE_free>;
using X509StoreCtxPtr = Handle<X509_STORE_CTX, X509_STORE_CTX_free>;
using X509StackPtr = Handle<STACK_OF(X509), free_x509_stack>;
using X509CrlStackPtr = Handle<STACK_OF(X509_CRL), free_crl_stack>;
using ExtensionStackPtr = Handle<STACK_OF(X509_EXTENSION), free_ext_stack>;
using EvpPkeyPtr = Handle<EVP_PKEY, EVP_PKEY_free>;
using EvpPkeyCtxPtr = Handle<EVP_PKEY_CTX, EVP_PKEY_CTX_free>;
using EvpCipherCtxPtr = Handle<EVP_CIPHER_CTX, EVP_CIPHER_CTX_free>;
using EvpMdCtxPtr = Handle<EVP_MD_CTX, EVP_MD_CTX_free>;
using EvpMacCtxPtr = Handle<EVP_MAC_CTX, EVP_MAC_CTX_free>;
using BioPtr = Handle<BIO, free_bio>;
using BignumPtr = Handle<BIGNUM, BN_free>;
using Asn1IntegerPtr = Handle<ASN1_INTEGER, ASN1_INTEGER_free>;
using Asn1TimePtr = Handle<ASN1_TIME, ASN1_TIME_free>;
using Asn1OctetStringPtr = Handle<ASN1_OCTET_STRING, ASN1_OCTET_STRING_free>;
using Pkcs12Ptr = Handle<PKCS12, PKCS12_free>;
using GeneralNamesPtr = Handle<GENERAL_NAMES, GENERAL_NAMES_free>;
using SslCtxPtr = Handle<SSL_CTX, SSL_CTX_free>;
using SslPtr = Handle<SSL, SSL_free>;

}  // namespace nanbyo::ossl
