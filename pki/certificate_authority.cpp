#include "pki/certificate_authority.h"

#include <sys/stat.h>

#include "pki/atomic_file.h"
#include "pki/certificate_builder.h"
#include "pki/ossl_error.h"
#include "pki/pem.h"
#include "pki/random.h"

namespace nanbyo::pki {
namespace fs = std::filesystem;
using std::chrono::days;

namespace {

// The file text of a new CA key: encrypted under the passphrase when there is one.
Result<Secret> key_file_text(EVP_PKEY* key, const InitOptions& options) {
  if (!options.passphrase) return Secret(pem::encode_private_key(key));
  NANBYO_TRY(sealed, pem::encode_encrypted_private_key(key, *options.passphrase));
  return Secret(std::move(sealed));
}

std::string asn1_time_text(const ASN1_TIME* t) {
  std::tm tm{};
  ASN1_TIME_to_tm(t, &tm);
  return format_utc(TimePoint(std::chrono::seconds(timegm(&tm))));
}

}  // namespace

CertificateRecord make_record(X509* cert, std::string kind, const Clock& clock) {
  CertificateRecord r;
  r.serial = serial_hex(cert);
  r.kind = std::move(kind);
  r.subject = subject_text(cert);
  if (r.kind == "client") {
    if (auto id = client_identity(cert)) {
      r.hospital = id->hospital_number;
      r.terminal = id->terminal;
    }
  }
  r.not_before = asn1_time_text(X509_get0_notBefore(cert));
  r.not_after = asn1_time_text(X509_get0_notAfter(cert));
  r.issued_at = format_utc(clock.now());
  r.pem = pem::encode(cert);
  return r;
}

Result<void> CertificateAuthority::init(const CaPaths& paths, const InitOptions& options,
                                        const Clock& clock) {
  std::error_code ec;
  if (fs::exists(paths.database(), ec)) {
    return fail("a CA already exists in " + paths.dir.string() + "; refusing to replace it");
  }
  const TimePoint now = clock.now();
  NANBYO_TRY(root_key, generate_key(options.algorithm));
  NANBYO_TRY(issuing_key, generate_key(options.algorithm));
  NANBYO_TRY(root_key_pem, key_file_text(root_key.get(), options));
  NANBYO_TRY(issuing_key_pem, key_file_text(issuing_key.get(), options));
  auto root_name = ca_subject(options.name + " Root CA");
  auto issuing_name = ca_subject(options.name + " Issuing CA");
  CertificateRequest root_req{CertificateKind::RootCa,
                              root_name.get(),
                              root_key.get(),
                              now,
                              now + days(options.root_days),
                              {},
                              {},
                              options.permitted};
  NANBYO_TRY(root_cert, build_self_signed(root_req, root_key.get()));
  const std::string root_pem = pem::encode(root_cert.get());
  auto root_signer = make_in_memory_signer(std::move(root_cert), std::move(root_key));
  CertificateRequest issuing_req{CertificateKind::IssuingCa,
                                 issuing_name.get(),
                                 issuing_key.get(),
                                 now,
                                 now + days(options.issuing_days),
                                 {},
                                 {},
                                 {}};
  NANBYO_TRY(issuing_cert, build_certificate(issuing_req, *root_signer));
  const std::string issuing_pem = pem::encode(issuing_cert.get());

  fs::create_directories(paths.private_dir(), ec);
  if (ec) return fail("cannot create " + paths.private_dir().string() + ": " + ec.message());
  ::chmod(paths.private_dir().c_str(), 0700);

  StagedFiles files;
  NANBYO_TRY_VOID(files.add(paths.root_key(), root_key_pem.view(), kOwnerOnly));
  NANBYO_TRY_VOID(files.add(paths.issuing_key(), issuing_key_pem.view(), kOwnerOnly));
  NANBYO_TRY_VOID(files.add(paths.root_cert(), root_pem));
  NANBYO_TRY_VOID(files.add(paths.issuing_cert(), issuing_pem));
  NANBYO_TRY_VOID(files.add(paths.chain(), issuing_pem + root_pem));
  NANBYO_TRY_VOID(files.add(paths.user_key_wrap(), to_hex(random_bytes(32)) + "\n", kOwnerOnly));

  // The database is built under a temporary name and renamed last: a CA
  // directory either has a complete CA or none.
  const fs::path staging_db = paths.dir / ".ca.db.init";
  fs::remove(staging_db, ec);
  {
    NANBYO_TRY(store, CaStore::open(staging_db, true));
    NANBYO_TRY_VOID(store.write([&]() -> Result<void> {
      NANBYO_TRY_VOID(store.set_meta("algorithm", std::string(to_string(options.algorithm))));
      NANBYO_TRY_VOID(store.set_meta("name", options.name));
      NANBYO_TRY_VOID(store.insert(make_record(root_signer->certificate(), "root-ca", clock)));
      NANBYO_TRY_VOID(store.insert(make_record(issuing_cert.get(), "issuing-ca", clock)));
      return store.log_event(format_utc(now), "init", serial_hex(root_signer->certificate()),
                             "algorithm=" + std::string(to_string(options.algorithm)));
    }));
  }
  ::chmod(staging_db.c_str(), 0600);
  if (auto committed = files.commit(); !committed) {
    fs::remove(staging_db, ec);
    return committed.error();
  }
  fs::rename(staging_db, paths.database(), ec);
  if (ec) return fail("cannot create " + paths.database().string() + ": " + ec.message());

  NANBYO_TRY(ca, open(paths, clock, options.passphrase));
  NANBYO_TRY_VOID(ca->publish_crl(7));
  return {};
}

Result<std::unique_ptr<CertificateAuthority>> CertificateAuthority::open(
    const CaPaths& paths, const Clock& clock, std::shared_ptr<const Secret> passphrase) {
  NANBYO_TRY(store, CaStore::open(paths.database(), false));
  NANBYO_TRY(root, load_file_signer(paths.root_cert(), paths.root_key(), passphrase));
  NANBYO_TRY(issuing, load_file_signer(paths.issuing_cert(), paths.issuing_key(), passphrase));
  return std::unique_ptr<CertificateAuthority>(new CertificateAuthority(
      paths, clock, std::move(store), std::move(root), std::move(issuing)));
}

Result<std::vector<CertificateRecord>> CertificateAuthority::list(const CertificateFilter& filter) {
  return store_.list(filter);
}

}  // namespace nanbyo::pki
