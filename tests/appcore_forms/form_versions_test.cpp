// Form versions side by side (issue 18 item 4): the shipped transition from
// 2024.1 (the first release's five definitions) to 2025.1, a form of either
// version read, checked, stored and shown with its own definition, the end
// of the transition, and 更新登録 mapping a former version's items (renamed
// ones too) to the current version.
#include <catch2/catch.hpp>

#include <fstream>

#include "appcore/check/check_run.h"
#include "appcore/forms/carry_over.h"
#include "appcore/forms/xml.h"
#include "form_cases.h"
#include "forms_fixture.h"

using namespace nanbyo;
using namespace nanbyo::appcore;
using namespace nanbyo::appcore::testing;
namespace ft = nanbyo::forms::testing;

namespace {

// ALS as a hospital system built for 2024.1 writes it: flat items, no
// 添付資料, and 医療機関情報 typed in.
std::string als_2024_xml(const std::string& severity = "3") {
  return R"(<?xml version="1.0" encoding="UTF-8"?>
<forms>
  <nanbyo-002 ref="his-0001" version="2024.1">
    <application_type>new</application_type>
    <insurer_number>06131018</insurer_number>
    <insured_number>12-345678</insured_number>
    <patient_name>難病 花子</patient_name>
    <patient_kana>ナンビョウ ハナコ</patient_kana>
    <birth_date>1960-04-01</birth_date>
    <sex>female</sex>
    <address>東京都千代田区霞が関1-2-2</address>
    <family_history>no</family_history>
    <adult_onset>yes</adult_onset>
    <progressive>yes</progressive>
    <umn_regions><item>cervical</item></umn_regions>
    <lmn_regions><item>cervical</item><item>lumbosacral</item></lmn_regions>
    <familial_gene>no</familial_gene>
    <differential_excluded>yes</differential_excluded>
    <category>definite</category>
    <als_severity>)" +
         severity + R"(</als_severity>
    <hospital_name>霞が関中央病院</hospital_name>
    <doctor_number>13-0001</doctor_number>
    <doctor_name>鈴木 和也</doctor_name>
    <written_on>2026-09-01</written_on>
  </nanbyo-002>
</forms>
)";
}

void write(const std::filesystem::path& p, const std::string& text) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

// A definition of nanbyo-900 (outside the master) at `version` with `items`.
std::string tiny_definition(const std::string& version, const std::string& items) {
  return "id: nanbyo-900\nkind: nanbyo\nnotice_no: 900\nform_type: 臨床調査個人票\nversion: \"" +
         version +
         "\"\ntitle: 試験疾患\nsources: [s]\nsections:\n  - id: basic\n    title: 基本\n"
         "    fields:\n" +
         items;
}

struct TinyCatalog {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("nanbyo-versions-" + std::to_string(::getpid()));
  TinyCatalog() {
    std::filesystem::remove_all(dir);
    write(
        dir / "nanbyo-900.yaml",
        tiny_definition(
            "2.0", R"(      - {id: name, label: 氏名, type: text, max_length: 20, carry_over: true}
      - {id: recipient_number, label: 受給者番号, type: text, max_length: 20, carry_over: true}
      - {id: grade, label: 程度, type: choice, carry_over: true,
         choices: [{value: mild, label: 軽症}, {value: severe, label: 重症}]}
      - {id: note, label: 備考, type: text, max_length: 200}
)"));
    write(
        dir / "previous/1.0/nanbyo-900.yaml",
        tiny_definition(
            "1.0", R"(      - {id: name, label: 氏名, type: text, max_length: 20, carry_over: true}
      - {id: insured_number, label: 受給者番号（旧名）, type: text, max_length: 20, carry_over: true}
      - {id: grade, label: 程度, type: choice, carry_over: true,
         choices: [{value: mild, label: 軽症}, {value: moderate, label: 中等症}, {value: severe, label: 重症}]}
      - {id: fax, label: FAX番号, type: text, max_length: 20, carry_over: true}
)"));
  }
  ~TinyCatalog() { std::filesystem::remove_all(dir); }
  void transition(const std::string& text) { write(dir / "previous/1.0/transition.yaml", text); }
};

}  // namespace

TEST_CASE("the shipped catalog keeps 2024.1 of the first five forms beside 2025.1", "[unit]") {
  auto c = ft::catalog();
  REQUIRE(c->previous_versions().size() == 1);
  const auto& old = c->previous_versions().front();
  CHECK(old.version == "2024.1");
  CHECK(old.accepted_until == "2027-11-30");
  CHECK(old.forms->definitions().size() == 5);
  for (const char* id : {"nanbyo-002", "nanbyo-006", "nanbyo-049", "nanbyo-097", "shoman-5-091"}) {
    const forms::FormDefinition* now = c->find(id);
    const forms::FormDefinition* then = c->find(id, "2024.1");
    REQUIRE(now != nullptr);
    REQUIRE(then != nullptr);
    CHECK(now->version == "2025.1");
    CHECK(then->version == "2024.1");
    CHECK(c->find(id, "2025.1") == now);
    CHECK(c->previous_of(*then) == &old);
    CHECK(c->previous_of(*now) == nullptr);
    // 2024.1 had no 添付資料 and typed 医療機関情報.
    CHECK(then->field("attachments") == nullptr);
    CHECK(now->field("attachments") != nullptr);
    CHECK(then->field("doctor_number")->required);
    CHECK(now->field("doctor_number")->from_designation);
  }
  // A definition first written as 2024.1 has no previous version.
  CHECK(c->find("nanbyo-011", "2024.1") == c->find("nanbyo-011"));
  CHECK(c->find("nanbyo-002", "2023.1") == nullptr);
  CHECK(c->stored("nanbyo-002", "2023.1") == c->find("nanbyo-002"));
  // Accepted through the last day of the transition (JST dates), not after.
  const auto& then = *c->find("nanbyo-002", "2024.1");
  CHECK(c->accepts(then, "2027-11-30").ok());
  auto late = c->accepts(then, "2027-12-01");
  REQUIRE_FALSE(late.ok());
  CHECK(late.error().message ==
        "様式 nanbyo-002 の版 2024.1 の受付は 2027-11-30 で終了しました。現行の版 2025.1 "
        "で作成してください。");
  CHECK(c->accepts(*c->find("nanbyo-002"), "2099-01-01").ok());
}

TEST_CASE("XML of both versions in one file: each read and validated with its own XSD", "[unit]") {
  auto c = ft::catalog();
  auto reader = must(forms::XmlFormReader::create(c));
  const std::string current = forms::write_form_xml(*c->find("nanbyo-002"), ft::als_definite());
  // The 2025.1 form element (with its groups) after the 2024.1 one.
  const auto from = current.find("  <nanbyo-002"), to = current.find("</forms>");
  std::string both = als_2024_xml("9");  // 9 is no ALS severity
  both.insert(both.find("</forms>"), current.substr(from, to - from));
  auto forms = must(reader->read(both));
  REQUIRE(forms.size() == 2);
  CHECK(forms[0].version == "2024.1");
  CHECK(forms[0].def == c->find("nanbyo-002", "2024.1"));
  REQUIRE(forms[0].issues.size() == 1);
  CHECK(forms[0].issues[0].field == "als_severity");
  CHECK(forms[0].issues[0].line == 20);
  CHECK(forms[1].version == "2025.1");
  CHECK(forms[1].def == c->find("nanbyo-002"));
  CHECK(forms[1].issues.empty());
  CHECK(forms[1].values.at("attachments").text == "no");

  // 2025.1's items are not items of 2024.1.
  std::string newer_item = als_2024_xml();
  newer_item.insert(newer_item.find("    <adult_onset>"), "    <attachments>no</attachments>\n");
  auto mixed = must(reader->read(newer_item));
  REQUIRE_FALSE(mixed[0].issues.empty());
  CHECK(mixed[0].issues[0].field == "attachments");

  // A version the appliance does not know is named, with the known ones.
  std::string unknown = als_2024_xml();
  unknown.replace(unknown.find("2024.1"), 6, "2023.1");
  auto refused = must(reader->read(unknown));
  REQUIRE(refused[0].issues.size() == 1);
  CHECK(refused[0].def == nullptr);
  CHECK(refused[0].issues[0].message ==
        "version \"2023.1\" of form nanbyo-002 is not known (known: 2025.1, 2024.1)");
}

TEST_CASE("nanbyo-check packs 2024.1 forms with a notice until the transition ends", "[unit]") {
  auto c = ft::catalog();
  auto reader = must(forms::XmlFormReader::create(c));
  auto during = check::check_files(*reader, *c, {{"his.xml", als_2024_xml()}}, "2027-11-30");
  CHECK(during.packed == 1);
  REQUIRE(during.errors.size() == 1);
  CHECK(during.errors[0].message ==
        "旧様式（版 2024.1）です。2027-11-30 まで受け付けます。現行の版は 2025.1 です。");
  // The batch keeps the version: the server reads it with 2024.1 too.
  CHECK(during.batch.forms[0].xml.find("version=\"2024.1\"") != std::string::npos);

  auto after = check::check_files(*reader, *c, {{"his.xml", als_2024_xml()}}, "2027-12-01");
  CHECK(after.packed == 0);
  REQUIRE(after.errors.size() == 1);
  CHECK(after.errors[0].message.find("の受付は 2027-11-30 で終了しました") != std::string::npos);

  // The same form without a version is read as 2025.1: 添付資料 is then required.
  std::string unversioned = als_2024_xml();
  unversioned.erase(unversioned.find(" version=\"2024.1\""), 17);
  auto current = check::check_files(*reader, *c, {{"his.xml", unversioned}}, "2027-11-30");
  bool attachments_missing = false;
  for (const auto& e : current.errors) attachments_missing |= e.field == "attachments";
  CHECK(attachments_missing);
}

TEST_CASE("a 2024.1 upload is stored, shown and exported as 2024.1, then carried over to 2025.1",
          "[unit]") {
  FormsFixture f;
  auto c = ft::catalog();
  auto reader = must(forms::XmlFormReader::create(c));
  auto run = check::check_files(*reader, *c, {{"his.xml", als_2024_xml()}}, f.forms->today());
  REQUIRE(run.packed == 1);
  auto outcome = must(f.forms->import_batch(f.doctor_p, f.seal(run.batch, f.key_file)));
  REQUIRE(outcome.imported == 1);
  const std::string id = outcome.items[0].form_id;
  CHECK(outcome.items[0].status == "registered");

  auto rec = must(f.forms->get(f.doctor_p, id));
  CHECK(rec.summary.version == "2024.1");
  CHECK(rec.summary.version_accepted_until == "2027-11-30");
  CHECK(rec.values.at("hospital_name").text == "霞が関中央病院");
  // Judged with 2024.1's rules; printed with 2024.1's items (no 添付資料).
  CHECK(ft::judged(*c->find("nanbyo-002", "2024.1"), rec.values, "category") == "definite");
  auto print = must(f.forms->print_view(f.doctor_p, id, false));
  bool attachments_row = false, doctor_row = false;
  for (const auto& s : print.sections)
    for (const auto& r : s.rows) {
      attachments_row |= r.label == "添付資料";
      doctor_row |= r.label == "指定医番号" && r.value == "13-0001";
    }
  CHECK_FALSE(attachments_row);
  CHECK(doctor_row);
  CHECK(must(f.forms->export_xml(f.doctor_p, id)).find("version=\"2024.1\"") != std::string::npos);

  // 更新登録: next year's form is 2025.1; the typed 医療機関情報 is not carried
  // (2025.1 fills it from the designation) and is named.
  auto next = must(f.forms->carry_over(f.doctor_p, id));
  CHECK(next.version == "2025.1");
  CHECK(next.version_accepted_until.empty());
  auto draft = must(f.forms->get(f.doctor_p, next.form_id));
  CHECK(draft.values.at("patient_name").text == "難病 花子");
  CHECK(draft.values.at("umn_regions").items == std::vector<std::string>{"cervical"});
  CHECK(draft.values.at("application_type").text == "renewal");
  CHECK(draft.values.count("hospital_name") == 0);
  CHECK(next.not_carried ==
        std::vector<std::string>{"hospital_name", "doctor_number", "doctor_name"});
  bool audited = false;
  for (const auto& e : f.audit.events())
    if (e.event == "form-carry-over" && e.subject == next.form_id)
      audited = e.detail.count("from-version") && e.detail.at("from-version") == "2024.1" &&
                e.detail.at("not-carried") == "hospital_name,doctor_number,doctor_name";
  CHECK(audited);
  // The new form needs 2025.1's items before it registers.
  auto early = f.forms->approve(f.doctor_p, next.form_id);
  REQUIRE_FALSE(early.ok());
  CHECK(early.error().message.find("attachments") != std::string::npos);
}

TEST_CASE("after the transition a 2024.1 draft no longer registers but moves to 2025.1", "[unit]") {
  FormsFixture f;
  auto c = ft::catalog();
  auto reader = must(forms::XmlFormReader::create(c));
  std::string incomplete = als_2024_xml();
  incomplete.erase(incomplete.find("    <als_severity>"),
                   incomplete.find("    <hospital_name>") - incomplete.find("    <als_severity>"));
  auto run = check::check_files(*reader, *c, {{"his.xml", incomplete}}, f.forms->today());
  auto outcome = must(f.forms->import_batch(f.doctor_p, f.seal(run.batch, f.key_file)));
  REQUIRE(outcome.imported == 1);
  const std::string id = outcome.items[0].form_id;
  REQUIRE(outcome.items[0].status == "draft");  // 重症度 missing: a draft for the doctor

  f.clock.advance(std::chrono::hours(24 * 440));  // 2027-12-05
  REQUIRE(f.forms->today() > "2027-11-30");
  forms::FormValues values = must(f.forms->get(f.doctor_p, id)).values;
  values["als_severity"] = forms::text_value("3");
  must(f.forms->save_draft(f.doctor_p, id, "nanbyo-002", values));  // a draft may still be saved
  auto refused = f.forms->approve(f.doctor_p, id);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message.find("の受付は 2027-11-30 で終了しました") != std::string::npos);
  bool denied = false;
  for (const auto& e : f.audit.events())
    denied |= e.event == "form-approve" && e.subject == id && e.outcome == audit::Outcome::Deny;
  CHECK(denied);

  // Moved to 2025.1, it keeps its application type (it is not a renewal).
  auto moved = must(f.forms->carry_over(f.doctor_p, id));
  auto rec = must(f.forms->get(f.doctor_p, moved.form_id));
  CHECK(moved.version == "2025.1");
  CHECK(rec.values.at("application_type").text == "new");
  CHECK(rec.values.at("als_severity").text == "3");
  rec.values["attachments"] = forms::text_value("no");
  must(f.forms->save_draft(f.doctor_p, moved.form_id, "nanbyo-002", rec.values));
  auto registered = must(f.forms->approve(f.doctor_p, moved.form_id));
  CHECK(registered.status == "registered");
  CHECK(must(f.forms->get(f.doctor_p, moved.form_id)).values.at("doctor_number").text == "13-0001");
}

TEST_CASE("carry-over maps renamed items and names what the new version cannot take", "[unit]") {
  TinyCatalog t;
  t.transition(
      "version: \"1.0\"\naccepted_until: \"2027-03-31\"\nrenamed:\n  nanbyo-900: {insured_number: "
      "recipient_number}\n");
  auto c = must(forms::FormCatalog::load(t.dir));
  const auto& old = *c->find("nanbyo-900", "1.0");
  const auto& now = *c->find("nanbyo-900");
  CHECK(c->renamed_item(old, "insured_number") == "recipient_number");
  CHECK(forms::source_item(*c, old, now, "recipient_number") == "insured_number");
  CHECK(forms::source_item(*c, old, now, "name") == "name");
  CHECK(forms::source_item(*c, old, now, "note") == "");

  forms::FormValues last_year{{"name", forms::text_value("難病 太郎")},
                              {"insured_number", forms::text_value("1234567")},
                              {"grade", forms::text_value("moderate")},  // 2.0 has no 中等症
                              {"fax", forms::text_value("03-0000-0000")}};
  auto carried = forms::carry_over(*c, old, now, last_year, forms::Carry::Renewal);
  CHECK(carried.values.at("name").text == "難病 太郎");
  CHECK(carried.values.at("recipient_number").text == "1234567");
  CHECK(carried.values.count("insured_number") == 0);
  CHECK(carried.values.count("grade") == 0);
  CHECK(carried.dropped == std::vector<std::string>{"grade", "fax"});

  last_year["grade"] = forms::text_value("severe");
  CHECK(forms::carry_over(*c, old, now, last_year, forms::Carry::Renewal).values.at("grade").text ==
        "severe");
  // Moving an open form takes every item, not only those carried to next year.
  auto moved = forms::carry_over(*c, old, now, last_year, forms::Carry::Move);
  CHECK(moved.values.at("name").text == "難病 太郎");
  CHECK(moved.dropped == std::vector<std::string>{"fax"});
}

TEST_CASE("a previous version's folder is refused when it does not fit", "[unit]") {
  TinyCatalog t;
  auto error = [&](const std::string& transition) {
    t.transition(transition);
    auto r = forms::FormCatalog::load(t.dir);
    REQUIRE_FALSE(r.ok());
    return r.error().message;
  };
  CHECK_THAT(error("version: \"1.0\"\naccepted_until: \"2027-02-30\"\n"),
             Catch::Contains("accepted_until: not a date YYYY-MM-DD"));
  CHECK_THAT(error("version: \"1.1\"\naccepted_until: \"2027-03-31\"\n"),
             Catch::Contains("version 1.1 is not the folder's name"));
  CHECK_THAT(error("version: \"1.0\"\naccepted_until: \"2027-03-31\"\nrenamed:\n  nanbyo-900: "
                   "{insured_number: no_such_item}\n"),
             Catch::Contains("no item no_such_item in 2.0"));
  CHECK_THAT(error("version: \"1.0\"\naccepted_until: \"2027-03-31\"\nrenamed:\n  nanbyo-900: "
                   "{nothing: name}\n"),
             Catch::Contains("no item nothing in 1.0"));
  CHECK_THAT(error("version: \"1.0\"\naccepted_until: \"2027-03-31\"\nextra: 1\n"),
             Catch::Contains("extra"));
  std::filesystem::remove(t.dir / "previous/1.0/transition.yaml");
  auto missing = forms::FormCatalog::load(t.dir);
  REQUIRE_FALSE(missing.ok());
  CHECK_THAT(missing.error().message, Catch::Contains("missing (a previous version states"));
  // A former definition must have a current successor of another version.
  t.transition("version: \"1.0\"\naccepted_until: \"2027-03-31\"\n");
  write(t.dir / "previous/1.0/nanbyo-900.yaml",
        tiny_definition("2.0", "      - {id: name, label: 氏名, type: text, max_length: 20}\n"));
  auto same = forms::FormCatalog::load(t.dir);
  REQUIRE_FALSE(same.ok());
  CHECK_THAT(same.error().message, Catch::Contains("version 2.0 in the folder of version 1.0"));
}
