// A hospital with a designated doctor (key file issued) and a clerk, and the
// forms service on the same database: the fixture of the forms tests.
#pragma once

#include "../appcore_core/core_fixture.h"
#include "../appcore_core/source_forms.h"

#include "appcore/check/batch.h"
#include "appcore/core/forms_api.h"
#include "pki/user_key_file.h"

namespace nanbyo::appcore::testing {

struct FormsFixture : CoreFixture {
  FormsFixture() {
    auto cred =
        must(core->register_doctor(town, DoctorInput{"鈴木 和也", "", "123456", Role::NanbyoDoctor,
                                                     kHospital, "霞が関中央病院", "", "神経内科",
                                                     "2026-04-01", "2031-03-31", "13-0001"}));
    doctor_id = cred.user_id;
    doctor_p = first_login(doctor_id, cred.credential.initial_password, key_file);
    auto clerk_cred = must(core->create_clerk(doctor_p, "田中 花子", "タナカ ハナコ"));
    clerk = activate(clerk_cred.user_id, clerk_cred.initial_password, kHospital);
    FormServiceConfig fc = source_forms_config();
    fc.access_key_lookups = 3;
    forms = must(FormService::open(config, fc, clock, audit));
  }
  Principal first_login(const std::string& id, const std::string& password, std::string& key_out,
                        bool full = true) {
    auto r = must(core->login(id, password, Terminal{kHospital, "pc-01"}));
    must(core->register_email(r.principal, id + "@example.jp"));
    key_out = must(core->issue_key_file(r.principal)).key_file;
    if (full)
      must(core->complete_first_login(r.principal, "質問", "答え", kChosenPassword));
    else
      must(core->complete_first_login(r.principal, "質問", "答え", "Umi-Yama-Sora-2027"));
    return r.principal;
  }
  std::string seal(check::Batch batch, const std::string& key_text) {
    auto key = must(pki::parse_key_file(key_text));
    batch.user_id = key.user_id;
    batch.created_at = format_utc(clock.now());
    return must(check::seal_batch(batch, key, clock.now()));
  }
  std::string doctor_id, key_file;
  Principal doctor_p, clerk;
  std::unique_ptr<FormService> forms;
};

}  // namespace nanbyo::appcore::testing
