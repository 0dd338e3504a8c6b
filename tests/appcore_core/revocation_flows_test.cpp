// ID-5 validity extension and ID-6 transfer out: key revoked, every session
// ended, the municipality's scope enforced; after ID-5 the next login repeats ID-4.
#include <catch2/catch.hpp>

#include "core_fixture.h"

using namespace nanbyo::appcore;
using namespace nanbyo::appcore::testing;
using nanbyo::audit::Outcome;

namespace {

struct ActiveDoctor {
  IssuedCredential cred;
  std::string session_token;
  std::string key_id;
};

ActiveDoctor active_doctor(CoreFixture& f, const std::string& registration) {
  auto cred = f.doctor(registration);
  auto r = must(f.core->login(cred.user_id, cred.initial_password, Terminal{kHospital, "pc"}));
  must(f.core->register_email(r.principal, "doc@example.jp"));
  auto key = must(f.core->issue_key_file(r.principal));
  must(f.core->complete_first_login(r.principal, "q", "a", kChosenPassword));
  return {cred, r.session_token, key.key_id};
}

}  // namespace

TEST_CASE("ID-5: extending the validity revokes the key and ends every session") {
  CoreFixture f;
  auto doc = active_doctor(f, "500");
  auto second = must(f.core->login(doc.cred.user_id, kChosenPassword, Terminal{kHospital, "pc2"}));

  auto out =
      must(f.core->extend_designation(f.town, f.designation_of(doc.cred.user_id), "2036-03-31"));
  CHECK(out.user_id == doc.cred.user_id);
  REQUIRE(out.revoked_key_ids.size() == 1);
  CHECK(out.revoked_key_ids[0] == doc.key_id);
  CHECK(out.ended_sessions == 2);
  CHECK_FALSE(f.core->resolve_session(doc.session_token, Terminal{kHospital, "pc"}).ok());
  CHECK_FALSE(f.core->resolve_session(second.session_token, Terminal{kHospital, "pc2"}).ok());
  CHECK(must(f.core->user(f.town, doc.cred.user_id)).designations.at(0).expires_on == "2036-03-31");
  CHECK(f.audited("validity-extend", Outcome::Allow, doc.cred.user_id));

  // Next login: e-mail and a new key file, no new password.
  auto r = must(f.core->login(doc.cred.user_id, kChosenPassword, Terminal{kHospital, "pc"}));
  CHECK(r.next_step == SetupStep::RegisterEmail);
  must(f.core->register_email(r.principal, "doc-new@example.jp"));
  auto key = must(f.core->issue_key_file(r.principal));
  CHECK(key.key_id != doc.key_id);
  CHECK(must(f.core->setup_step(r.principal)) == SetupStep::None);
}

TEST_CASE("ID-5/ID-6: another municipality's doctor is out of scope") {
  CoreFixture f;
  auto doc = active_doctor(f, "501");
  const auto designation = f.designation_of(doc.cred.user_id);
  // Another municipality's designation answers like an unknown one.
  CHECK(code_of(f.core->extend_designation(f.other_town, designation, "2036-03-31")) ==
        Errc::NotFound);
  CHECK(code_of(f.core->end_designation(f.other_town, designation)) == Errc::NotFound);
  CHECK(code_of(f.core->user(f.other_town, doc.cred.user_id)) == Errc::Forbidden);
  CHECK(must(f.core->list_doctors(f.other_town)).empty());
  CHECK(f.audited("validity-extend", Outcome::Deny, designation));
  // The session is untouched by the refused calls.
  CHECK(f.core->resolve_session(doc.session_token, Terminal{kHospital, "pc"}).ok());
}

TEST_CASE("ID-5: a date in the past or malformed is refused") {
  CoreFixture f;
  auto cred = f.doctor("502");
  const auto d = f.designation_of(cred.user_id);
  CHECK(code_of(f.core->extend_designation(f.town, d, "2020-01-01")) == Errc::InvalidInput);
  CHECK(code_of(f.core->extend_designation(f.town, d, "next year")) == Errc::InvalidInput);
}

TEST_CASE("ID-6: transfer out deletes the ID, revokes the key, ends sessions") {
  CoreFixture f;
  auto doc = active_doctor(f, "600");
  auto second = f.doctor("601");
  auto ended = must(f.core->end_designation(f.town, f.designation_of(doc.cred.user_id)));
  CHECK(ended.id_deleted);
  const auto& out = ended.revocation;
  CHECK(out.revoked_key_ids.size() == 1);
  CHECK(out.ended_sessions == 1);
  CHECK(code_of(f.core->user(f.town, doc.cred.user_id)) == Errc::NotFound);
  CHECK(code_of(f.core->login(doc.cred.user_id, kChosenPassword, Terminal{kHospital, "pc"})) ==
        Errc::AuthFailed);
  // The hospital's 責任者 passes to the remaining first doctor.
  CHECK(must(f.core->user(f.town, second.user_id)).hospital_admin);
  CHECK(f.audited("doctor-transfer-out", Outcome::Allow, doc.cred.user_id));
  // The number is free again: a new municipality may register the doctor afresh.
  auto again = must(f.core->register_doctor(f.other_town, [] {
    DoctorInput d;
    d.name = "山田 太郎";
    d.registration_number = "600";
    d.hospital_number = kOtherHospital;
    d.hospital_name = "大阪北病院";
    return d;
  }()));
  CHECK(again.status == RegistrationStatus::Issued);
}
