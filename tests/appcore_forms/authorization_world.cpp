#include "authorization_world.h"

#include "../appcore_core/source_forms.h"
#include "form_cases.h"

namespace nanbyo::appcore::testing {

namespace ft = nanbyo::forms::testing;

Principal AuthorizationWorld::activate_doctor(const std::string& registration,
                                              const std::string& hospital, const std::string& name,
                                              std::string& id, const Principal& as) {
  auto cred = doctor(registration, hospital, name, &as);
  id = cred.user_id;
  return activate(cred.user_id, cred.initial_password, hospital);
}

AuthorizationWorld::AuthorizationWorld() {
  d1 = activate_doctor("200001", kH1, "一ノ瀬 一郎", d1_id, town);  // H1's first 責任者
  auto clerk = must(core->create_clerk(d1, "医療 事務子", "イリョウ ジムコ"));
  c1 = activate(clerk.user_id, clerk.initial_password, kH1);
  // A 責任者 user who is not a doctor takes over H1's administration.
  auto admin = must(core->create_hospital_admin_user(d1, "情報 管理", "ジョウホウ カンリ"));
  h1 = activate(admin.user_id, admin.initial_password, kH1);
  d2 = activate_doctor("200002", kH2, "二宮 二郎", d2_id, town);
  d3 = activate_doctor("200003", kH3, "三好 三郎", d3_id, other_town);
  auto clerk3 = must(core->create_clerk(d3, "大阪 事務", "オオサカ ジム"));
  c3 = activate(clerk3.user_id, clerk3.initial_password, kH3);
  auto aud = must(core->create_staff_user(op, Role::SecurityAuditor, "監査 三郎", "", ""));
  auditor = activate(aud.user_id, aud.initial_password);
  approve_affiliation(d1, kH2);
  FormServiceConfig fc = source_forms_config();
  fc.access_key_lookups = 1000;  // the matrix looks many forms up
  forms = must(FormService::open(config, fc, clock, audit));
}

Principal AuthorizationWorld::d1_at(const std::string& hospital) {
  return login(d1_id, kChosenPassword, hospital);
}

void AuthorizationWorld::request_affiliation(const Principal& doctor, const std::string& hospital) {
  must(core->request_affiliation(doctor,
                                 AffiliationRequest{hospital, "神経内科", true, "内線 123"}));
}

void AuthorizationWorld::approve_affiliation(const Principal& doctor, const std::string& hospital) {
  request_affiliation(doctor, hospital);
  const Principal& admin = hospital == kH2 ? d2 : d3;  // 責任者 of H2 and H3
  must(core->decide_affiliation(admin, doctor.user_id, hospital, AffiliationDecision::Approve, ""));
}

void AuthorizationWorld::remove_affiliation(const Principal& doctor, const std::string& hospital) {
  must(core->remove_affiliation(doctor, doctor.user_id, hospital));
}

const Principal& AuthorizationWorld::maker(const std::string& hospital) const {
  if (hospital == kH1) return c1;
  if (hospital == kH2) return d2;
  return c3;
}

const std::string& AuthorizationWorld::doctor_of(const std::string& hospital) const {
  if (hospital == kH1) return d1_id;
  if (hospital == kH2) return d2_id;
  return d3_id;
}

FormSummary AuthorizationWorld::form_at(const std::string& hospital, const std::string& state,
                                        const Principal* submitter) {
  const Principal& by = submitter ? *submitter : maker(hospital);
  auto draft = must(forms->save_draft(maker(hospital), "", "nanbyo-006", ft::parkinson_definite()));
  if (state == "submitted") {
    must(forms->submit(by, draft.form_id, doctor_of(hospital), "ご確認ください"));
  }
  if (state == "registered") {
    const std::string& doc = doctor_of(hospital);
    const Principal& signer = doc == d1_id ? d1 : doc == d2_id ? d2 : d3;
    return must(forms->approve(signer, draft.form_id));
  }
  return draft;
}

}  // namespace nanbyo::appcore::testing
