// The application core's facade: every flow of designated-doctor ID issuance
// (ID-1 ... ID-9), users, passwords, sessions and first login, with role and
// scope checks and an audit record for every operation (S-5, S-7, S-8).
//
// The web layer calls only this. Every call that acts for someone takes the
// Principal returned by resolve_session(); the facade re-reads that user and
// refuses out-of-scope actions with Errc::Forbidden. Errors carry a code
// (errors.h) and an English text; no secret is ever in a message.
//
// Thread-safety: one AppCore may be shared by threads. Each call runs on a
// database connection of its own (connection_pool.h): reads run in parallel and
// never wait for writes; writes queue on the database's write lock, held only
// while they write. Password hashing runs outside it, and a bulk import takes
// it chunk by chunk (docs/appcore-data.md, "Concurrency").
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "appcore/core/affiliation.h"
#include "appcore/core/config.h"
#include "appcore/core/designation.h"
#include "appcore/core/errors.h"
#include "appcore/core/import_report.h"
#include "appcore/core/model.h"
#include "pki/audit/audit_sink.h"
#include "pki/clock.h"
#include "pki/result.h"

namespace nanbyo::appcore {

// First-login steps (ID-4). After a validity extension or key reissue (ID-5,
// ID-7) only RegisterEmail and IssueKey are repeated.
enum class SetupStep { None, RegisterEmail, IssueKey, SetPassword };
std::string_view to_string(
    SetupStep step);  // "active", "register-email", "issue-key", "set-password"

struct LoginResult {
  std::string session_token;  // 64 hex: the cookie value; only its hash is stored
  std::string csrf_token;     // 64 hex: to embed in forms; only its hash is stored
  Principal principal;
  SetupStep next_step = SetupStep::None;  // None: a full session; otherwise only setup calls work
};

// The key file of ID-4 for the web layer to e-mail (S-9). Not stored in clear.
struct KeyFileDelivery {
  std::string user_id;
  std::string email;      // the last address registered
  std::string key_id;     // 32 hex
  std::string file_name;  // e.g. "A0000001-<key id>.nbkey"
  std::string key_file;   // text of the key file (pki/user_key_file.h)
  std::string not_after;  // ISO 8601 UTC
};

// What a revocation did (ID-5, ID-6, ID-7 key reissue/delete). The web layer
// passes user_id to the gateway's RevokeUser so live connections end too (S-8).
struct RevocationOutcome {
  std::string user_id;
  std::vector<std::string> revoked_key_ids;
  std::size_t ended_sessions = 0;
};

// ID-1 result. Issued: a new ID (credential + notice with the password).
// DesignationAdded: the person already had an ID (found by 医籍登録番号), which
// now also holds this designation. AlreadyRegistered: this designation (same
// municipality, kind and 指定医番号) was registered before; nothing changed.
enum class RegistrationStatus { Issued, DesignationAdded, AlreadyRegistered };
std::string_view to_string(RegistrationStatus s);  // "issued", "designation-added", ...

struct RegistrationOutcome {
  RegistrationStatus status = RegistrationStatus::AlreadyRegistered;
  std::string user_id;
  std::string designation_id;
  IssuedCredential credential;  // empty unless issued
  DesignationNotice notice;
  std::vector<std::string> warnings;  // e.g. the 医療機関番号's check digit does not match
};

// 転出 (ID-6) of one designation: the ID goes only when no designation remains.
struct DesignationEnd {
  std::string user_id;
  bool id_deleted = false;
  RevocationOutcome revocation;  // keys revoked and sessions ended when the ID went
};

using ImportProgress = std::function<void(std::size_t rows_done, std::size_t rows_total)>;

class AppCore {
 public:
  // Opens (and migrates) the database, loads or creates the data key under the
  // master key. `clock` and `audit` must outlive the AppCore.
  static Result<std::unique_ptr<AppCore>> open(const CoreConfig& config, const Clock& clock,
                                               audit::AuditSink& audit);
  ~AppCore();
  AppCore(const AppCore&) = delete;
  AppCore& operator=(const AppCore&) = delete;

  // ---- bootstrap and operator set-up ----
  // Creates the first operator; refused once any operator exists.
  Result<IssuedCredential> bootstrap_operator(const std::string& name, const Terminal& from);
  // Operator only: municipal administrators (municipality required), operators, auditors.
  Result<IssuedCredential> create_staff_user(const Principal& p, Role role, const std::string& name,
                                             const std::string& kana,
                                             const std::string& municipality);
  Result<void> register_municipality(const Principal& p, const Municipality& m);  // operator
  // Operator or municipal admin; updates name/address of a known hospital.
  Result<void> register_hospital(const Principal& p, const Hospital& h);
  Result<Hospital> hospital(const Principal& p, const std::string& number);

  // ---- break-glass (issue 12): an operator with a shell on the appliance ----
  // Straight on the database, for when no administrator can log in any more
  // (`nanbyo-appcore break-glass`). Audited with the actor "break-glass" and
  // the OS user. The unlock also ends the account's login wait in this process
  // (a running service's wait lapses within its account cap).
  Result<void> break_glass_unlock(const BreakGlassActor& who, const std::string& user_id);
  // A new initial password (printed once), unlocked; the user's sessions end.
  Result<IssuedCredential> break_glass_reset_password(const BreakGlassActor& who,
                                                      const std::string& user_id);

  // ---- login and sessions ----
  Result<LoginResult> login(const std::string& user_id, const std::string& password,
                            const Terminal& from);
  // The Principal of a live session; refreshes its idle timer. Refuses an unknown,
  // idle or too old session, and a terminal of another hospital than at login.
  Result<Principal> resolve_session(const std::string& session_token, const Terminal& from);
  // Constant-time check of a form's CSRF token against the session's.
  Result<void> check_csrf(const std::string& session_token, const std::string& csrf_token);
  Result<void> logout(const std::string& session_token);

  // ---- first login (ID-4) ----
  Result<SetupStep> setup_step(const Principal& p);
  Result<SetupStep> register_email(const Principal& p, const std::string& email);  // last wins
  // Generates the user key (pki UserKeyRegistry); previous keys are superseded.
  Result<KeyFileDelivery> issue_key_file(const Principal& p);
  // The key file's mail could not be sent (e.g. the relay offers no STARTTLS):
  // audited as a refusal with the mailer's reason (no address, no key).
  Result<void> record_key_mail_failure(const Principal& p, const std::string& reason);
  Result<void> complete_first_login(const Principal& p, const std::string& secret_question,
                                    const std::string& secret_answer,
                                    const std::string& new_password);
  Result<void> change_password(const Principal& p, const std::string& current,
                               const std::string& next);

  // ---- municipality: doctors (ID-1, ID-2, ID-3, ID-5, ID-6, ID-9) ----
  Result<RegistrationOutcome> register_doctor(const Principal& p, const DoctorInput& doctor);
  // CSV/TSV in UTF-8 (BOM optional) or Shift_JIS/CP932; see docs/appcore-data.md.
  Result<ImportReport> import_doctors(const Principal& p, std::string_view file_bytes,
                                      const ImportProgress& progress = {});
  // Doctors holding a designation of the caller's municipality, each with those
  // designations only (another municipality's are never shown).
  Result<std::vector<UserView>> list_doctors(const Principal& p);
  Result<UserView> user(const Principal& p, const std::string& user_id);
  // Notices without the password (stored only as a hash); the password appears
  // only in the RegistrationOutcome / IssuedCredential of issuance or reset.
  // One notice per designation, for the designating municipality.
  Result<DesignationNotice> designation_notice(const Principal& p,
                                               const std::string& designation_id);
  Result<IdPasswordNotice> id_password_notice(const Principal& p, const std::string& user_id);
  // 有効期限延長 of one of the municipality's designations: new expiry
  // (YYYY-MM-DD), the doctor's key revoked, sessions ended, ID-4 again (ID-5).
  Result<RevocationOutcome> extend_designation(const Principal& p,
                                               const std::string& designation_id,
                                               const std::string& new_expires_on);
  // 転出: ends one of the municipality's designations; when none remains the
  // ID is deleted, its key revoked and its sessions ended (ID-6).
  Result<DesignationEnd> end_designation(const Principal& p, const std::string& designation_id);
  // The caller's own designations (a doctor), valid or not.
  Result<std::vector<Designation>> my_designations(const Principal& p);
  // 指定医の公表: CSV (UTF-8 with BOM, CRLF) of the municipality's valid designations.
  Result<std::string> export_public_doctor_list(const Principal& p);

  // ---- hospital users (ID-7); the caller is the hospital's 責任者 ----
  Result<std::vector<UserView>> hospital_users(const Principal& p);
  Result<void> hand_over_administration(const Principal& p, const std::string& to_user_id);
  Result<IssuedCredential> create_hospital_admin_user(const Principal& p, const std::string& name,
                                                      const std::string& kana);
  Result<IssuedCredential> create_clerk(const Principal& p, const std::string& name,
                                        const std::string& kana);
  // Also allowed to the municipality for its doctors and to operators for staff.
  Result<IssuedCredential> reset_password(const Principal& p, const std::string& user_id);
  Result<void> set_locked(const Principal& p, const std::string& user_id, bool locked);
  Result<RevocationOutcome> reissue_key(const Principal& p, const std::string& user_id);
  // Clerks and 責任者 users only (doctors leave through transfer_out).
  Result<RevocationOutcome> delete_user(const Principal& p, const std::string& user_id);

  // ---- 兼務先 by consent (ID-8, affiliation.h; app_core_affiliations.cpp) ----
  // Pending and approved 兼務先 of one doctor count against the limit.
  inline static constexpr std::size_t kMaxAffiliations = 10;
  // A doctor asks a registered hospital (not their main one) to be a 兼務先;
  // it grants nothing until that hospital's 責任者 approves. Asking again after
  // a rejection replaces the rejected request; a pending or approved one is a Conflict.
  Result<Affiliation> request_affiliation(const Principal& p, const AffiliationRequest& request);
  // The caller's own 兼務先 in every state (申請中/承認/却下).
  Result<std::vector<Affiliation>> my_affiliations(const Principal& p);
  // The 責任者 of the caller's hospital: every request naming it, pending first.
  Result<std::vector<Affiliation>> affiliation_requests_for_my_hospital(const Principal& p);
  // Only the 責任者 of `hospital_number` decides a pending request of `doctor_user_id`.
  Result<Affiliation> decide_affiliation(const Principal& p, const std::string& doctor_user_id,
                                         const std::string& hospital_number,
                                         AffiliationDecision decision,
                                         const std::string& reason = "");
  // The doctor (their own) or the hospital's 責任者 ends a 兼務先 in any state;
  // the doctor's sessions opened from that hospital's PCs end with it.
  Result<RevocationOutcome> remove_affiliation(const Principal& p,
                                               const std::string& doctor_user_id,
                                               const std::string& hospital_number);

  struct Impl;

 private:
  explicit AppCore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace nanbyo::appcore
