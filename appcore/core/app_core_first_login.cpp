// AppCore: the first-login state machine of ID-4 (and its repetition after
// ID-5 / key reissue): e-mail (last wins) → key file → secret question and
// new password. Order and transitions: docs/appcore-data.md "First login".
#include "appcore/core/app_core.h"
#include "appcore/core/core_impl.h"
#include "appcore/core/doctor_fields.h"
#include "appcore/core/passwords.h"
#include "pki/user_key_file.h"

namespace nanbyo::appcore {
namespace {

// A deliberately plain check: the address is used only to send the key file.
bool plausible_email(const std::string& e) {
  if (e.size() < 3 || e.size() > 254) return false;
  std::size_t at = e.find('@');
  if (at == std::string::npos || at == 0 || e.find('@', at + 1) != std::string::npos) return false;
  std::string domain = e.substr(at + 1);
  if (domain.size() < 3 || domain.find('.') == std::string::npos || domain.front() == '.' ||
      domain.back() == '.')
    return false;
  for (unsigned char c : e)
    if (c <= 0x20 || c >= 0x7f || c == '<' || c == '>' || c == ',' || c == ';' || c == '"' ||
        c == '\\')
      return false;
  return true;
}

}  // namespace

Result<SetupStep> AppCore::setup_step(const Principal& p) {
  auto lease = impl_->read();
  NANBYO_TRY(u, impl_->actor(p, true));
  return static_cast<SetupStep>(u.setup_step);
}

Result<SetupStep> AppCore::register_email(const Principal& p, const std::string& email_text) {
  auto lease = impl_->write();
  Impl& m = *impl_;
  NANBYO_TRY(u, m.actor(p, true));
  const auto step = static_cast<SetupStep>(u.setup_step);
  if (step != SetupStep::RegisterEmail && step != SetupStep::IssueKey) {
    return m.deny(p, "email-register", u.user_id,
                  fail(Errc::WrongStep, "the e-mail address is registered during first login"));
  }
  const std::string email = trim(email_text);
  if (!plausible_email(email)) {
    return fail(Errc::InvalidInput, "email: is not a valid e-mail address");
  }
  u.email_enc = m.keys.seal("users", "email", u.user_id, email);
  u.setup_step = static_cast<int>(SetupStep::IssueKey);
  NANBYO_TRY_VOID(m.store->update_user(u));
  NANBYO_TRY_VOID(m.record(p, "email-register", u.user_id));
  return SetupStep::IssueKey;
}

Result<KeyFileDelivery> AppCore::issue_key_file(const Principal& p) {
  auto lease = impl_->write();
  Impl& m = *impl_;
  NANBYO_TRY(u, m.actor(p, true));
  const auto step = static_cast<SetupStep>(u.setup_step);
  // Re-issuing while the password step is pending covers a lost mail.
  const bool again = step == SetupStep::SetPassword && u.setup_full && !u.email_enc.empty();
  if (step != SetupStep::IssueKey && !again) {
    return m.deny(p, "user-key-issue", u.user_id,
                  fail(Errc::WrongStep, "register an e-mail address first"));
  }
  NANBYO_TRY(email, m.decrypt(u, "email", u.email_enc));
  if (email.empty()) return fail(Errc::WrongStep, "register an e-mail address first");
  NANBYO_TRY(key, m.key_registry->issue(u.user_id, m.config.user_key_days));
  KeyFileDelivery out;
  out.user_id = u.user_id;
  out.email = email;
  out.key_id = key.key_id;
  out.file_name = u.user_id + "-" + key.key_id + ".nbkey";
  out.key_file = pki::encode_key_file(key);
  out.not_after = format_utc(key.not_after);
  u.setup_step = static_cast<int>(u.setup_full ? SetupStep::SetPassword : SetupStep::None);
  NANBYO_TRY_VOID(m.store->update_user(u));
  NANBYO_TRY_VOID(m.record(p, "user-key-issue", u.user_id, {{"key_id", key.key_id}}));
  return out;
}

Result<void> AppCore::record_key_mail_failure(const Principal& p, const std::string& reason) {
  // Only the audit sink (thread-safe) is touched: no lock needed.
  auto r = impl_->audit.append(
      impl_->event(p, "user-key-mail", audit::Outcome::Deny, p.user_id, {{"reason", reason}}));
  if (!r) return fail(Errc::Internal, "the audit log could not be written: " + r.error().message);
  return {};
}

Result<void> AppCore::complete_first_login(const Principal& p, const std::string& question_text,
                                           const std::string& answer_text,
                                           const std::string& new_password) {
  auto lease = impl_->read();
  Impl& m = *impl_;
  NANBYO_TRY(u, m.actor(p, true));
  if (static_cast<SetupStep>(u.setup_step) != SetupStep::SetPassword) {
    return m.deny(p, "first-login-complete", u.user_id,
                  fail(Errc::WrongStep, "this step comes after the key file"));
  }
  const std::string question = trim(question_text), answer = trim(answer_text);
  if (question.empty() || question.size() > 400) {
    return fail(Errc::InvalidInput, "secret_question: 1 to 400 bytes required");
  }
  if (answer.empty() || answer.size() > 400) {
    return fail(Errc::InvalidInput, "secret_answer: 1 to 400 bytes required");
  }
  NANBYO_TRY_VOID(check_password_policy(u.user_id, new_password));
  if (verify_password(m.keys, u.user_id, u.password_hash, new_password)) {
    return fail(Errc::InvalidInput, "the new password must differ from the initial one");
  }
  NANBYO_TRY(hash, hash_chosen_password(new_password, m.config.argon2_ops, m.config.argon2_mem));
  auto writing = m.write_lock();  // Argon2id above ran outside it
  NANBYO_TRY_VOID(m.refresh(u));
  u.question_enc = m.keys.seal("users", "secret_question", u.user_id, question);
  u.answer_enc = m.keys.seal("users", "secret_answer", u.user_id, answer);
  u.password_hash = std::move(hash);
  u.password_expires_at.clear();
  u.setup_step = static_cast<int>(SetupStep::None);
  u.setup_full = false;
  NANBYO_TRY_VOID(m.store->update_user(u));
  NANBYO_TRY(ended, m.end_other_sessions(p));
  return m.record(p, "first-login-complete", u.user_id,
                  {{"ended_sessions", std::to_string(ended)}});
}

Result<void> AppCore::change_password(const Principal& p, const std::string& current,
                                      const std::string& next) {
  auto lease = impl_->read();
  Impl& m = *impl_;
  NANBYO_TRY(u, m.actor(p));
  // A stolen session must not guess the current password faster than a login.
  std::chrono::seconds wait{0};
  auto attempt = m.throttle.begin(
      Impl::terminal_key(Terminal{p.hospital, p.terminal, p.cert_serial}), m.clock.now(), wait);
  if (wait.count() > 0) return m.throttled(p, u.user_id, attempt, wait, "terminal");
  wait = attempt.enter_account(u.user_id);
  if (wait.count() > 0) return m.throttled(p, u.user_id, attempt, wait, "account");
  if (!verify_password(m.keys, u.user_id, u.password_hash, current)) {
    attempt.failed();
    return m.deny(p, "password-change", u.user_id,
                  fail(Errc::AuthFailed, "the current password is wrong"));
  }
  attempt.succeeded();
  NANBYO_TRY_VOID(check_password_policy(u.user_id, next));
  if (current == next) return fail(Errc::InvalidInput, "the new password must differ");
  NANBYO_TRY(hash, hash_chosen_password(next, m.config.argon2_ops, m.config.argon2_mem));
  auto writing = m.write_lock();  // Argon2id above ran outside it
  NANBYO_TRY_VOID(m.refresh(u));
  u.password_hash = std::move(hash);
  u.password_expires_at.clear();
  NANBYO_TRY_VOID(m.store->update_user(u));
  NANBYO_TRY(ended, m.end_other_sessions(p));
  return m.record(p, "password-change", u.user_id, {{"ended_sessions", std::to_string(ended)}});
}

}  // namespace nanbyo::appcore
