#include <catch2/catch.hpp>

#include "core_fixture.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace nanbyo::appcore::testing {

CoreFixture::CoreFixture() {
  char tmpl[] = "/tmp/appcore-core-XXXXXX";
  dir = ::mkdtemp(tmpl);
  config.database = dir / "appcore.db";
  config.master_key = dir / "master.key";
  config.create_master_key = true;
  // Fast Argon2id for tests; production costs are in CoreConfig.
  config.argon2_ops = crypto_pwhash_OPSLIMIT_MIN;
  config.argon2_mem = crypto_pwhash_MEMLIMIT_MIN;
  reopen();
  auto cred = must(core->bootstrap_operator("運用 一郎", Terminal{"", "console"}));
  op = activate(cred.user_id, cred.initial_password);
  must(core->register_municipality(op, Municipality{kTown, "千代田区"}));
  must(core->register_municipality(op, Municipality{kOtherTown, "大阪市"}));
  auto t1 = must(core->create_staff_user(op, Role::MunicipalAdmin, "区役所 花子", "", kTown));
  town = activate(t1.user_id, t1.initial_password);
  auto t2 = must(core->create_staff_user(op, Role::MunicipalAdmin, "市役所 次郎", "", kOtherTown));
  other_town = activate(t2.user_id, t2.initial_password);
}

CoreFixture::~CoreFixture() {
  core.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

void CoreFixture::reopen() {
  core.reset();
  core = must(AppCore::open(config, clock, audit));
}

Principal CoreFixture::login(const std::string& user_id, const std::string& password,
                             const std::string& hospital) {
  auto r = must(core->login(user_id, password, Terminal{hospital, "pc-01"}));
  return r.principal;
}

Principal CoreFixture::activate(const std::string& user_id, const std::string& password,
                                const std::string& hospital) {
  auto r = must(core->login(user_id, password, Terminal{hospital, "pc-01"}));
  Principal p = r.principal;
  auto step = r.next_step;
  if (step == SetupStep::RegisterEmail)
    step = must(core->register_email(p, user_id + "@example.jp"));
  if (step == SetupStep::IssueKey) {
    must(core->issue_key_file(p));
    step = must(core->setup_step(p));
  }
  if (step == SetupStep::SetPassword) {
    must(core->complete_first_login(p, "最初のペットの名前", "ポチ", kChosenPassword));
  }
  return p;
}

IssuedCredential CoreFixture::doctor(const std::string& registration, const std::string& hospital,
                                     const std::string& name, const Principal* as) {
  DoctorInput d;
  d.name = name;
  d.kana = "ヤマダ タロウ";
  d.registration_number = registration;
  d.kind = Role::NanbyoDoctor;
  d.hospital_number = hospital;
  d.hospital_name = "千代田中央病院";
  d.hospital_address = "東京都千代田区1-1";
  d.department = "神経内科";
  d.designated_on = "2026-04-01";
  d.expires_on = "2031-03-31";
  d.doctor_number = "13-0001";
  auto r = must(core->register_doctor(as ? *as : town, d));
  REQUIRE(r.status == RegistrationStatus::Issued);
  return r.credential;
}

std::string CoreFixture::designation_of(const std::string& user_id, const Principal* as) {
  auto v = must(core->user(as ? *as : town, user_id));
  REQUIRE_FALSE(v.designations.empty());
  return v.designations.front().id;
}

bool CoreFixture::audited(const std::string& event, audit::Outcome outcome,
                          const std::string& subject) {
  for (const auto& e : audit.events())
    if (e.event == event && e.outcome == outcome && (subject.empty() || e.subject == subject))
      return true;
  return false;
}

std::string CoreFixture::database_bytes() const {
  std::string all;
  for (auto name : {"appcore.db", "appcore.db-wal"}) {
    std::ifstream in(dir / name, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    all += ss.str();
  }
  return all;
}

}  // namespace nanbyo::appcore::testing
