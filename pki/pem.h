// PEM encoding and decoding of certificates, keys, CRLs and requests.
// Decoders take untrusted text and answer with a Result naming what was wrong.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pki/ossl_handles.h"
#include "pki/result.h"
#include "pki/secret.h"

namespace nanbyo::pem {

std::string encode(X509* cert);
std::string encode(X509_CRL* crl);
std::string encode_private_key(EVP_PKEY* key);  // unencrypted PKCS#8; callers write it 0600
// PKCS#8 EncryptedPrivateKeyInfo (issue 13: CA keys encrypted at rest): PBES2 with
// AES-256-CBC, key from PBKDF2-HMAC-SHA256 with kKeyPbkdf2Iterations and a random salt.
inline constexpr int kKeyPbkdf2Iterations = 200'000;
Result<std::string> encode_encrypted_private_key(EVP_PKEY* key, const Secret& passphrase);
bool is_encrypted_private_key(std::string_view pem);

Result<ossl::X509Ptr> decode_certificate(std::string_view pem, std::string_view what);
Result<std::vector<ossl::X509Ptr>> decode_certificates(std::string_view pem, std::string_view what);
// An encrypted key needs `passphrase`; without one the message says how to give it. Never
// prompts on a terminal.
Result<ossl::EvpPkeyPtr> decode_private_key(std::string_view pem, std::string_view what,
                                            const Secret* passphrase = nullptr);
Result<ossl::X509ReqPtr> decode_request(std::string_view pem, std::string_view what);
Result<ossl::X509CrlPtr> decode_crl(std::string_view pem, std::string_view what);
// Every CRL of a PEM bundle (crl.pem holds the issuing CA's and the root CA's).
Result<std::vector<ossl::X509CrlPtr>> decode_crls(std::string_view pem, std::string_view what);

}  // namespace nanbyo::pem
