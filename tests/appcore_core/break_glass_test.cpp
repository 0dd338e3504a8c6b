// Break-glass (issue 12): with every operator locked, a shell on the appliance
// unlocks one or gives it a new initial password, audited as "break-glass"
// with the OS user.
#include <catch2/catch.hpp>

#include "core_fixture.h"

using namespace nanbyo::appcore;
using namespace nanbyo::appcore::testing;
using nanbyo::audit::Outcome;

namespace {

const BreakGlassActor kShell{"alice", 1000, "", "appliance"};

bool audited_by_shell(const CoreFixture& f, const std::string& event, const std::string& subject) {
  for (const auto& e : f.audit.events()) {
    if (e.event == event && e.subject == subject && e.actor == "break-glass" &&
        e.detail.count("os_user") && e.detail.at("os_user") == "alice")
      return true;
  }
  return false;
}

}  // namespace

TEST_CASE("break-glass: unlock an operator nobody can unlock any more") {
  CoreFixture f;
  auto second = must(f.core->create_staff_user(f.op, Role::Operator, "運用 次郎", "", ""));
  auto op2 = f.activate(second.user_id, second.initial_password);
  // The second operator locks the first; then nobody in the web UI unlocks him
  // should the second be away (or locked by the first before).
  must(f.core->set_locked(op2, f.op.user_id, true));
  CHECK(code_of(f.core->login(f.op.user_id, kChosenPassword, Terminal{})) == Errc::Locked);

  must(f.core->break_glass_unlock(kShell, f.op.user_id));
  CHECK(audited_by_shell(f, "break-glass-unlock", f.op.user_id));
  CHECK(f.core->login(f.op.user_id, kChosenPassword, Terminal{}).ok());
}

TEST_CASE("break-glass: reset-password issues a new initial password and ends sessions") {
  CoreFixture f;
  auto old_session = must(f.core->login(f.op.user_id, kChosenPassword, Terminal{}));
  auto cred = must(f.core->break_glass_reset_password(kShell, f.op.user_id));
  CHECK(cred.user_id == f.op.user_id);
  CHECK(audited_by_shell(f, "break-glass-password-reset", f.op.user_id));
  CHECK_FALSE(f.core->resolve_session(old_session.session_token, Terminal{}).ok());
  CHECK(code_of(f.core->login(f.op.user_id, kChosenPassword, Terminal{})) == Errc::AuthFailed);
  auto r = must(f.core->login(f.op.user_id, cred.initial_password, Terminal{}));
  CHECK(r.next_step == SetupStep::SetPassword);
}

TEST_CASE("break-glass: an unknown ID is refused and audited") {
  CoreFixture f;
  CHECK(code_of(f.core->break_glass_unlock(kShell, "O9999999")) == Errc::NotFound);
  CHECK(f.audited("break-glass-unlock", Outcome::Deny, "O9999999"));
}
