// Issuing server and hospital-PC certificates (part of CertificateAuthority).
#include <algorithm>

#include "pki/atomic_file.h"
#include "pki/certificate_authority.h"
#include "pki/certificate_builder.h"
#include "pki/ossl_error.h"
#include "pki/pem.h"
#include "pki/pkcs12.h"
#include "pki/random.h"

namespace nanbyo::pki {
namespace fs = std::filesystem;
using std::chrono::days;

namespace {

Result<int> checked_days(int d) {
  if (d < 1 || d > 3650) return fail("validity must be 1-3650 days, got " + std::to_string(d));
  return d;
}

Result<ossl::EvpPkeyPtr> public_key_from_csr(const fs::path& csr_path) {
  NANBYO_TRY(text, read_file(csr_path, 64 << 10));
  NANBYO_TRY(req, pem::decode_request(text, csr_path.string()));
  ossl::EvpPkeyPtr key(X509_REQ_get_pubkey(req.get()));
  if (!key) return fail(csr_path.string() + " carries no usable public key");
  if (X509_REQ_verify(req.get(), key.get()) != 1) {
    ossl::last_error();
    return fail(csr_path.string() + " has an invalid signature (corrupt or tampered request)");
  }
  NANBYO_TRY_VOID(algorithm_of(key.get()));
  return key;
}

}  // namespace

// Paths inside the CA directory are kept relative so the directory can move.
std::string CertificateAuthority::stored_path(const fs::path& path) const {
  fs::path abs = fs::absolute(path).lexically_normal();
  fs::path rel = abs.lexically_relative(fs::absolute(paths_.dir).lexically_normal());
  return (!rel.empty() && *rel.begin() != "..") ? rel.string() : abs.string();
}

TimePoint CertificateAuthority::capped_not_after(TimePoint wanted) const {
  std::tm tm{};
  ASN1_TIME_to_tm(X509_get0_notAfter(issuing_certificate()), &tm);
  return std::min(wanted, TimePoint(std::chrono::seconds(timegm(&tm))));
}

Result<void> CertificateAuthority::ensure_issuing_valid() {
  NANBYO_TRY(record, store_.find(serial_hex(issuing_certificate())));
  if (record && record->status == "revoked") {
    return fail("the issuing CA is revoked; no certificate can be issued with it");
  }
  return {};
}

Result<Issued> CertificateAuthority::commit_issued(Issued issued, StagedFiles& files) {
  const std::string now = format_utc(clock_.now());
  NANBYO_TRY_VOID(store_.write([&]() -> Result<void> {
    NANBYO_TRY_VOID(store_.insert(issued.record));
    return store_.log_event(now, "issue-" + issued.record.kind, issued.record.serial,
                            issued.record.subject);
  }));
  // Files appear only once the database has the certificate.
  if (auto placed = files.commit(); !placed) {
    return fail(placed.error().message + " (certificate " + issued.record.serial +
                " is recorded; revoke it and issue again)");
  }
  return issued;
}

Result<Issued> CertificateAuthority::issue_server(const ServerOptions& o) {
  if (o.dns_names.empty() && o.ip_addresses.empty()) {
    return fail("a server certificate needs at least one --dns or --ip");
  }
  for (const auto& d : o.dns_names) NANBYO_TRY_VOID(validate_dns_name(d));
  for (const auto& a : o.ip_addresses) NANBYO_TRY_VOID(validate_ip_address(a));
  NANBYO_TRY(valid_days, checked_days(o.days));
  NANBYO_TRY_VOID(ensure_issuing_valid());
  NANBYO_TRY(ca_algorithm_text, store_.meta("algorithm"));
  NANBYO_TRY(ca_algorithm, parse_key_algorithm(ca_algorithm_text));
  NANBYO_TRY(key, generate_key(o.algorithm.value_or(ca_algorithm)));

  const std::string& cn = o.dns_names.empty() ? o.ip_addresses.front() : o.dns_names.front();
  auto subject = server_subject(cn);
  const TimePoint now = clock_.now();
  CertificateRequest req{CertificateKind::Server,
                         subject.get(),
                         key.get(),
                         now,
                         capped_not_after(now + days(valid_days)),
                         o.dns_names,
                         o.ip_addresses,
                         {}};
  NANBYO_TRY(cert, build_certificate(req, *issuing_));
  if (auto within = check_within_constraints(root_certificate(), cert.get()); !within) {
    return fail("a server certificate for " + cn + " would be " + within.error().message);
  }

  Issued issued;
  issued.record = make_record(cert.get(), "server", clock_);
  fs::path prefix = o.out_prefix.empty() ? paths_.issued_dir() / "server" /
                                               (cn + "-" + issued.record.serial.substr(0, 8))
                                         : o.out_prefix;
  issued.cert_path = prefix.string() + ".crt";
  issued.key_path = prefix.string() + ".key";
  StagedFiles files;
  NANBYO_TRY_VOID(files.ensure_absent(issued.cert_path));
  NANBYO_TRY_VOID(files.ensure_absent(issued.key_path));
  NANBYO_TRY_VOID(
      files.add(issued.cert_path, issued.record.pem + pem::encode(issuing_certificate())));
  const Secret key_text(pem::encode_private_key(key.get()));
  NANBYO_TRY_VOID(files.add(issued.key_path, key_text.view(), kOwnerOnly));
  return commit_issued(std::move(issued), files);
}

Result<Issued> CertificateAuthority::issue_client(const ClientOptions& o) {
  NANBYO_TRY_VOID(validate_hospital_number(o.identity.hospital_number));
  NANBYO_TRY_VOID(validate_terminal_name(o.identity.terminal));
  NANBYO_TRY(valid_days, checked_days(o.days));
  NANBYO_TRY_VOID(ensure_issuing_valid());

  ossl::EvpPkeyPtr key;  // set only when this CA generates the key
  ossl::EvpPkeyPtr public_key;
  if (!o.csr.empty()) {
    if (!o.password_file.empty() || o.algorithm) {
      return fail("--password-file and --algorithm do not apply to --csr (the PC holds its key)");
    }
    NANBYO_TRY(from_csr, public_key_from_csr(o.csr));
    public_key = std::move(from_csr);
  } else {
    NANBYO_TRY(ca_algorithm_text, store_.meta("algorithm"));
    NANBYO_TRY(ca_algorithm, parse_key_algorithm(ca_algorithm_text));
    NANBYO_TRY(generated, generate_key(o.algorithm.value_or(ca_algorithm)));
    key = std::move(generated);
  }
  EVP_PKEY* subject_key = key ? key.get() : public_key.get();

  auto subject = client_subject(o.identity);
  const TimePoint now = clock_.now();
  CertificateRequest req{CertificateKind::Client,
                         subject.get(),
                         subject_key,
                         now,
                         capped_not_after(now + days(valid_days)),
                         {},
                         {},
                         {}};
  NANBYO_TRY(cert, build_certificate(req, *issuing_));
  // A terminal name with a dot reads as a host name to verifiers of a name-constrained root.
  if (auto within = check_within_constraints(root_certificate(), cert.get()); !within) {
    return fail("terminal " + o.identity.terminal + ": the certificate would be " +
                within.error().message + "; choose a name without '.'");
  }

  Issued issued;
  issued.record = make_record(cert.get(), "client", clock_);
  fs::path prefix = o.out_prefix.empty()
                        ? paths_.issued_dir() / o.identity.hospital_number /
                              (o.identity.terminal + "-" + issued.record.serial.substr(0, 8))
                        : o.out_prefix;
  issued.cert_path = prefix.string() + ".crt";
  StagedFiles files;
  NANBYO_TRY_VOID(files.ensure_absent(issued.cert_path));
  if (key) {
    issued.key_path = prefix.string() + ".key";
    issued.pkcs12_path = prefix.string() + ".p12";
    NANBYO_TRY_VOID(files.ensure_absent(issued.key_path));
    NANBYO_TRY_VOID(files.ensure_absent(issued.pkcs12_path));
    issued.pkcs12_password = random_password();
    NANBYO_TRY(p12,
               make_pkcs12(o.identity.terminal, key.get(), cert.get(),
                           {issuing_certificate(), root_certificate()}, issued.pkcs12_password));
    const Secret key_text(pem::encode_private_key(key.get()));
    NANBYO_TRY_VOID(files.add(issued.key_path, key_text.view(), kOwnerOnly));
    NANBYO_TRY_VOID(files.add(issued.pkcs12_path, p12, kOwnerOnly));
    if (!o.password_file.empty()) {
      NANBYO_TRY_VOID(files.ensure_absent(o.password_file));
      const Secret line(issued.pkcs12_password + "\n");
      NANBYO_TRY_VOID(files.add(o.password_file, line.view(), kOwnerOnly));
    }
    issued.record.pkcs12_path = stored_path(issued.pkcs12_path);
  }
  NANBYO_TRY_VOID(
      files.add(issued.cert_path, issued.record.pem + pem::encode(issuing_certificate())));
  return commit_issued(std::move(issued), files);
}

}  // namespace nanbyo::pki
