// ID-8: a doctor registers up to 10 兼務先 and may then log in from their PCs.
#include <catch2/catch.hpp>

#include "core_fixture.h"

using namespace nanbyo::appcore;
using namespace nanbyo::appcore::testing;

TEST_CASE("ID-8: up to ten 兼務先, each a registered hospital") {
  CoreFixture f;
  auto cred = f.doctor("800");
  auto doc = f.activate(cred.user_id, cred.initial_password, kHospital);
  for (int i = 0; i < 11; ++i) {
    char number[16];
    std::snprintf(number, sizeof number, "13200000%02d", i);
    must(f.core->register_hospital(f.town, Hospital{number, "兼務病院", "東京都", ""}));
  }
  CHECK(code_of(f.core->add_affiliation(doc, "1399999999")) == Errc::NotFound);
  CHECK(code_of(f.core->add_affiliation(doc, kHospital)) == Errc::Conflict);
  for (int i = 0; i < 10; ++i) {
    char number[16];
    std::snprintf(number, sizeof number, "13200000%02d", i);
    must(f.core->add_affiliation(doc, number));
  }
  CHECK(code_of(f.core->add_affiliation(doc, "1320000010")) == Errc::Conflict);
  CHECK(must(f.core->affiliations(doc)).size() == 10);

  // Login from a 兼務先's PC works; from an unrelated hospital it does not.
  CHECK(f.core->login(cred.user_id, kChosenPassword, Terminal{"1320000003", "pc"}).ok());
  CHECK_FALSE(f.core->login(cred.user_id, kChosenPassword, Terminal{"1320000010", "pc"}).ok());

  must(f.core->remove_affiliation(doc, "1320000003"));
  CHECK(code_of(f.core->remove_affiliation(doc, "1320000003")) == Errc::NotFound);
  CHECK_FALSE(f.core->login(cred.user_id, kChosenPassword, Terminal{"1320000003", "pc"}).ok());
  must(f.core->add_affiliation(doc, "1320000010"));
  CHECK(f.audited("affiliation-add", nanbyo::audit::Outcome::Allow, cred.user_id));
}

TEST_CASE("ID-8: clerks have no 兼務先") {
  CoreFixture f;
  auto a = f.doctor("801");
  auto admin = f.activate(a.user_id, a.initial_password, kHospital);
  auto clerk = must(f.core->create_clerk(admin, "事務", ""));
  auto cp = f.activate(clerk.user_id, clerk.initial_password, kHospital);
  CHECK(code_of(f.core->add_affiliation(cp, kOtherHospital)) == Errc::Forbidden);
}
