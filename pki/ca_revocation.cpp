// Revocation and CRL publication (part of CertificateAuthority).
#include "pki/certificate_authority.h"
#include "pki/crl_builder.h"
#include "pki/pem.h"
#include "pki/revocation_reason.h"

namespace nanbyo::pki {
namespace fs = std::filesystem;
using std::chrono::days;

namespace {

Result<std::vector<RevokedEntry>> revoked_of(CaStore& store, const std::vector<std::string>& kinds) {
  std::vector<RevokedEntry> out;
  for (const auto& kind : kinds) {
    NANBYO_TRY(records, store.list(CertificateFilter{"", kind}));
    for (const auto& r : records) {
      if (r.status != "revoked") continue;
      TimePoint at;
      parse_utc(r.revoked_at, at);
      out.push_back({r.serial, at, r.reason});
    }
  }
  return out;
}

}  // namespace

Result<CertificateRecord> CertificateAuthority::revoke(const std::string& serial_text,
                                                       const std::string& reason_name) {
  NANBYO_TRY(serial, normalize_serial(serial_text));
  NANBYO_TRY(reason, parse_revocation_reason(reason_name));
  NANBYO_TRY(found, store_.find(serial));
  if (!found) return fail("unknown serial " + serial + ": no certificate of this CA has it");
  CertificateRecord record = *found;
  if (record.status == "revoked") {
    return fail("certificate " + serial + " is already revoked (since " + record.revoked_at +
                ", reason " + revocation_reason_name(record.reason) + ")");
  }
  if (record.kind == "root-ca") return fail("the root CA cannot be revoked; replace the CA instead");

  const std::string now = format_utc(clock_.now());
  NANBYO_TRY_VOID(store_.write([&]() -> Result<void> {
    NANBYO_TRY_VOID(store_.mark_revoked(serial, reason, now));
    NANBYO_TRY_VOID(store_.log_event(now, "revoke", serial,
                                     "reason=" + revocation_reason_name(reason) + " " +
                                         record.subject));
    // One transaction: the revocation is recorded only if the new CRL lands.
    NANBYO_TRY_VOID(publish_crl_in_transaction(kDefaultCrlDays, {}));
    return Result<void>();
  }));
  record.status = "revoked";
  record.revoked_at = now;
  record.reason = reason;
  return record;
}

Result<CrlPublication> CertificateAuthority::publish_crl(int valid_days, const fs::path& out) {
  std::optional<CrlPublication> publication;
  NANBYO_TRY_VOID(store_.write([&]() -> Result<void> {
    NANBYO_TRY(done, publish_crl_in_transaction(valid_days, out));
    publication = std::move(done);
    return {};
  }));
  return std::move(*publication);
}

Result<CrlPublication> CertificateAuthority::publish_crl_in_transaction(int valid_days,
                                                                        const fs::path& out) {
  if (valid_days < 1 || valid_days > 365) {
    return fail("CRL validity must be 1-365 days, got " + std::to_string(valid_days));
  }
  const TimePoint now = clock_.now();
  CrlPublication publication;
  publication.path = out.empty() ? paths_.crl() : out;
  NANBYO_TRY(issuing_revoked, revoked_of(store_, {"server", "client"}));
    NANBYO_TRY(root_revoked, revoked_of(store_, {"issuing-ca"}));
    NANBYO_TRY(issuing_number, store_.next_crl_number("issuing-ca"));
    NANBYO_TRY(root_number, store_.next_crl_number("root-ca"));
    CrlSpec issuing_spec{issuing_number, now, now + days(valid_days), issuing_revoked};
    CrlSpec root_spec{root_number, now, now + days(valid_days), root_revoked};
    NANBYO_TRY(issuing_crl, build_crl(issuing_spec, *issuing_));
    NANBYO_TRY(root_crl, build_crl(root_spec, *root_));
  const std::string pem_text = pem::encode(issuing_crl.get()) + pem::encode(root_crl.get());
    publication.issuing_number = issuing_number;
    publication.revoked_count = issuing_revoked.size() + root_revoked.size();
    publication.next_update = format_utc(issuing_spec.next_update);
    NANBYO_TRY_VOID(store_.log_event(format_utc(now), "crl", "",
                                     "number=" + std::to_string(issuing_number) +
                                         " revoked=" + std::to_string(publication.revoked_count)));
    // Written inside the transaction: the CRL number is only spent when the file lands.
  NANBYO_TRY_VOID(write_file_atomic(publication.path, pem_text));
  return publication;
}

}  // namespace nanbyo::pki
