#include "form_cases.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace nanbyo::forms::testing {
namespace {

void common(FormValues& v, const std::string& app = "new") {
  v["application_type"] = text_value(app);
  v["attachments"] = text_value("no");
  v["insurer_number"] = text_value("06131018");
  v["insured_number"] = text_value("12-345678");
  v["patient_name"] = text_value("難病 花子");
  v["patient_kana"] = text_value("ナンビョウ ハナコ");
  v["birth_date"] = text_value("1960-04-01");
  v["sex"] = text_value("female");
  v["address"] = text_value("東京都千代田区霞が関1-2-2");
  v["family_history"] = text_value("no");
  // 医療機関情報 (hospital, 指定医番号, doctor) is filled by the server at registration.
  v["written_on"] = text_value("2026-05-01");
}

std::string scalar_sample(const FieldDef& f) {
  switch (f.type) {
    case FieldType::Kana:
      return "テスト";
    case FieldType::Date:
      return "2026-04-01";
    case FieldType::Number: {
      double v = f.min ? *f.min : (f.max && *f.max < 0 ? *f.max : 0);
      return std::to_string(static_cast<long long>(std::ceil(v)));
    }
    case FieldType::YesNo:
      return "yes";
    case FieldType::Choice:
    case FieldType::MultiChoice:
      return f.choices.front().value;
    default:
      return f.max_length < 8 ? std::string(std::min<std::size_t>(f.max_length, 2), '1')
                              : "記載あり";
  }
}

}  // namespace

FormValues complete_values(const FormDefinition& def) {
  FormValues v;
  for (const auto& f : def.fields) {
    if (f.from_designation) continue;
    FieldValue value;
    if (f.type == FieldType::MultiChoice) {
      value.items = {f.choices.front().value};
    } else if (f.type == FieldType::Table) {
      std::map<std::string, std::string> row;
      for (const auto& c : f.columns) row[c.id] = scalar_sample(c);
      value.rows.push_back(std::move(row));
    } else {
      value.text = scalar_sample(f);
    }
    v[f.id] = std::move(value);
  }
  return v;
}

std::shared_ptr<const FormCatalog> catalog() {
  static auto c = must(FormCatalog::load(source_definitions_dir()));
  return c;
}

const FormDefinition& definition(const std::string& id) {
  const FormDefinition* d = catalog()->find(id);
  REQUIRE(d != nullptr);
  return *d;
}

FormValues parkinson_definite() {
  FormValues v;
  common(v);
  v["rest_tremor"] = text_value("yes");
  v["rigidity"] = text_value("yes");
  v["bradykinesia"] = text_value("yes");
  v["postural_instability"] = text_value("no");
  v["imaging_normal"] = text_value("yes");
  v["drug_exposure"] = text_value("no");
  v["drug_response"] = text_value("improved");
  v["category"] = text_value("definite");
  v["hoehn_yahr"] = text_value("3");
  v["daily_life"] = text_value("2");
  FieldValue meds;
  meds.rows = {{{"drug", "レボドパ・カルビドパ"}, {"daily_mg", "300"}}};
  v["medications"] = meds;
  return v;
}

FormValues als_definite() {
  FormValues v;
  common(v);
  v["adult_onset"] = text_value("yes");
  v["progressive"] = text_value("yes");
  FieldValue umn, lmn;
  umn.items = {"cervical"};
  lmn.items = {"cervical", "lumbosacral"};
  v["umn_regions"] = umn;
  v["lmn_regions"] = lmn;
  v["familial_gene"] = text_value("no");
  v["differential_excluded"] = text_value("yes");
  v["category"] = text_value("definite");
  v["als_severity"] = text_value("3");
  return v;
}

FormValues sle_definite() {
  FormValues v;
  common(v);
  for (const char* f : {"malar_rash", "discoid_rash", "photosensitivity", "oral_ulcers",
                        "arthritis", "serositis", "renal_disorder", "neurologic_disorder",
                        "hematologic_disorder", "immunologic_disorder", "ana"})
    v[f] = text_value("no");
  for (const char* f : {"malar_rash", "arthritis", "immunologic_disorder", "ana"})
    v[f] = text_value("yes");
  v["category"] = text_value("definite");
  v["sd_arthritis"] = text_value("yes");       // 4
  v["sd_low_complement"] = text_value("yes");  // 2
  v["sd_dna_binding"] = text_value("yes");     // 2
  return v;
}

FormValues uc_severe() {
  FormValues v;
  common(v);
  v["bloody_stool"] = text_value("yes");
  v["endoscopy"] = text_value("yes");
  v["biopsy"] = text_value("yes");
  v["differential_excluded"] = text_value("yes");
  v["extent"] = text_value("total");
  v["category"] = text_value("definite");
  v["stools_per_day"] = text_value("8");
  v["visible_blood"] = text_value("plus3");
  v["temperature"] = text_value("37.8");
  v["pulse"] = text_value("96");
  v["hemoglobin"] = text_value("11.2");
  v["esr"] = text_value("20");
  v["crp"] = text_value("1.5");
  v["uc_severity"] = text_value("severe");
  return v;
}

FormValues prader_willi() {
  FormValues v;
  v["application_type"] = text_value("new");
  v["attachments"] = text_value("yes");
  v["patient_name"] = text_value("小児 太郎");
  v["patient_kana"] = text_value("ショウニ タロウ");
  v["birth_date"] = text_value("2015-06-10");
  v["sex"] = text_value("male");
  v["measured_on"] = text_value("2026-04-20");  // 10 years old
  v["height_cm"] = text_value("130.0");
  v["weight_kg"] = text_value("40.0");
  v["genetic_test"] = text_value("deletion");
  v["diagnosis"] = text_value("confirmed");
  v["growth_hormone"] = text_value("yes");
  v["written_on"] = text_value("2026-04-20");
  return v;
}

const JudgmentResult& judgment(const std::vector<JudgmentResult>& all, const std::string& id) {
  for (const auto& j : all)
    if (j.id == id) return j;
  FAIL("no judgment " + id);
  throw;
}

std::string judged(const FormDefinition& def, const FormValues& v, const std::string& id) {
  auto all = judge(def, v);
  return judgment(all, id).computed;
}

}  // namespace nanbyo::forms::testing
