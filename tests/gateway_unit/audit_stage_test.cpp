// The audit stage (issue 17, S-7, O-2): audit.on_failure: refuse answers 503 while the audit
// log cannot be written; the default, continue, serves on.
#include "gateway/stages/audit_stage.h"

#include "tests/gateway_unit/stage_fixture.h"

using namespace nanbyo;
using namespace nanbyo::gw;
using nanbyo::gw::testing::StageCase;

namespace {

std::shared_ptr<const policy::Policy> policy_failing(const std::string& on_failure) {
  auto loaded = policy::load_policy_text(R"(
version: 1
audit: {path: /tmp/audit.jsonl, on_failure: )" + on_failure + R"(}
listeners:
  - name: hospital
    listen: 127.0.0.1:8443
    tls: {certificate: s.crt, private_key: s.key, client_ca: ca.crt, crl: crl.pem}
upstreams:
  - {name: appcore, address: 127.0.0.1:9000}
routes:
  - {listener: hospital, path_prefix: /, upstream: appcore}
)",
                                         "test.yaml");
  INFO((loaded ? std::string() : loaded.error().message));
  REQUIRE(loaded.ok());
  return loaded.value();
}

}  // namespace

TEST_CASE("S-7 audit.on_failure refuse: 503 while the audit log cannot be written", "[stages]") {
  StageCase c(http::verb::get, "/");
  c.policy = policy_failing("refuse");
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
  for (const auto& policy : {policy_failing("continue"), testing::stage_policy()}) {
    StageCase c(http::verb::get, "/");
    c.policy = policy;
    auto view = c.view();
    view.audit = &sink;
    CHECK(AuditStage().run(view).proceed);
  }
  CHECK(testing::stage_policy()->audit.on_failure == policy::Audit::OnFailure::Continue);
}
