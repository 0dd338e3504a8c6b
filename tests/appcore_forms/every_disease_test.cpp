// Issue 18 (F-1, F-9, F-12): every disease of the master has a form — its
// specific definition or the common 臨床調査個人票 / 医療意見書 — that is found
// by 告示番号 or name, renders (the print view), checks, saves, registers with
// the 医療機関情報 taken from the doctor's designation, and round-trips through
// the XML layout, nanbyo-check and the encrypted upload.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "../appcore_core/core_fixture.h"
#include "../appcore_core/source_forms.h"

#include "appcore/check/check_run.h"
#include "appcore/core/forms_api.h"
#include "appcore/forms/xml.h"
#include "form_cases.h"

using namespace nanbyo;
using namespace nanbyo::appcore;
using namespace nanbyo::appcore::testing;
namespace ft = nanbyo::forms::testing;

namespace {

// One doctor holding both designations (難病指定医 and 小慢指定医) at kHospital.
struct CatalogWorld : CoreFixture {
  CatalogWorld() {
    DoctorInput in{"鈴木 和也",      "", "123456",   Role::NanbyoDoctor, kHospital,
                   "霞が関中央病院", "", "神経内科", "2026-04-01",       "2031-03-31",
                   "13-0001"};
    auto cred = must(core->register_doctor(town, in));
    in.kind = Role::PediatricDoctor;
    in.doctor_number = "13-S-0001";
    must(core->register_doctor(town, in));
    doctor_id = cred.user_id;
    auto r = must(
        core->login(doctor_id, cred.credential.initial_password, Terminal{kHospital, "pc-01"}));
    must(core->register_email(r.principal, doctor_id + "@example.jp"));
    key_file = must(core->issue_key_file(r.principal)).key_file;
    must(core->complete_first_login(r.principal, "質問", "答え", kChosenPassword));
    doctor = r.principal;
    FormServiceConfig fc = source_forms_config();
    forms = must(FormService::open(config, fc, clock, audit));
  }
  std::string doctor_id, key_file;
  Principal doctor;
  std::unique_ptr<FormService> forms;
};

}  // namespace

TEST_CASE("F-1 issue 18: every disease of the master is found and has a whole form", "[unit]") {
  auto c = ft::catalog();
  REQUIRE(c->master() != nullptr);
  CHECK(c->master()->disease_count("nanbyo") == 333);
  CHECK(c->diseases().size() >= 333 + 800);
  std::size_t specific = 0;
  for (const auto& d : c->diseases()) {
    INFO(d.form_id);
    const forms::FormDefinition* def = c->find(d.form_id);
    REQUIRE(def != nullptr);
    CHECK(def->id == d.form_id);
    CHECK(def->kind == d.kind);
    CHECK(def->notice_no == d.number);
    specific += d.specific;
    CHECK(d.specific == def->layout.empty());
    // The whole sheet: the header, 保険情報 (難病), 人工呼吸器, 補助人工心臓, 医療機関情報.
    for (const char* id : {"application_type", "attachments", "ventilator_use",
                           "ventilator_started", "ventilator_weaning", "ventilator_kind",
                           "ventilator_mode", "vad_use", "hospital_name", "doctor_number"})
      CHECK(def->field(id) != nullptr);
    if (d.kind == "nanbyo")
      for (const char* id : {"insurer_number", "insured_symbol", "insured_number", "insured_branch",
                             "insurance_acquired_on"})
        CHECK(def->field(id) != nullptr);
    CHECK(def->field("doctor_number")->from_designation);
    std::set<std::string> groups;
    for (const auto& s : def->sections) groups.insert(s.group);
    CHECK(groups.size() == 6);  // the seed's six XML groups
  }
  CHECK(specific == c->definitions().size());
  CHECK(c->find("nanbyo-common") == nullptr);  // a template is no disease

  SECTION("searched by 告示番号 or by name") {
    auto by_number = c->search("214", 50);
    REQUIRE_FALSE(by_number.empty());
    CHECK(by_number.front()->form_id == "nanbyo-214");
    CHECK(by_number.front()->name == "心室中隔欠損を伴う肺動脈閉鎖症");
    auto by_name = c->search("胆道閉鎖", 50);
    CHECK(std::any_of(by_name.begin(), by_name.end(),
                      [](const auto* d) { return d->form_id == "nanbyo-296"; }));
    CHECK(c->search("", 50).empty());
    CHECK(c->search("２１４", 50).front()->form_id == "nanbyo-214");  // full-width digits
    auto pws = c->search("5-91", 50);
    REQUIRE(pws.size() == 1);
    CHECK(pws.front()->form_id == "shoman-5-091");
    CHECK(c->search("５－９１", 50).size() == 1);
    CHECK(c->search("存在しない病名", 50).empty());
  }
}

TEST_CASE(
    "F-1 F-9 issue 18: every master disease's form checks, saves, registers, prints and "
    "round-trips through XML and nanbyo-check",
    "[unit]") {
  CatalogWorld w;
  auto c = ft::catalog();
  std::vector<check::InputFile> exported;
  std::map<std::string, std::string> registered;  // form id -> definition
  for (const auto& d : c->diseases()) {
    INFO(d.form_id);
    const forms::FormDefinition& def = *c->find(d.form_id);
    auto values = ft::complete_values(def);
    auto messages = forms::check(def, values);
    CHECK(messages.empty());
    auto draft = must(w.forms->save_draft(w.doctor, "", def.id, values));
    auto summary = w.forms->approve(w.doctor, draft.form_id);
    REQUIRE(summary.ok());
    CHECK(summary->status == "registered");
    CHECK(summary->title == d.name);
    auto record = must(w.forms->get(w.doctor, draft.form_id));
    // 医療機関情報 comes from the designation and the hospital, not the entry.
    CHECK(record.values["doctor_number"].text == (d.kind == "nanbyo" ? "13-0001" : "13-S-0001"));
    CHECK(record.values["hospital_name"].text == "霞が関中央病院");
    CHECK(record.values["doctor_name"].text == "鈴木 和也");
    auto print = must(w.forms->print_view(w.doctor, draft.form_id, false));
    CHECK(print.title == d.name);
    CHECK(print.sections.size() >= 6);
    exported.push_back(
        {draft.form_id + ".xml", must(w.forms->export_xml(w.doctor, draft.form_id))});
    registered[draft.form_id] = def.id;
  }
  auto reader = must(forms::XmlFormReader::create(c));
  auto run = check::check_files(*reader, *c, exported);
  CHECK(run.errors.empty());
  REQUIRE(run.packed == c->diseases().size());
  auto key = must(pki::parse_key_file(w.key_file));
  run.batch.user_id = key.user_id;
  run.batch.created_at = format_utc(w.clock.now());
  auto outcome =
      must(w.forms->import_batch(w.doctor, must(check::seal_batch(run.batch, key, w.clock.now()))));
  CHECK(outcome.failed == 0);
  REQUIRE(outcome.imported == c->diseases().size());
  for (std::size_t i = 0; i < outcome.items.size(); ++i) {
    const auto& item = outcome.items[i];
    INFO(item.file);
    CHECK(item.status == "registered");
    const std::string original = item.file.substr(0, item.file.size() - 4);
    CHECK(item.definition == registered[original]);
    if (i % 97 == 0)  // a sample: the imported form equals the registered one
      CHECK(must(w.forms->get(w.doctor, item.form_id)).values ==
            must(w.forms->get(w.doctor, original)).values);
  }
}

TEST_CASE(
    "F-9 issue 18: each disease's XSD follows the seed's six groups and names its items as on the "
    "form",
    "[unit]") {
  auto c = ft::catalog();
  for (const char* id : {"nanbyo-110", "nanbyo-006", "shoman-5-091", "shoman-1-001"}) {
    INFO(id);
    const std::string xsd = forms::generate_xsd(*c->find(id));
    for (const char* group : forms::kXmlGroups)
      CHECK(xsd.find(std::string("<!-- ") + group + ":") != std::string::npos);
    CHECK(xsd.find("<xs:element name=\"" + std::string(id) + "\"") != std::string::npos);
    CHECK(xsd.find("<xs:documentation>添付資料</xs:documentation>") != std::string::npos);
    CHECK(xsd.find("<xs:documentation>離脱の見込み</xs:documentation>") != std::string::npos);
  }
  const std::string nanbyo = forms::generate_xsd(*c->find("nanbyo-110"));
  CHECK(nanbyo.find("<xs:documentation>被保険者記号</xs:documentation>") != std::string::npos);
  CHECK(nanbyo.find("<xs:complexType name=\"form-nanbyo-common\">") != std::string::npos);
}

TEST_CASE(
    "F-9 issue 18: the XML holds the items in the seed's groups, and the flat layout stays valid",
    "[unit]") {
  auto c = ft::catalog();
  auto reader = must(forms::XmlFormReader::create(c));
  const auto& def = *c->find("nanbyo-110");
  auto values = ft::complete_values(def);
  const std::string xml = forms::write_form_xml(def, values, "g-1");
  for (const char* group : forms::kXmlGroups) {
    if (std::string(group) == "医療機関情報") continue;  // only written_on is entered
    CHECK(xml.find(std::string("<") + group + ">") != std::string::npos);
  }
  CHECK(xml.find("<人工呼吸器使用情報>\n      <ventilator_use>yes</ventilator_use>") !=
        std::string::npos);
  auto grouped = must(reader->read(xml));
  REQUIRE(grouped.size() == 1);
  CHECK(grouped[0].issues.empty());
  CHECK(grouped[0].values == values);

  // The 2024 flat layout, and an item in a group it does not belong to, or given twice.
  auto forms = must(reader->read(
      "<forms><nanbyo-110 ref=\"flat\"><patient_name>山田 太郎</patient_name>"
      "<ventilator_use>no</ventilator_use></nanbyo-110>"
      "<nanbyo-110 ref=\"wrong-group\"><基本情報><ventilator_use>no</ventilator_use></基本情報>"
      "</nanbyo-110>"
      "<nanbyo-110 ref=\"twice\"><基本情報><patient_name>山田 太郎</patient_name></基本情報>"
      "<patient_name>山田 次郎</patient_name></nanbyo-110></forms>"));
  REQUIRE(forms.size() == 3);
  CHECK(forms[0].issues.empty());
  CHECK(forms[0].values.at("patient_name").text == "山田 太郎");
  REQUIRE(forms[1].issues.size() == 1);
  CHECK(forms[1].issues[0].field == "ventilator_use");
  REQUIRE(forms[2].issues.size() == 1);
  CHECK(forms[2].issues[0].field == "patient_name");
  CHECK(forms[2].values.at("patient_name").text == "山田 太郎");
}
