// F-4 machine judgment of the disease-specific definitions of issue 18 on
// cases built from their published criteria: a Definite (or confirmed) case,
// cases that do not meet the criteria, and the boundaries of the severity
// and 対象基準 rules. Each sample form is also complete for the check, and
// nanbyo-check's run packs it without a message.
#include <set>

#include "appcore/check/check_run.h"
#include "appcore/forms/xml.h"
#include "disease_cases.h"
#include "form_cases.h"

using namespace nanbyo::forms;
using namespace nanbyo::forms::testing;

namespace {

// Every judgment of a sample form agrees with what the doctor entered.
void require_consistent(const std::string& id, const FormValues& v) {
  INFO(id);
  const auto& def = definition(id);
  for (const auto& j : judge(def, v)) {
    INFO(j.id << " computed " << j.computed << " entered " << j.entered);
    CHECK(j.consistent);
  }
}

}  // namespace

TEST_CASE("the catalog holds the seed's diseases and 小慢 of four disease groups", "[unit]") {
  auto c = catalog();
  for (int notice : {11, 18, 56, 85, 90, 214, 296}) {
    INFO(notice);
    REQUIRE(c->nanbyo(notice) != nullptr);
    CHECK(c->nanbyo(notice)->form_type == "臨床調査個人票");
  }
  for (auto [group, number] :
       {std::pair{"1", 80}, std::pair{"2", 21}, std::pair{"4", 84}, std::pair{"11", 14}}) {
    INFO(group << "-" << number);
    REQUIRE(c->shoman(group, number) != nullptr);
    CHECK(c->shoman(group, number)->form_type == "医療意見書");
  }
  for (const auto& [id, values] : specific_disease_samples()) {
    INFO(id);
    const auto& def = definition(id);
    CHECK(def.sources.size() >= 2);  // the published criteria and the form they come with
    bool diagnosis = false, severity = false;
    for (const auto& j : def.judgments)
      (j.entered.empty() || j.id == "severity" || j.id == "stage" ? severity : diagnosis) = true;
    CHECK(diagnosis);
    CHECK(severity);
  }
}

TEST_CASE("each specific definition: complete sample, no check message, judgments agree",
          "[unit]") {
  auto samples = specific_disease_samples();
  REQUIRE(samples.size() == 11);
  for (const auto& [id, values] : samples) {
    INFO(id);
    const auto& def = definition(id);
    for (const auto& m : check(def, values)) FAIL_CHECK(m.field + ": " + m.text);
    require_consistent(id, values);
  }
}

TEST_CASE("each specific definition passes nanbyo-check's run over a folder", "[unit]") {
  auto reader = must(XmlFormReader::create(catalog()));
  std::vector<nanbyo::check::InputFile> files;
  std::set<std::string> ids;
  for (const auto& [id, values] : specific_disease_samples()) {
    files.push_back({id + ".xml", write_form_xml(definition(id), values, "karte-" + id)});
    ids.insert(id);
  }
  auto run = nanbyo::check::check_files(*reader, *catalog(), files);
  CHECK(run.forms == files.size());
  CHECK(run.packed == files.size());
  for (const auto& e : run.errors) FAIL_CHECK(e.file + " " + e.field + ": " + e.message);
  std::set<std::string> packed;
  for (const auto& f : run.batch.forms) packed.insert(f.definition);
  CHECK(packed == ids);
}

TEST_CASE("胆道閉鎖症: the seed's machine-judgment messages", "[unit]") {
  const auto& def = definition("nanbyo-296");
  auto v = biliary_atresia_definite();
  CHECK(judged(def, v, "category") == "definite");
  CHECK(judged(def, v, "severity") == "2");
  CHECK(judged(def, v, "eligibility") == "eligible");

  // Definite not chosen although the type is one of the basic types (seed, 診断のカテゴリ).
  v["category"] = text_value("none");
  auto cat = judgment(judge(def, v), "category");
  CHECK_FALSE(cat.consistent);
  REQUIRE(cat.messages.size() >= 2);
  CHECK(cat.messages[0] ==
        "「Definite（確診）：手術時の肉眼的所見あるいは胆道造影より確定」が選択されていませんが、"
        "以下の条件が満たされています。");
  CHECK(cat.messages[1] ==
        "・「病型分類（手術時の肉眼的所見あるいは胆道造影像）」で「I型（総胆管閉塞型）」「I "
        "cyst型（肝外嚢胞を伴う総胆管閉塞型）」「II型（肝管閉塞型）」「III型（肝門部閉塞型）」の"
        "いずれかが選択されている");

  // 重症度3 chosen while the most severe item is 2+ and neither 条件2 nor 条件3 holds (seed,
  // 重症度分類).
  v = biliary_atresia_definite();
  v["ba_severity"] = text_value("3");
  auto sev = judgment(judge(def, v), "severity");
  CHECK_FALSE(sev.consistent);
  CHECK(sev.computed == "2");
  REQUIRE_FALSE(sev.messages.empty());
  CHECK(sev.messages[0] ==
        "「重症度3：胆道閉鎖症に起因する症状・所見、もしくは著しくQOL低下を来す続発症により生命に"
        "危険が及んでいる状態、または早期に肝移植が必要な状態」が選択されていますが、以下の条件を"
        "満たしていません。");
  bool names_condition1 = false;
  for (const auto& m : sev.messages)
    names_condition1 |= m == "・「条件1 もっとも症状の重い項目」が「重症度3:3+」である";
  CHECK(names_condition1);
}

TEST_CASE("胆道閉鎖症: diagnosis and the three severity conditions", "[unit]") {
  const auto& def = definition("nanbyo-296");
  auto v = biliary_atresia_definite();
  for (const char* type : {"type1", "type1_cyst", "type2", "type3"}) {
    v["ba_type"] = text_value(type);
    CHECK(judged(def, v, "category") == "definite");
  }
  v["ba_type"] = text_value("not_confirmed");  // no surgical or cholangiographic confirmation
  CHECK(judged(def, v, "category") == "none");
  v = biliary_atresia_definite();
  v["differential_excluded"] = text_value("no");
  CHECK(judged(def, v, "category") == "none");

  // 条件1: the most severe item decides 重症度1 / 2 / 3; the subsidy starts at 2.
  v = biliary_atresia_definite();
  v["most_severe"] = text_value("1");
  CHECK(judged(def, v, "severity") == "1");
  CHECK(judged(def, v, "eligibility") == "not_eligible");
  v["most_severe"] = text_value("2");
  CHECK(judged(def, v, "severity") == "2");
  CHECK(judged(def, v, "eligibility") == "eligible");
  v["most_severe"] = text_value("3");
  CHECK(judged(def, v, "severity") == "3");
  v["most_severe"] = text_value("0");
  CHECK(judged(def, v, "severity") == "none");
  // 条件2 and 条件3 give 重症度3 whatever the items.
  v["life_threatening_sequela"] = text_value("yes");
  CHECK(judged(def, v, "severity") == "3");
  CHECK(judged(def, v, "eligibility") == "eligible");
  v["life_threatening_sequela"] = text_value("no");
  v["transplant_needed"] = text_value("yes");
  CHECK(judged(def, v, "severity") == "3");

  // 条件1 as entered is checked against the graded items.
  v = biliary_atresia_definite();
  CHECK(judged(def, v, "most_severe") == "2");
  v["sev_portal_hypertension"] = text_value("3");
  auto most = judgment(judge(def, v), "most_severe");
  CHECK(most.computed == "3");
  CHECK_FALSE(most.consistent);  // still entered as 重症度2:2+
  for (const char* item : {"sev_cholestasis", "sev_cholangitis", "sev_portal_hypertension",
                           "sev_pulmonary", "sev_liver_function", "sev_growth"})
    v[item] = text_value("1");
  CHECK(judged(def, v, "most_severe") == "1");
  for (const char* item : {"sev_cholestasis", "sev_cholangitis", "sev_portal_hypertension",
                           "sev_pulmonary", "sev_liver_function", "sev_growth"})
    v[item] = text_value("0");
  CHECK(judged(def, v, "most_severe") == "0");
}

TEST_CASE("心室中隔欠損を伴う肺動脈閉鎖症: anatomy and the severity thresholds", "[unit]") {
  const auto& def = definition("nanbyo-214");
  auto v = pa_vsd_definite();
  CHECK(judged(def, v, "category") == "definite");
  CHECK(judged(def, v, "severity") == "eligible");  // NYHA II
  v["vsd"] = text_value("no");
  CHECK(judged(def, v, "category") == "none");
  CHECK_FALSE(judgment(judge(def, v), "category").consistent);
  v = pa_vsd_definite();
  v["differential_excluded"] = text_value("no");
  CHECK(judged(def, v, "category") == "none");

  v = pa_vsd_definite();
  v["nyha"] = text_value("1");
  CHECK(judged(def, v, "severity") == "not_eligible");  // SpO2 95, mPAP 18, no arrhythmia
  v["spo2"] = text_value("90");
  CHECK(judged(def, v, "severity") == "not_eligible");
  v["spo2"] = text_value("89");
  CHECK(judged(def, v, "severity") == "eligible");
  v["spo2"] = text_value("95");
  v["mean_pap"] = text_value("24");
  CHECK(judged(def, v, "severity") == "not_eligible");
  v["mean_pap"] = text_value("25");
  CHECK(judged(def, v, "severity") == "eligible");
  v.erase("mean_pap");  // not measured: the other items decide
  CHECK(judged(def, v, "severity") == "not_eligible");
  v["arrhythmia"] = text_value("yes");
  CHECK(judged(def, v, "severity") == "eligible");
}

TEST_CASE("ベーチェット病: 完全型, 不全型, 疑い and the Stage", "[unit]") {
  const auto& def = definition("nanbyo-056");
  auto v = behcet_complete();
  CHECK(judged(def, v, "category") == "complete");
  CHECK(judged(def, v, "stage") == "3");
  CHECK(judged(def, v, "eligibility") == "eligible");

  v["genital_ulcers"] = text_value("no");  // three main symptoms
  CHECK(judged(def, v, "category") == "incomplete");
  CHECK_FALSE(judgment(judge(def, v), "category").consistent);  // entered 完全型
  v["skin_lesions"] = text_value("no");  // the typical eye lesion and one other main symptom
  CHECK(judged(def, v, "category") == "incomplete");
  v["eye_lesions"] = text_value("atypical");  // two main, one minor
  CHECK(judged(def, v, "category") == "suspected");
  v["minor_symptoms"] = items_value({"arthritis", "intestinal"});  // two main and two minor
  CHECK(judged(def, v, "category") == "incomplete");
  v["oral_aphthae"] = text_value("no");
  v["eye_lesions"] = text_value("typical");  // the typical eye lesion and two minor
  CHECK(judged(def, v, "category") == "incomplete");
  v["eye_lesions"] = text_value("none");
  v["minor_symptoms"] = items_value({});
  CHECK(judged(def, v, "category") == "none");

  // Stage I is not covered; II (iridocyclitis, arthritis or epididymitis) and above are.
  v = behcet_complete();
  for (const char* f : {"iridocyclitis", "chorioretinitis", "blindness_risk", "special_type_active",
                        "special_type_fatal", "neuro_dementia"})
    v[f] = text_value("no");
  v["minor_symptoms"] = items_value({});
  v["eye_lesions"] = text_value("atypical");
  CHECK(judged(def, v, "stage") == "1");
  CHECK(judged(def, v, "eligibility") == "not_eligible");
  v["minor_symptoms"] = items_value({"epididymitis"});
  CHECK(judged(def, v, "stage") == "2");
  CHECK(judged(def, v, "eligibility") == "eligible");
  v["chorioretinitis"] = text_value("yes");
  CHECK(judged(def, v, "stage") == "3");
  v["special_type_active"] = text_value("yes");  // e.g. active intestinal Behçet's disease
  CHECK(judged(def, v, "stage") == "4");
  v["neuro_dementia"] = text_value("yes");
  CHECK(judged(def, v, "stage") == "5");
}

TEST_CASE("脊髄小脳変性症: diagnosis and mRS, 食事・栄養, 呼吸 ≥ 3", "[unit]") {
  const auto& def = definition("nanbyo-018");
  auto v = scd_definite();
  CHECK(judged(def, v, "category") == "definite");
  CHECK(judged(def, v, "severity") == "eligible");
  v["secondary_excluded"] = text_value("no");  // e.g. alcoholic cerebellar degeneration
  CHECK(judged(def, v, "category") == "none");
  v = scd_definite();
  v["slowly_progressive"] = text_value("no");
  CHECK(judged(def, v, "category") == "none");

  v = scd_definite();
  v["mrs"] = text_value("2");
  v["eating"] = text_value("2");
  v["breathing"] = text_value("2");
  CHECK(judged(def, v, "severity") == "not_eligible");
  v["eating"] = text_value("3");
  CHECK(judged(def, v, "severity") == "eligible");
  v["eating"] = text_value("2");
  v["breathing"] = text_value("3");
  CHECK(judged(def, v, "severity") == "eligible");
}

TEST_CASE("特発性間質性肺炎: the PaO2 and 6-minute-walk SpO2 table", "[unit]") {
  const auto& def = definition("nanbyo-085");
  auto v = iip_definite();
  CHECK(judged(def, v, "category") == "definite");
  v["hrct"] = text_value("probable_uip");  // no honeycombing, no biopsy
  CHECK(judged(def, v, "category") == "none");
  v["biopsy"] = text_value("confirmed");
  CHECK(judged(def, v, "category") == "definite");
  v["causes_excluded"] = text_value("no");  // e.g. a connective tissue disease
  CHECK(judged(def, v, "category") == "none");

  struct Row {
    const char* pao2;
    const char* spo2;
    const char* stage;
    const char* eligible;
  };
  for (const Row& r :
       {Row{"85.0", "95", "1", "not_eligible"}, Row{"80.0", "85", "1", "not_eligible"},
        Row{"79.9", "95", "2", "not_eligible"}, Row{"72.0", "90", "2", "not_eligible"},
        Row{"72.0", "89", "3", "eligible"}, Row{"70.0", "95", "2", "not_eligible"},
        Row{"69.9", "95", "3", "eligible"}, Row{"65.0", "89", "4", "eligible"},
        Row{"60.0", "95", "3", "eligible"}, Row{"59.9", "95", "4", "eligible"}}) {
    INFO("PaO2 " << r.pao2 << " SpO2 " << r.spo2);
    v = iip_definite();
    v["pao2"] = text_value(r.pao2);
    v["walk_spo2"] = text_value(r.spo2);
    CHECK(judged(def, v, "severity") == r.stage);
    CHECK(judged(def, v, "eligibility") == r.eligible);
  }
  v = iip_definite();
  v["pao2"] = text_value("75.0");
  v.erase("walk_spo2");  // not measured: PaO2 alone
  CHECK(judged(def, v, "severity") == "2");
}

TEST_CASE("網膜色素変性症: diagnosis and the acuity and visual field grades", "[unit]") {
  const auto& def = definition("nanbyo-090");
  auto v = rp_definite();
  CHECK(judged(def, v, "category") == "definite");
  v["fundus"] = items_value({"bone_spicules"});  // one fundus finding only
  CHECK(judged(def, v, "category") == "none");
  v = rp_definite();
  v["erg"] = text_value("not_done");
  CHECK(judged(def, v, "category") == "none");
  v = rp_definite();
  v.erase("symptoms");
  CHECK(judged(def, v, "category") == "none");

  struct Row {
    const char* acuity;
    const char* constriction;
    const char* field;
    const char* grade;
  };
  for (const Row& r :
       {Row{"1.00", "no", "", "1"}, Row{"0.70", "yes", "20", "2"}, Row{"0.70", "yes", "19", "3"},
        Row{"0.60", "no", "", "3"}, Row{"0.20", "yes", "10", "3"}, Row{"0.19", "no", "", "4"},
        Row{"0.80", "yes", "9", "4"}}) {
    INFO("acuity " << r.acuity << " field " << r.field);
    v = rp_definite();
    v["acuity"] = text_value(r.acuity);
    v["constriction"] = text_value(r.constriction);
    if (*r.field)
      v["central_field"] = text_value(r.field);
    else
      v.erase("central_field");
    CHECK(judged(def, v, "severity") == r.grade);
    CHECK(judged(def, v, "eligibility") ==
          (std::string(r.grade) >= "3" ? "eligible" : "not_eligible"));
  }
}

TEST_CASE("重症筋無力症: symptoms with antibodies or junction tests, MGFA class", "[unit]") {
  const auto& def = definition("nanbyo-011");
  auto v = myasthenia_definite();
  CHECK(judged(def, v, "category") == "definite");  // A and B
  CHECK(judged(def, v, "severity") == "eligible");
  v.erase("antibodies");  // seronegative, no junction test yet
  CHECK(judged(def, v, "category") == "none");
  v["nmj_tests"] = items_value({"rns"});  // A and C, differential diagnoses excluded
  CHECK(judged(def, v, "category") == "definite");
  v["differential_excluded"] = text_value("no");
  CHECK(judged(def, v, "category") == "none");
  v = myasthenia_definite();
  v.erase("symptoms");  // antibodies without symptoms
  CHECK(judged(def, v, "category") == "none");

  v = myasthenia_definite();
  v["mgfa"] = text_value("i");  // ocular only: Class I is covered
  CHECK(judged(def, v, "severity") == "eligible");
  v.erase("mgfa");
  CHECK(judged(def, v, "severity") == "not_eligible");
}

TEST_CASE("前駆B細胞急性リンパ性白血病: blasts, phenotype and the 5 years after treatment",
          "[unit]") {
  const auto& def = definition("shoman-1-080");
  auto v = precursor_b_all_confirmed();
  CHECK(judged(def, v, "diagnosis") == "confirmed");
  CHECK(judged(def, v, "condition") == "eligible");
  v["marrow_blasts"] = text_value("25.0");
  CHECK(judged(def, v, "diagnosis") == "confirmed");
  v["marrow_blasts"] = text_value("24.9");  // lymphoblastic lymphoma range
  CHECK(judged(def, v, "diagnosis") == "none");
  CHECK(judged(def, v, "condition") == "not_eligible");
  v = precursor_b_all_confirmed();
  v["b_precursor_phenotype"] = text_value("no");
  CHECK(judged(def, v, "diagnosis") == "none");

  v = precursor_b_all_confirmed();
  v["treatment_status"] = text_value("within_5y");
  v["treatment_ended_on"] = text_value("2023-03-31");
  CHECK(judged(def, v, "condition") == "eligible");
  CHECK(check(def, v).empty());
  v["treatment_status"] = text_value("over_5y");
  CHECK(judged(def, v, "condition") == "not_eligible");
  v["relapse"] = text_value("yes");  // covered again on relapse
  CHECK(judged(def, v, "condition") == "eligible");
  v.erase("treatment_ended_on");
  CHECK_FALSE(check(def, v).empty());  // the end date is required once treatment ended
}

TEST_CASE("微小変化型ネフローゼ症候群: ISKDC thresholds and the 対象基準", "[unit]") {
  const auto& def = definition("shoman-2-021");
  auto v = minimal_change_ns_confirmed();
  CHECK(judged(def, v, "diagnosis") == "confirmed");
  CHECK(judged(def, v, "condition") == "eligible");
  v["albumin"] = text_value("2.6");
  CHECK(judged(def, v, "diagnosis") == "none");
  v["albumin"] = text_value("2.5");
  CHECK(judged(def, v, "diagnosis") == "confirmed");
  v["night_urine_protein"] = text_value("39.9");
  v["upcr"] = text_value("1.99");
  CHECK(judged(def, v, "diagnosis") == "none");
  v["upcr"] = text_value("2.00");
  CHECK(judged(def, v, "diagnosis") == "confirmed");
  v = minimal_change_ns_confirmed();
  v["steroid_remission"] = text_value("no");
  v["biopsy"] = text_value("minimal_change");  // steroid resistant, diagnosed by biopsy
  CHECK(judged(def, v, "diagnosis") == "confirmed");
  v["biopsy"] = text_value("other");
  CHECK(judged(def, v, "diagnosis") == "none");

  v = minimal_change_ns_confirmed();
  v["relapses_6m"] = text_value("2");
  v["relapses_12m"] = text_value("3");
  CHECK(judged(def, v, "condition") == "not_eligible");
  v["relapses_6m"] = text_value("3");
  CHECK(judged(def, v, "condition") == "eligible");
  v["relapses_6m"] = text_value("2");
  v["relapses_12m"] = text_value("4");
  CHECK(judged(def, v, "condition") == "eligible");
  v["relapses_12m"] = text_value("3");
  v["immunosuppressant"] = text_value("yes");
  CHECK(judged(def, v, "condition") == "eligible");
  v["immunosuppressant"] = text_value("no");
  v["steroid_resistant"] = text_value("yes");
  v["urine_protein_mg_dl"] = text_value("100");
  v["albumin_after"] = text_value("2.9");
  CHECK(judged(def, v, "condition") == "eligible");
  v["albumin_after"] = text_value("3.0");
  CHECK(judged(def, v, "condition") == "not_eligible");
  v["albumin_after"] = text_value("2.9");
  v["urine_protein_mg_dl"] = text_value("99");
  v["urine_protein_g_day"] = text_value("0.99");
  CHECK(judged(def, v, "condition") == "not_eligible");
  v["urine_protein_g_day"] = text_value("1.00");
  CHECK(judged(def, v, "condition") == "eligible");
  v["steroid_resistant"] = text_value("no");
  v["kidney_transplant"] = text_value("yes");
  CHECK(judged(def, v, "condition") == "eligible");
}

TEST_CASE(
    "デュシェンヌ型筋ジストロフィー: genetic or biopsy confirmation and the 神経・筋 対象基準",
    "[unit]") {
  const auto& def = definition("shoman-11-014");
  auto v = duchenne_confirmed();
  CHECK(judged(def, v, "diagnosis") == "confirmed");
  CHECK(judged(def, v, "condition") == "eligible");
  v["dmd_gene"] = text_value("none_found");
  CHECK(judged(def, v, "diagnosis") == "none");
  v["muscle_biopsy"] = text_value("absent");  // dystrophin absent on biopsy
  CHECK(judged(def, v, "diagnosis") == "confirmed");
  v["muscle_biopsy"] = text_value("reduced");
  CHECK(judged(def, v, "diagnosis") == "none");
  v = duchenne_confirmed();
  v["weakness"] = text_value("no");
  v["ck_high"] = text_value("no");
  CHECK(judged(def, v, "diagnosis") == "none");

  v = duchenne_confirmed();
  v.erase("ongoing_symptoms");
  CHECK(judged(def, v, "condition") == "not_eligible");
  v["ongoing_symptoms"] = items_value({"respiratory"});
  CHECK(judged(def, v, "condition") == "eligible");
}

TEST_CASE("心室中隔欠損を伴う肺動脈閉鎖症 (小慢): 慢性心疾患 対象基準 thresholds", "[unit]") {
  const auto& def = definition("shoman-4-084");
  auto v = pa_vsd_child_confirmed();
  CHECK(judged(def, v, "diagnosis") == "confirmed");
  CHECK(judged(def, v, "condition") == "eligible");  // ② gradient 25 mmHg
  v["vsd"] = text_value("no");
  CHECK(judged(def, v, "diagnosis") == "none");

  v = pa_vsd_child_confirmed();
  v["rv_pa_gradient"] = text_value("19");
  CHECK(judged(def, v, "condition") == "not_eligible");  // none of ①–⑨, not under treatment
  struct Row {
    const char* field;
    const char* below;
    const char* at;
  };
  for (const Row& r : {Row{"systolic_pap", "39", "40"}, Row{"rv_pa_gradient", "19", "20"},
                       Row{"av_regurgitation", "1", "2"}, Row{"semilunar_regurgitation", "1", "2"},
                       Row{"aortic_gradient", "19", "20"}, Row{"ejection_fraction", "0.61", "0.60"},
                       Row{"ctr", "59", "60"}, Row{"aortic_restenosis_gradient", "19", "20"}}) {
    INFO(r.field);
    auto c = v;
    c[r.field] = text_value(r.below);
    CHECK(judged(def, c, "condition") == "not_eligible");
    c[r.field] = text_value(r.at);
    CHECK(judged(def, c, "condition") == "eligible");
  }
  for (const char* f : {"on_treatment", "arrhythmia", "inoperable_cyanosis"}) {
    INFO(f);
    auto c = v;
    c[f] = text_value("yes");
    CHECK(judged(def, c, "condition") == "eligible");
  }
}
