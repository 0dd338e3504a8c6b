// Revocation and CRL publication (part of CertificateAuthority).
#include <optional>

#include "pki/atomic_file.h"
#include "pki/certificate_authority.h"
#include "pki/crl_builder.h"
#include "pki/pem.h"
#include "pki/revocation_reason.h"

namespace nanbyo::pki {
namespace fs = std::filesystem;
using std::chrono::days;

namespace {

Result<std::vector<RevokedEntry>> revoked_of(CaStore& store,
                                             const std::vector<std::string>& kinds) {
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
  if (record.kind == "root-ca")
    return fail("the root CA cannot be revoked; replace the CA instead");

  const std::string now = format_utc(clock_.now());
  StagedFiles files;
  NANBYO_TRY_VOID(store_.write([&]() -> Result<void> {
    NANBYO_TRY_VOID(store_.mark_revoked(serial, reason, now));
    NANBYO_TRY_VOID(store_.log_event(
        now, "revoke", serial, "reason=" + revocation_reason_name(reason) + " " + record.subject));
    // The new CRL is signed in the same transaction and lands right after COMMIT.
    NANBYO_TRY_VOID(stage_crl(0, {}, files, record.kind == "issuing-ca"));
    return Result<void>();
  }));
  if (auto placed = files.commit(); !placed) {
    return fail(placed.error().message + " (the revocation of " + serial +
                " is recorded; run `nanbyo-pki crl` to publish it)");
  }
  record.status = "revoked";
  record.revoked_at = now;
  record.reason = reason;
  return record;
}

Result<CrlPublication> CertificateAuthority::publish_crl(int valid_days, const fs::path& out) {
  StagedFiles files;
  std::optional<CrlPublication> publication;
  NANBYO_TRY_VOID(store_.write([&]() -> Result<void> {
    NANBYO_TRY(done, stage_crl(valid_days, out, files, false));
    publication = std::move(done);
    return {};
  }));
  NANBYO_TRY_VOID(files.commit());
  return std::move(*publication);
}

// Signs the issuing CA's CRL (every publication) and the root CA's CRL (only
// when `resign_root`, when it is missing or when it expires within 30 days, so
// the root key is rarely needed). `valid_days` 0 reuses the last validity.
Result<CrlPublication> CertificateAuthority::stage_crl(int valid_days, const fs::path& out,
                                                       StagedFiles& files, bool resign_root) {
  if (valid_days == 0) {
    auto stored = store_.meta("crl_days");
    valid_days = stored ? std::stoi(*stored) : kDefaultCrlDays;
  }
  if (valid_days < 1 || valid_days > 365) {
    return fail("CRL validity must be 1-365 days, got " + std::to_string(valid_days));
  }
  NANBYO_TRY_VOID(store_.set_meta("crl_days", std::to_string(valid_days)));
  const TimePoint now = clock_.now();
  CrlPublication publication;
  publication.path = out.empty() ? paths_.crl() : out;

  NANBYO_TRY(issuing_revoked, revoked_of(store_, {"server", "client"}));
  NANBYO_TRY(issuing_number, store_.next_crl_number("issuing-ca"));
  CrlSpec issuing_spec{issuing_number, now, now + days(valid_days), issuing_revoked};
  NANBYO_TRY(issuing_crl, build_crl(issuing_spec, *issuing_));

  NANBYO_TRY(root_pem, current_root_crl(now, resign_root, files));
  publication.issuing_number = issuing_number;
  publication.revoked_count = issuing_revoked.size();
  publication.next_update = format_utc(issuing_spec.next_update);
  NANBYO_TRY_VOID(store_.log_event(format_utc(now), "crl", "",
                                   "number=" + std::to_string(issuing_number) +
                                       " revoked=" + std::to_string(publication.revoked_count)));
  NANBYO_TRY_VOID(files.add(publication.path, pem::encode(issuing_crl.get()) + root_pem));
  return publication;
}

Result<std::string> CertificateAuthority::current_root_crl(TimePoint now, bool resign,
                                                           StagedFiles& files) {
  if (!resign) {
    if (auto text = read_file(paths_.root_crl(), 1 << 20)) {
      if (auto crl = pem::decode_crl(*text, paths_.root_crl().string())) {
        std::tm tm{};
        ASN1_TIME_to_tm(X509_CRL_get0_nextUpdate(crl->get()), &tm);
        if (TimePoint(std::chrono::seconds(timegm(&tm))) > now + days(30)) return *text;
      }
    }
  }
  NANBYO_TRY(root_revoked, revoked_of(store_, {"issuing-ca"}));
  NANBYO_TRY(root_number, store_.next_crl_number("root-ca"));
  CrlSpec root_spec{root_number, now, now + days(kRootCrlDays), root_revoked};
  NANBYO_TRY(root_crl, build_crl(root_spec, *root_));
  std::string text = pem::encode(root_crl.get());
  NANBYO_TRY_VOID(files.add(paths_.root_crl(), text));
  return text;
}

}  // namespace nanbyo::pki
