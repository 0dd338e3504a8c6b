// The audit stage (issue 17, S-7, O-2): audit.on_failure: refuse answers 503 while the audit
// log cannot be written; the default, continue, serves on.
#include "gateway/stages/audit_stage.h"

#include "tests/gateway_unit/stage_fixture.h"

using namespace nanbyo;
using namespace nanbyo::gw;
using nanbyo::gw::testing::StageCase;

namespace {

std::shared_ptr<const policy::Policy> policy_failing(policy::Audit::OnFailure on_failure) {
  auto policy = std::make_shared<policy::Policy>(*testing::stage_policy());
  policy->audit.on_failure = on_failure;
  return policy;
}

}  // namespace

TEST_CASE("S-7 audit.on_failure refuse: 503 while the audit log cannot be written", "[stages]") {
  StageCase c(http::verb::get, "/");
  c.policy = policy_failing(policy::Audit::OnFailure::Refuse);
  audit::MemoryAuditSink sink;
  auto view = c.view();
  view.audit = &sink;
  CHECK(AuditStage().run(view).proceed);

  sink.fail_writes(true);
  auto refused = AuditStage().run(view);
  CHECK_FALSE(refused.proceed);
  CHECK(refused.status == http::status::service_unavailable);
  CHECK(refused.check == "audit-unavailable");

  sink.fail_writes(false);
  CHECK(AuditStage().run(view).proceed);
}

TEST_CASE("S-7 audit.on_failure continue (the default) serves while the audit log fails",
          "[stages]") {
  audit::MemoryAuditSink sink;
  sink.fail_writes(true);
  for (const auto& policy :
       {policy_failing(policy::Audit::OnFailure::Continue), testing::stage_policy()}) {
    StageCase c(http::verb::get, "/");
    c.policy = policy;
    auto view = c.view();
    view.audit = &sink;
    CHECK(AuditStage().run(view).proceed);
  }
  CHECK(testing::stage_policy()->audit.on_failure == policy::Audit::OnFailure::Continue);
}
