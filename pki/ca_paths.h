// Where a CA directory keeps its files. Private keys live under private/ (0700),
// each key file 0600.
#pragma once

#include <filesystem>

namespace nanbyo::pki {

struct CaPaths {
  std::filesystem::path dir;

  std::filesystem::path database() const { return dir / "ca.db"; }
  std::filesystem::path private_dir() const { return dir / "private"; }
  std::filesystem::path root_cert() const { return dir / "root-ca.crt"; }
  std::filesystem::path root_key() const { return private_dir() / "root-ca.key"; }
  std::filesystem::path issuing_cert() const { return dir / "issuing-ca.crt"; }
  std::filesystem::path issuing_key() const { return private_dir() / "issuing-ca.key"; }
  // issuing + root, the trust bundle for TLS peers and openssl verify -CAfile
  std::filesystem::path chain() const { return dir / "ca-chain.crt"; }
  // both CAs' CRLs in one PEM file, replaced atomically; the gateway watches it
  std::filesystem::path crl() const { return dir / "crl.pem"; }
  // the root CA's own CRL, re-signed rarely (it lists revoked issuing CAs)
  std::filesystem::path root_crl() const { return dir / "root-ca.crl"; }
  std::filesystem::path issued_dir() const { return dir / "issued"; }
  std::filesystem::path bundles_dir() const { return dir / "bundles"; }
  // wraps the user key material kept in the registry (S-5)
  std::filesystem::path user_key_wrap() const { return private_dir() / "user-key-wrap.key"; }
};

}  // namespace nanbyo::pki
