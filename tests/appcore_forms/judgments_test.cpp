// F-4 machine judgment of each sample disease on cases built from its
// published criteria: consistent entries, and entries the criteria contradict.
#include "form_cases.h"

using namespace nanbyo::forms;
using namespace nanbyo::forms::testing;

TEST_CASE("パーキンソン病: Definite, Probable and severity", "[unit]") {
  const auto& def = definition("nanbyo-006");
  auto v = parkinson_definite();
  auto all = judge(def, v);
  CHECK(judgment(all, "category").computed == "definite");
  CHECK(judgment(all, "category").consistent);
  CHECK(judgment(all, "severity").computed == "eligible");
  CHECK(check(def, v).empty());

  v["drug_response"] = text_value("not_examined");  // drug response not yet examined
  CHECK(judged(def, v, "category") == "probable");
  all = judge(def, v);
  const auto& cat = judgment(all, "category");
  CHECK_FALSE(cat.consistent);  // the doctor still says Definite
  REQUIRE(cat.messages.size() >= 2);
  CHECK(cat.messages[0] == "「Definite」が選択されていますが、以下の条件を満たしていません。");
  CHECK(cat.messages[1] == "・「抗パーキンソン病薬による改善」が「改善あり」である");

  // Parkinsonism from two of rigidity / bradykinesia / postural instability, no tremor.
  v = parkinson_definite();
  v["rest_tremor"] = text_value("no");
  CHECK(judged(def, v, "category") == "definite");
  v["bradykinesia"] = text_value("no");  // only one of the three left
  CHECK(judged(def, v, "category") == "none");

  v = parkinson_definite();
  v["hoehn_yahr"] = text_value("2");
  CHECK(judged(def, v, "severity") == "not_eligible");
  v["hoehn_yahr"] = text_value("4");
  v["daily_life"] = text_value("1");
  CHECK(judged(def, v, "severity") == "not_eligible");
}

TEST_CASE("筋萎縮性側索硬化症: regions of motor neuron signs and severity", "[unit]") {
  const auto& def = definition("nanbyo-002");
  auto v = als_definite();
  CHECK(judged(def, v, "category") == "definite");
  CHECK(judged(def, v, "severity") == "eligible");
  CHECK(check(def, v).empty());
  v["lmn_regions"].items = {"cervical"};  // lower motor neuron signs in one region only
  CHECK(judged(def, v, "category") == "none");
  v["familial_gene"] = text_value("yes");  // ... but a familial ALS gene variant
  v["gene_name"] = text_value("SOD1");
  CHECK(judged(def, v, "category") == "definite");
  v = als_definite();
  v["als_severity"] = text_value("1");
  CHECK(judged(def, v, "severity") == "not_eligible");
  v["category"] = text_value("none");
  v["differential_excluded"] = text_value("yes");
  auto all = judge(def, v);
  CHECK_FALSE(judgment(all, "category").consistent);
  CHECK(judgment(all, "category").messages.front() ==
        "「Definite（診断基準を満たす）」が選択されていませんが、以下の条件が満たされています。");
}

TEST_CASE("全身性エリテマトーデス: 4 of 11 ACR items and SLEDAI ≥ 4", "[unit]") {
  const auto& def = definition("nanbyo-049");
  auto v = sle_definite();
  CHECK(judged(def, v, "category") == "definite");
  CHECK(judged(def, v, "severity") == "eligible");  // SLEDAI 8
  v["ana"] = text_value("no");                      // three items left
  CHECK(judged(def, v, "category") == "none");
  CHECK_FALSE(judgment(judge(def, v), "category").consistent);
  v = sle_definite();
  v["sd_arthritis"] = text_value("no");  // SLEDAI 4: still eligible
  CHECK(judged(def, v, "severity") == "eligible");
  v["sd_low_complement"] = text_value("no");  // SLEDAI 2
  CHECK(judged(def, v, "severity") == "not_eligible");
}

TEST_CASE("潰瘍性大腸炎: diagnosis paths and the clinical severity", "[unit]") {
  const auto& def = definition("nanbyo-097");
  auto v = uc_severe();
  CHECK(judged(def, v, "category") == "definite");
  CHECK(judged(def, v, "severity") == "severe");  // ①②③④ = 4 of 6
  CHECK(judgment(judge(def, v), "severity").consistent);
  CHECK(judged(def, v, "eligibility") == "eligible");
  CHECK(check(def, v).empty());

  v["bloody_stool"] = text_value("no");  // B and C once, not repeated: not definite
  CHECK(judged(def, v, "category") == "none");
  v["repeated"] = text_value("yes");
  CHECK(judged(def, v, "category") == "definite");

  v = uc_severe();
  v["pulse"] = text_value("80");  // ③ still holds, but only 3 of the 6 items
  CHECK(judged(def, v, "severity") == "moderate");
  auto sev = judgment(judge(def, v), "severity");
  CHECK_FALSE(sev.consistent);  // entered 重症
  CHECK(sev.messages.front() == "「重症」が選択されていますが、以下の条件を満たしていません。");

  v = uc_severe();
  v["stools_per_day"] = text_value("18");
  v["temperature"] = text_value("38.5");
  v["wbc"] = text_value("12000");
  v["abdominal_pain"] = text_value("yes");
  CHECK(judged(def, v, "severity") == "fulminant");

  v = uc_severe();
  v["stools_per_day"] = text_value("3");
  v["visible_blood"] = text_value("plus");
  v["temperature"] = text_value("36.5");
  v["pulse"] = text_value("72");
  v["hemoglobin"] = text_value("13.0");
  v["esr"] = text_value("10");
  v["crp"] = text_value("0.1");
  CHECK(judged(def, v, "severity") == "mild");
  CHECK(judged(def, v, "eligibility") == "not_eligible");
}

TEST_CASE("プラダー・ウィリ症候群: genetic confirmation and drug therapy", "[unit]") {
  const auto& def = definition("shoman-5-091");
  auto v = prader_willi();
  CHECK(judged(def, v, "diagnosis") == "confirmed");
  CHECK(judged(def, v, "condition") == "eligible");
  CHECK(check(def, v).empty());
  v["genetic_test"] = text_value("normal");
  CHECK(judged(def, v, "diagnosis") == "none");
  CHECK_FALSE(judgment(judge(def, v), "diagnosis").consistent);
  v["growth_hormone"] = text_value("no");
  CHECK(judged(def, v, "condition") == "not_eligible");
}

TEST_CASE("check messages name the field and say what to do", "[unit]") {
  const auto& def = definition("nanbyo-097");
  auto v = uc_severe();
  v.erase("patient_name");
  v["temperature"] = text_value("45.0");
  v["birth_date"] = text_value("1960-02-30");
  v["patient_kana"] = text_value("なんびょう");
  v["visible_blood"] = text_value("lots");
  v["nickname"] = text_value("x");
  auto m = check(def, v);
  auto text_of = [&](const std::string& field) {
    for (const auto& x : m)
      if (x.field == field) return x.text;
    return std::string("(none)");
  };
  CHECK(text_of("patient_name") == "「氏名」を入力してください。");
  CHECK(text_of("temperature") == "「体温」は33〜43℃の範囲で入力してください。");
  CHECK(text_of("birth_date") ==
        "「生年月日」は正しい年月日（例: 2025-04-01）で入力してください。");
  CHECK(text_of("patient_kana") == "「氏名（カナ）」は全角カタカナで入力してください。");
  CHECK(text_of("visible_blood") == "「顕血便」の選択肢にない値です。");
  CHECK(text_of("nickname") == "この様式にない項目です: nickname");
  CHECK(has_errors(m));
}

TEST_CASE("table rows are checked cell by cell", "[unit]") {
  const auto& def = definition("nanbyo-006");
  auto v = parkinson_definite();
  v["medications"].rows = {{{"daily_mg", "-5"}}};
  auto m = check(def, v);
  REQUIRE(m.size() == 2);
  CHECK(m[0].field == "medications");
  CHECK(m[0].row == 0);
  CHECK(m[0].column == "drug");
  CHECK(m[1].column == "daily_mg");
}
