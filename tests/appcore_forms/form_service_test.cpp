// The forms side of appcore/core end to end: web entry, workflow, access keys,
// municipality view, carry-over, search, and the XML round trip through
// nanbyo-check and the encrypted upload (tampered, outdated, revoked refused).
#include <catch2/catch.hpp>

#include <chrono>
#include <future>

#include "../appcore_core/core_fixture.h"

#include "appcore/check/check_run.h"
#include "appcore/core/forms_api.h"
#include "appcore/forms/xml.h"
#include "disease_cases.h"
#include "form_cases.h"
#include "forms_fixture.h"

using namespace nanbyo;
using namespace nanbyo::appcore;
using namespace nanbyo::appcore::testing;
namespace ft = nanbyo::forms::testing;

TEST_CASE("web form → XML export → nanbyo-check → encrypted upload → the same form", "[unit]") {
  FormsFixture f;
  auto values = ft::parkinson_definite();
  auto draft = must(f.forms->save_draft(f.doctor_p, "", "nanbyo-006", values));
  auto registered = must(f.forms->approve(f.doctor_p, draft.form_id));
  CHECK(registered.status == "registered");
  CHECK(normalize_access_key(registered.access_key).size() == 16);
  const std::string xml = must(f.forms->export_xml(f.doctor_p, draft.form_id));

  auto reader = must(forms::XmlFormReader::create(ft::catalog()));
  auto run = check::check_files(*reader, *ft::catalog(), {{"export.xml", xml}});
  REQUIRE(run.packed == 1);
  CHECK(run.errors.empty());
  auto outcome = must(f.forms->import_batch(f.doctor_p, f.seal(run.batch, f.key_file)));
  REQUIRE(outcome.imported == 1);
  REQUIRE(outcome.items[0].imported);
  CHECK(outcome.items[0].status == "registered");
  auto original = must(f.forms->get(f.doctor_p, draft.form_id));
  auto imported = must(f.forms->get(f.doctor_p, outcome.items[0].form_id));
  CHECK(imported.values == original.values);
  CHECK(imported.judgments.size() == original.judgments.size());
  CHECK(imported.summary.access_key != original.summary.access_key);

  // The same batch again imports nothing twice.
  auto again = must(f.forms->import_batch(f.doctor_p, f.seal(run.batch, f.key_file)));
  CHECK(again.imported == 1);  // a new seal is a new batch (new nonce) ...
  const std::string sealed = f.seal(run.batch, f.key_file);
  must(f.forms->import_batch(f.doctor_p, sealed));
  CHECK(must(f.forms->import_batch(f.doctor_p, sealed)).already == 1);  // ... the same file is not
}

TEST_CASE("uploads: tampered, outdated tool, other user's and revoked keys are refused", "[unit]") {
  FormsFixture f;
  check::Batch batch;
  batch.forms.push_back(
      {"a.xml", "R1", "nanbyo-006",
       forms::write_form_xml(ft::definition("nanbyo-006"), ft::parkinson_definite())});
  std::string sealed = f.seal(batch, f.key_file);
  std::string tampered = sealed;
  tampered[tampered.size() / 2] ^= 0x01;
  auto r = f.forms->import_batch(f.doctor_p, tampered);
  CHECK(code_of(r) == Errc::Forbidden);

  check::Batch old = batch;
  old.tool_version = "0.9.3";
  auto outdated = f.forms->import_batch(f.doctor_p, f.seal(old, f.key_file));
  CHECK(code_of(outdated) == Errc::Conflict);
  CHECK(error_text(outdated.error()).find("version 1.0.0 or newer is needed") !=
        std::string_view::npos);

  // A clerk cannot upload a doctor's batch.
  CHECK(code_of(f.forms->import_batch(f.clerk, sealed)) == Errc::Forbidden);

  // Validity extension (ID-5) revokes the key; the old batch no longer opens.
  must(f.core->extend_designation(f.town, f.designation_of(f.doctor_id), "2032-03-31"));
  std::string new_key;
  auto relog = must(f.core->login(f.doctor_id, kChosenPassword, Terminal{kHospital, "pc-01"}));
  must(f.core->register_email(relog.principal, "d@example.jp"));
  new_key = must(f.core->issue_key_file(relog.principal)).key_file;
  auto revoked = f.forms->import_batch(relog.principal, sealed);
  CHECK(code_of(revoked) == Errc::Forbidden);
  CHECK(error_text(revoked.error()).find("cannot be opened") != std::string_view::npos);
  CHECK(f.audited("form-import", audit::Outcome::Deny));
}

namespace {

// A batch of `n` complete Parkinson forms, one per file, as nanbyo-check packs them.
check::Batch parkinson_batch(int n) {
  check::Batch batch;
  const auto& def = ft::definition("nanbyo-006");
  for (int i = 0; i < n; ++i)
    batch.forms.push_back({"f" + std::to_string(i) + ".xml", "R" + std::to_string(i), def.id,
                           forms::write_form_xml(def, ft::parkinson_definite())});
  return batch;
}

}  // namespace

TEST_CASE("an upload writes in chunks with progress and frees the write lock between them",
          "[unit]") {
  FormsFixture f;
  check::Batch batch = parkinson_batch(70);
  batch.forms[40].xml = "<forms>";  // one bad file loses nothing else
  std::vector<std::pair<std::size_t, std::size_t>> seen;
  std::size_t others_saved = 0, between = 0;
  auto out = must(f.forms->import_batch(
      f.doctor_p, f.seal(batch, f.key_file), [&](std::size_t done, std::size_t total) {
        seen.emplace_back(done, total);
        if (done == 0 || done == total) return;
        ++between;
        // Between chunks another user writes at once (the lock is free).
        auto other = std::async(std::launch::async, [&] {
          return f.forms->save_draft(f.clerk, "", "nanbyo-006", ft::parkinson_definite()).ok();
        });
        REQUIRE(other.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
        others_saved += other.get();
      }));
  CHECK(out.imported == 69);
  CHECK(out.failed == 1);
  CHECK_FALSE(out.items[40].reasons.empty());
  CHECK(out.items[0].patient_name == "難病 花子");
  CHECK(out.items[0].written_on == "2026-05-01");
  CHECK(out.items[0].disease == ft::definition("nanbyo-006").title);
  REQUIRE(seen.size() >= 3);
  CHECK(seen.front() == std::pair<std::size_t, std::size_t>{0, 70});
  CHECK(seen.back() == std::pair<std::size_t, std::size_t>{70, 70});
  for (std::size_t i = 1; i < seen.size(); ++i) CHECK(seen[i].first >= seen[i - 1].first);
  CHECK(between >= 2);  // 70 forms: three chunks
  CHECK(others_saved == between);
}

// The forms are staged (sealed, filled from the designation) ahead of their
// chunk; each chunk's transaction reads the doctor's designations again and
// restages its forms when they changed.
TEST_CASE("ID-1: a designation ended during an upload counts from the next chunk", "[unit]") {
  FormsFixture f;
  check::Batch batch = parkinson_batch(70);
  bool ended = false;
  auto out = must(f.forms->import_batch(
      f.doctor_p, f.seal(batch, f.key_file), [&](std::size_t done, std::size_t) {
        if (done == 0 || ended) return;
        ended = true;  // after the first chunk: 転出 of the doctor's only designation
        auto end = std::async(std::launch::async, [&] {
          return f.core->end_designation(f.town, f.designation_of(f.doctor_id)).ok();
        });
        REQUIRE(end.get());
      }));
  REQUIRE(ended);
  CHECK(out.imported == 70);
  for (std::size_t i = 0; i < 70; ++i) {
    INFO("form " << i);
    const ImportItem& item = out.items[i];
    if (i < 32) {
      CHECK(item.status == "registered");
      CHECK_FALSE(item.access_key.empty());
    } else {
      CHECK(item.status == "draft");  // kept for a doctor who may register it
      CHECK(item.access_key.empty());
      REQUIRE_FALSE(item.reasons.empty());
      CHECK(item.reasons.back().rfind("doctor: ", 0) == 0);
    }
  }
}

TEST_CASE("F-11: a municipality imports scanned paper forms converted to XML", "[unit]") {
  FormsFixture f;
  auto no_hoehn_yahr = ft::parkinson_definite();
  no_hoehn_yahr.erase("hoehn_yahr");
  auto bad_choice = ft::parkinson_definite();
  bad_choice["hoehn_yahr"] = forms::text_value("9");
  const auto complete = ft::parkinson_definite();
  const auto& def = ft::definition("nanbyo-006");
  const std::string xml = forms::write_forms_xml(
      {{&def, &complete, "P-1"}, {&def, &no_hoehn_yahr, "P-2"}, {&def, &bad_choice, "P-3"}});
  // Hospitals upload through nanbyo-check; this path is the municipality's.
  CHECK(code_of(f.forms->import_paper_xml(f.doctor_p, "scan.xml", xml)) == Errc::Forbidden);
  CHECK(code_of(f.forms->import_paper_xml(f.town, "broken.xml", xml.substr(0, 200))) ==
        Errc::InvalidInput);

  auto out = must(f.forms->import_paper_xml(f.town, "scan.xml", xml));
  CHECK(out.imported == 2);
  CHECK(out.failed == 1);
  // The doctor signed the paper: registered with an access key, the missing
  // item reported, not refused; a value outside its choices is refused.
  for (int i : {0, 1}) {
    CHECK(out.items[i].status == "registered");
    CHECK(out.items[i].access_key.size() == 19);
  }
  REQUIRE(out.items[1].reasons.size() == 1);
  CHECK(out.items[1].reasons[0].find("hoehn_yahr") == 0);
  CHECK_FALSE(out.items[2].imported);
  CHECK(out.items[2].ref == "P-3");

  // The importing municipality opens, records and prints them (F-10) ...
  const std::string id = out.items[0].form_id;
  auto form = must(f.forms->get(f.town, id));
  CHECK(form.summary.status == "registered");
  CHECK(form.summary.hospital.empty());
  CHECK_FALSE(form.judgments.empty());
  must(f.forms->record_municipality(f.town, id, {"approved", "yes", "一般所得I", "", ""}));
  CHECK(must(f.forms->print_view(f.town, id, false)).masked);
  auto history = must(f.forms->history(f.town, id));
  REQUIRE_FALSE(history.empty());
  CHECK(history.back().comment == "紙の個人票（電子化）取込");
  // ... another municipality does not, and no hospital lists them ...
  CHECK(code_of(f.forms->get(f.other_town, id)) == Errc::NotFound);
  CHECK(must(f.forms->search(f.doctor_p, {})).empty());
  // ... until a doctor has the patient's access key (F-8: next year's update).
  CHECK(must(f.forms->find_by_access_key(f.doctor_p, out.items[0].access_key)).summary.form_id ==
        id);
  // The same file again imports nothing twice.
  auto again = must(f.forms->import_paper_xml(f.town, "scan.xml", xml));
  CHECK(again.imported == 0);
  CHECK(again.already == 2);
  CHECK(f.audited("form-paper-import", audit::Outcome::Allow));
  CHECK(f.audited("form-paper-import", audit::Outcome::Deny));
}

TEST_CASE("clerk drafts, comments and submits, pull-back, the doctor approves", "[unit]") {
  FormsFixture f;
  auto values = ft::uc_severe();
  values.erase("uc_severity");
  auto draft = must(f.forms->save_draft(f.clerk, "", "nanbyo-097", values));
  must(f.forms->submit(f.clerk, draft.form_id, f.doctor_id, "ご確認をお願いします。"));
  must(f.forms->pull_back(f.clerk, draft.form_id, "修正します"));
  must(f.forms->submit(f.clerk, draft.form_id, f.doctor_id, "再度お願いします。"));
  CHECK(code_of(f.forms->approve(f.clerk, draft.form_id)) == Errc::Forbidden);
  // The doctor sees the check highlight: 重症度 is missing.
  auto eval =
      must(f.forms->evaluate("nanbyo-097", must(f.forms->get(f.doctor_p, draft.form_id)).values));
  REQUIRE(eval.messages.size() == 1);
  CHECK(eval.messages[0].field == "uc_severity");
  CHECK(code_of(f.forms->approve(f.doctor_p, draft.form_id)) == Errc::InvalidInput);
  values["uc_severity"] =
      forms::text_value("mild");  // inconsistent: registration still allowed (F-4)
  must(f.forms->save_draft(f.doctor_p, draft.form_id, "", values));
  auto reg = must(f.forms->approve(f.doctor_p, draft.form_id, "承認"));
  auto rec = must(f.forms->get(f.doctor_p, draft.form_id));
  bool inconsistent = false;
  for (const auto& j : rec.judgments) inconsistent |= j.id == "severity" && !j.consistent;
  CHECK(inconsistent);
  auto h = must(f.forms->history(f.doctor_p, draft.form_id));
  REQUIRE(h.size() == 5);
  CHECK(h[1].comment == "ご確認をお願いします。");
  CHECK(h[2].status == "draft");
  CHECK(h[4].status == "registered");
  CHECK(reg.access_key.size() == 19);
}

TEST_CASE("access key: municipality view, certification and masked print, rate limit", "[unit]") {
  FormsFixture f;
  auto draft = must(f.forms->save_draft(f.doctor_p, "", "nanbyo-006", ft::parkinson_definite()));
  auto reg = must(f.forms->approve(f.doctor_p, draft.form_id));
  CHECK(code_of(f.forms->get(f.town, draft.form_id)) == Errc::NotFound);  // not before the key
  std::string typo = reg.access_key;
  typo[0] = typo[0] == 'A' ? 'B' : 'A';
  CHECK(code_of(f.forms->find_by_access_key(f.town, typo)) == Errc::InvalidInput);
  std::string lower = reg.access_key;
  for (auto& c : lower) c = static_cast<char>(std::tolower(c));
  auto found = must(f.forms->find_by_access_key(f.town, lower));
  CHECK(found.summary.form_id == draft.form_id);
  must(f.forms->record_municipality(f.town, draft.form_id,
                                    {"approved", "yes", "一般所得I", "", ""}));
  auto print = must(f.forms->print_view(f.town, draft.form_id, false));
  CHECK(print.masked);
  bool masked_name = false, clear_hy = false;
  for (const auto& s : print.sections)
    for (const auto& r : s.rows) {
      masked_name |= r.label == "氏名" && r.value == "＊＊＊";
      clear_hy |= r.label == "Hoehn-Yahr重症度分類" && r.value == "3度";
    }
  CHECK(masked_name);
  CHECK(clear_hy);
  CHECK(must(f.forms->get(f.town, draft.form_id)).municipality.income_category == "一般所得I");
  must(f.forms->find_by_access_key(f.town, reg.access_key));  // 3rd lookup in the window
  CHECK(code_of(f.forms->find_by_access_key(f.town, reg.access_key)) == Errc::Locked);  // 4th
  CHECK(f.audited("access-key-lookup", audit::Outcome::Deny));
  f.clock.advance(std::chrono::seconds(601));
  must(f.forms->find_by_access_key(f.town, reg.access_key));
}

TEST_CASE("carry-over starts next year's form, diff, search, contents encrypted at rest",
          "[unit]") {
  FormsFixture f;
  auto draft = must(f.forms->save_draft(f.doctor_p, "", "nanbyo-006", ft::parkinson_definite()));
  must(f.forms->approve(f.doctor_p, draft.form_id));
  auto next = must(f.forms->carry_over(f.doctor_p, draft.form_id));
  auto rec = must(f.forms->get(f.doctor_p, next.form_id));
  CHECK(rec.values.at("patient_name").text == "難病 花子");
  CHECK(rec.values.at("application_type").text == "renewal");
  CHECK(rec.values.count("hoehn_yahr") == 0);  // severity is entered afresh
  auto changes = must(f.forms->diff(f.doctor_p, next.form_id));
  bool app_changed = false;
  for (const auto& c : changes) app_changed |= c.field == "application_type" && c.after == "更新";
  CHECK(app_changed);
  FormSearch q;
  q.patient_kana = "ナンビョウ ハナコ";
  CHECK(must(f.forms->search(f.doctor_p, q)).size() == 2);
  q.status = "registered";
  CHECK(must(f.forms->search(f.doctor_p, q)).size() == 1);
  const std::string bytes = f.database_bytes();
  CHECK(bytes.find("難病 花子") == std::string::npos);
  CHECK(bytes.find("ナンビョウ") == std::string::npos);
  CHECK(bytes.find("霞が関1-2-2") == std::string::npos);
}

TEST_CASE("ID-1: a form is registered only under a designation of its law", "[unit]") {
  FormsFixture f;
  // A 小慢指定医 of the other municipality working at the same hospital.
  DoctorInput shoman{"小児 医師", "",       "654321",     Role::PediatricDoctor, kHospital, "",
                     "",          "小児科", "2026-04-01", "2031-03-31",          "27-S-1"};
  auto ped = must(f.core->register_doctor(f.other_town, shoman));
  std::string ped_key;
  auto ped_p = f.first_login(ped.user_id, ped.credential.initial_password, ped_key);

  auto clinical = must(f.forms->save_draft(ped_p, "", "nanbyo-006", ft::parkinson_definite()));
  auto refused = f.forms->approve(ped_p, clinical.form_id);
  REQUIRE(code_of(refused) == Errc::Forbidden);
  CHECK(error_text(refused.error()).find("needs a valid 難病指定医") != std::string_view::npos);
  CHECK(f.audited("form-approve", audit::Outcome::Deny, clinical.form_id));
  auto opinion = must(f.forms->save_draft(ped_p, "", "shoman-5-091", ft::prader_willi()));
  CHECK(must(f.forms->approve(ped_p, opinion.form_id)).status == "registered");
  // ... and the 難病指定医 cannot register the 医療意見書.
  auto other = must(f.forms->save_draft(f.doctor_p, "", "shoman-5-091", ft::prader_willi()));
  CHECK(code_of(f.forms->approve(f.doctor_p, other.form_id)) == Errc::Forbidden);

  // A clerk sends a draft only to a doctor who may register it.
  auto draft = must(f.forms->save_draft(f.clerk, "", "nanbyo-006", ft::parkinson_definite()));
  CHECK(code_of(f.forms->submit(f.clerk, draft.form_id, ped.user_id, "")) == Errc::Forbidden);
  must(f.forms->submit(f.clerk, draft.form_id, f.doctor_id, ""));

  SECTION("the same person, once also 難病指定医, registers both") {
    DoctorInput nanbyo = shoman;
    nanbyo.kind = Role::NanbyoDoctor;
    nanbyo.doctor_number = "13-9";
    CHECK(must(f.core->register_doctor(f.town, nanbyo)).status ==
          RegistrationStatus::DesignationAdded);
    CHECK(must(f.forms->approve(ped_p, clinical.form_id)).status == "registered");
  }
  SECTION("a 協力難病指定医 registers renewals only") {
    DoctorInput coop{"協力 医師",  "",           "765432", Role::CooperatingDoctor,
                     kHospital,    "",           "",       "内科",
                     "2026-04-01", "2031-03-31", "13-C1"};
    auto c = must(f.core->register_doctor(f.town, coop));
    std::string c_key;
    auto coop_p = f.first_login(c.user_id, c.credential.initial_password, c_key);
    auto fresh = must(f.forms->save_draft(coop_p, "", "nanbyo-006", ft::parkinson_definite()));
    auto no = f.forms->approve(coop_p, fresh.form_id);
    REQUIRE(code_of(no) == Errc::Forbidden);
    CHECK(error_text(no.error()).find("renewal") != std::string_view::npos);
    auto values = ft::parkinson_definite();
    values["application_type"] = forms::text_value("renewal");
    auto renewal = must(f.forms->save_draft(coop_p, "", "nanbyo-006", values));
    CHECK(must(f.forms->approve(coop_p, renewal.form_id)).status == "registered");
  }
}

TEST_CASE("each specific definition: saved, registered, exported, nanbyo-check, uploaded",
          "[unit]") {
  FormsFixture f;
  // 医療意見書 are registered by a 小慢指定医 (ID-1).
  DoctorInput pediatric{"小児 医師", "",       "654321",     Role::PediatricDoctor, kHospital, "",
                        "",          "小児科", "2026-04-01", "2031-03-31",          "27-S-1"};
  auto ped = must(f.core->register_doctor(f.other_town, pediatric));
  std::string ped_key;
  auto ped_p = f.first_login(ped.user_id, ped.credential.initial_password, ped_key);
  auto reader = must(forms::XmlFormReader::create(ft::catalog()));
  for (const auto& [id, values] : ft::specific_disease_samples()) {
    INFO(id);
    const bool opinion = id.starts_with("shoman-");
    const Principal& doctor = opinion ? ped_p : f.doctor_p;
    auto draft = must(f.forms->save_draft(doctor, "", id, values));
    auto registered = must(f.forms->approve(doctor, draft.form_id));
    CHECK(registered.status == "registered");
    const std::string xml = must(f.forms->export_xml(doctor, draft.form_id));
    CHECK(xml.find("<" + id) != std::string::npos);
    auto run = check::check_files(*reader, *ft::catalog(), {{id + ".xml", xml}});
    REQUIRE(run.packed == 1);
    CHECK(run.errors.empty());
    auto outcome =
        must(f.forms->import_batch(doctor, f.seal(run.batch, opinion ? ped_key : f.key_file)));
    REQUIRE(outcome.imported == 1);
    auto original = must(f.forms->get(doctor, draft.form_id));
    auto imported = must(f.forms->get(doctor, outcome.items[0].form_id));
    CHECK(imported.values == original.values);
    REQUIRE(imported.judgments.size() == original.judgments.size());
    for (const auto& j : imported.judgments) {
      INFO(j.id);
      CHECK(j.consistent);
    }
  }
}

TEST_CASE("a form's audit records name the PC certificate like the core's", "[unit]") {
  FormsFixture f;
  Principal at_pc = f.doctor_p;
  at_pc.cert_serial = "0A1B";
  auto draft = must(f.forms->save_draft(at_pc, "", "nanbyo-006", ft::parkinson_definite()));
  bool found = false;
  for (const auto& e : f.audit.events())
    if (e.event == "form-create" && e.subject == draft.form_id)
      found = e.detail.count("cert-serial") && e.detail.at("cert-serial") == "0A1B" &&
              e.source == std::string(kHospital) + "/pc-01";
  CHECK(found);
}
