// The system's certificate authority (S-1, O-1): a root CA and an issuing CA,
// hospital PC and server certificates, revocation and CRL publication.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pki/atomic_file.h"
#include "pki/ca_paths.h"
#include "pki/ca_store.h"
#include "pki/clock.h"
#include "pki/key_pair.h"
#include "pki/key_signer.h"
#include "pki/name_constraints.h"
#include "pki/names.h"
#include "pki/result.h"

namespace nanbyo::pki {

struct InitOptions {
  KeyAlgorithm algorithm = KeyAlgorithm::EcdsaP256;
  std::string name = "Nanbyo-Shoman DB";
  int root_days = 7300;
  int issuing_days = 3650;
  // Both CA keys are written encrypted under it (issue 13); null: unencrypted (development).
  std::shared_ptr<const Secret> passphrase;
  // Name constraints of the root (issue 13, S-4): a private server certificate can only be
  // for these names (name_constraints.h). Empty: no constraint.
  PermittedNames permitted;
};

struct ServerOptions {
  std::vector<std::string> dns_names;
  std::vector<std::string> ip_addresses;
  int days = 397;
  std::optional<KeyAlgorithm> algorithm;  // default: the CA's
  std::filesystem::path out_prefix;       // default: issued/server/<name>-<serial>
};

struct ClientOptions {
  ClientIdentity identity;
  int days = 730;
  std::optional<KeyAlgorithm> algorithm;
  std::filesystem::path csr;         // sign this request instead of generating a key
  std::filesystem::path out_prefix;  // default: issued/<hospital>/<terminal>-<serial>
  std::filesystem::path
      password_file;  // write the PKCS#12 password here (0600) instead of showing it
};

struct Issued {
  CertificateRecord record;
  std::filesystem::path cert_path;    // leaf + issuing CA
  std::filesystem::path key_path;     // empty when signed from a CSR
  std::filesystem::path pkcs12_path;  // client with generated key only
  std::string pkcs12_password;        // shown once, stored nowhere
};

inline constexpr int kDefaultCrlDays = 7;
inline constexpr int kRootCrlDays = 365;

struct CrlPublication {
  std::filesystem::path path;
  int64_t issuing_number = 0;
  std::size_t revoked_count = 0;
  std::string next_update;
};

class CertificateAuthority {
 public:
  static Result<void> init(const CaPaths& paths, const InitOptions& options, const Clock& clock);
  // `passphrase` decrypts CA key files written encrypted (read at the first signature).
  static Result<std::unique_ptr<CertificateAuthority>> open(
      const CaPaths& paths, const Clock& clock, std::shared_ptr<const Secret> passphrase = nullptr);

  Result<Issued> issue_server(const ServerOptions& options);
  Result<Issued> issue_client(const ClientOptions& options);
  // Revokes and republishes the CRL so the gateway sees it at once (S-8).
  // The CRL keeps the validity of the last `crl --days`.
  Result<CertificateRecord> revoke(const std::string& serial, const std::string& reason);
  Result<CrlPublication> publish_crl(int days, const std::filesystem::path& out = {});
  Result<std::vector<CertificateRecord>> list(const CertificateFilter& filter);

  const CaPaths& paths() const { return paths_; }
  CaStore& store() { return store_; }
  const Clock& clock() const { return clock_; }
  X509* issuing_certificate() const { return issuing_->certificate(); }
  X509* root_certificate() const { return root_->certificate(); }

 private:
  CertificateAuthority(CaPaths paths, const Clock& clock, CaStore store,
                       std::unique_ptr<KeySigner> root, std::unique_ptr<KeySigner> issuing)
      : paths_(std::move(paths)),
        clock_(clock),
        store_(std::move(store)),
        root_(std::move(root)),
        issuing_(std::move(issuing)) {}
  Result<CrlPublication> stage_crl(int days, const std::filesystem::path& out, StagedFiles& files,
                                   bool resign_root);
  Result<std::string> current_root_crl(TimePoint now, bool resign, StagedFiles& files);
  Result<Issued> commit_issued(Issued issued, StagedFiles& files);
  std::string stored_path(const std::filesystem::path& path) const;
  TimePoint capped_not_after(TimePoint wanted) const;
  Result<void> ensure_issuing_valid();

  CaPaths paths_;
  const Clock& clock_;
  CaStore store_;
  std::unique_ptr<KeySigner> root_;
  std::unique_ptr<KeySigner> issuing_;
};

// The record the store keeps for a certificate.
CertificateRecord make_record(X509* cert, std::string kind, const Clock& clock);

}  // namespace nanbyo::pki
