#include "tests/bench/forms/sample_forms.h"

#include <array>
#include <cstdio>
#include <random>

#include "appcore/forms/engine.h"

namespace nanbyo::bench {
namespace {

using forms::FieldValue;
using forms::FormValues;
using forms::text_value;

constexpr std::array<PersonName, 12> kSurnames{{{"佐藤", "サトウ"},
                                                {"鈴木", "スズキ"},
                                                {"高橋", "タカハシ"},
                                                {"田中", "タナカ"},
                                                {"伊藤", "イトウ"},
                                                {"渡辺", "ワタナベ"},
                                                {"山本", "ヤマモト"},
                                                {"中村", "ナカムラ"},
                                                {"小林", "コバヤシ"},
                                                {"加藤", "カトウ"},
                                                {"吉田", "ヨシダ"},
                                                {"山口", "ヤマグチ"}}};
constexpr std::array<PersonName, 8> kFemale{{{"花子", "ハナコ"},
                                             {"陽子", "ヨウコ"},
                                             {"恵子", "ケイコ"},
                                             {"美咲", "ミサキ"},
                                             {"由美", "ユミ"},
                                             {"真由美", "マユミ"},
                                             {"さくら", "サクラ"},
                                             {"直子", "ナオコ"}}};
constexpr std::array<PersonName, 8> kMale{{{"太郎", "タロウ"},
                                           {"健一", "ケンイチ"},
                                           {"誠", "マコト"},
                                           {"大輔", "ダイスケ"},
                                           {"翔太", "ショウタ"},
                                           {"浩二", "コウジ"},
                                           {"隆", "タカシ"},
                                           {"拓也", "タクヤ"}}};
constexpr std::array<const char*, 6> kTowns{"東京都千代田区霞が関",   "東京都新宿区西新宿",
                                            "東京都世田谷区三軒茶屋", "東京都練馬区豊玉北",
                                            "東京都八王子市元本郷町", "東京都足立区中央本町"};
constexpr std::array<const char*, 5> kPdDrugs{"レボドパ・カルビドパ", "プラミペキソール",
                                              "ロピニロール", "セレギリン", "アマンタジン"};

class Filler {
 public:
  explicit Filler(std::size_t patient) : rng_(static_cast<std::uint32_t>(patient * 2654435761u)) {}

  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  std::string yes_no(double p_yes) { return chance(p_yes) ? "yes" : "no"; }
  std::string date(int y0, int y1) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", pick(y0, y1), pick(1, 12), pick(1, 28));
    return buf;
  }
  std::string decimal(double lo, double hi, int decimals) {
    return fixed(std::uniform_real_distribution<double>(lo, hi)(rng_), decimals);
  }
  static std::string fixed(double value, int decimals) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
    return buf;
  }

  // Patient and doctor items shared by every form; a child for 小慢.
  void person(FormValues& v, std::size_t patient, bool child) {
    const bool female = chance(0.5);
    const PersonName& sur = kSurnames[pick(0, kSurnames.size() - 1)];
    const PersonName& given =
        female ? kFemale[pick(0, kFemale.size() - 1)] : kMale[pick(0, kMale.size() - 1)];
    char buf[64];
    v["application_type"] = text_value(chance(0.7) ? "new" : "renewal");
    v["patient_name"] = text_value(std::string(sur.kanji) + " " + given.kanji);
    v["patient_kana"] = text_value(std::string(sur.kana) + " " + given.kana);
    v["birth_date"] = text_value(child ? date(2009, 2022) : date(1940, 2000));
    v["sex"] = text_value(female ? "female" : "male");
    std::snprintf(buf, sizeof buf, "%02zu-%06zu", patient % 97, patient);  // distinct per patient
    v["insured_number"] = text_value(buf);
    std::snprintf(buf, sizeof buf, "%d-%d-%d", pick(1, 9), pick(1, 30), pick(1, 20));
    v["address"] = text_value(std::string(kTowns[pick(0, kTowns.size() - 1)]) + buf);
    if (!child) {
      std::snprintf(buf, sizeof buf, "0613%04d", pick(1000, 9999));
      v["insurer_number"] = text_value(buf);
      v["family_history"] = text_value("no");
      v["onset_date"] = text_value(date(2010, 2025));
      v["living_situation"] = text_value(chance(0.5) ? "home" : "work");
    }
    // 医療機関情報 (hospital, 指定医番号, doctor) is filled by the server (issue 18).
    v["attachments"] = text_value(chance(0.5) ? "yes" : "no");
    v["written_on"] = text_value(date(2026, 2026));
  }

  void parkinson(FormValues& v) {
    for (const char* f : {"rest_tremor", "rigidity", "bradykinesia"})
      v[f] = text_value(yes_no(0.85));
    v["postural_instability"] = text_value(yes_no(0.4));
    v["imaging_normal"] = text_value(yes_no(0.95));
    v["drug_exposure"] = text_value(yes_no(0.03));
    v["drug_response"] = text_value(chance(0.85) ? "improved" : "not_improved");
    v["hoehn_yahr"] = text_value(std::to_string(pick(1, 5)));
    v["daily_life"] = text_value(std::to_string(pick(1, 3)));
    FieldValue meds;
    for (int i = pick(1, 3); i > 0; --i)
      meds.rows.push_back({{"drug", kPdDrugs[pick(0, kPdDrugs.size() - 1)]},
                           {"daily_mg", std::to_string(pick(1, 12) * 50)}});
    v["medications"] = meds;
  }

  void als(FormValues& v) {
    v["adult_onset"] = text_value(yes_no(0.97));
    v["progressive"] = text_value(yes_no(0.95));
    FieldValue umn, lmn;
    for (const char* r : {"bulbar", "cervical", "thoracic", "lumbosacral"}) {
      if (chance(0.5)) umn.items.push_back(r);
      if (chance(0.6)) lmn.items.push_back(r);
    }
    v["umn_regions"] = umn;
    v["lmn_regions"] = lmn;
    v["familial_gene"] = text_value(yes_no(0.05));
    if (v["familial_gene"].text == "yes") v["gene_name"] = text_value("SOD1");
    v["differential_excluded"] = text_value(yes_no(0.95));
    v["als_severity"] = text_value(std::to_string(pick(1, 5)));
    v["ventilator_use"] = text_value("no");
  }

  void sle(FormValues& v) {
    for (const char* f : {"malar_rash", "discoid_rash", "photosensitivity", "oral_ulcers",
                          "arthritis", "serositis", "renal_disorder", "neurologic_disorder",
                          "hematologic_disorder", "immunologic_disorder", "ana"})
      v[f] = text_value(yes_no(0.4));
    v["ana"] = text_value(yes_no(0.95));
    for (const char* f : {"sd_arthritis", "sd_rash", "sd_low_complement", "sd_dna_binding",
                          "sd_fever", "sd_proteinuria", "sd_alopecia"})
      v[f] = text_value(yes_no(0.3));
  }

  void uc(FormValues& v) {
    v["bloody_stool"] = text_value(yes_no(0.95));
    v["endoscopy"] = text_value(yes_no(0.9));
    v["biopsy"] = text_value(yes_no(0.9));
    v["differential_excluded"] = text_value(yes_no(0.95));
    v["extent"] = text_value(chance(0.5) ? "total" : "left");
    v["stools_per_day"] = text_value(std::to_string(pick(1, 16)));
    static constexpr std::array<const char*, 4> blood{"none", "plus", "plus2", "plus3"};
    v["visible_blood"] = text_value(blood[pick(0, 3)]);
    v["temperature"] = text_value(decimal(36.0, 38.6, 1));
    v["pulse"] = text_value(std::to_string(pick(60, 110)));
    v["hemoglobin"] = text_value(decimal(8.0, 15.0, 1));
    v["esr"] = text_value(std::to_string(pick(5, 50)));
    v["crp"] = text_value(decimal(0.0, 6.0, 2));
    v["wbc"] = text_value(std::to_string(pick(40, 130) * 100));
    v["abdominal_pain"] = text_value(yes_no(0.3));
  }

  void prader_willi(FormValues& v) {
    v["measured_on"] = v["written_on"];
    // Height for age, then a weight from a BMI in the range seen in these
    // children; independent random pairs give impossible obesity degrees.
    const int age = 2026 - std::stoi(v["birth_date"].text.substr(0, 4));
    const double height = 75.0 + 6.0 * age + pick(-8, 8);
    const double bmi = std::uniform_real_distribution<double>(15.0, 27.0)(rng_);
    v["height_cm"] = text_value(fixed(height, 1));
    v["weight_kg"] = text_value(fixed(bmi * height * height / 1e4, 1));
    v["neonatal_hypotonia"] = text_value(yes_no(0.9));
    v["hyperphagia"] = text_value(yes_no(0.7));
    v["hypogonadism"] = text_value(yes_no(0.6));
    static constexpr std::array<const char*, 4> tests{"deletion", "upd", "imprinting",
                                                      "translocation"};
    v["genetic_test"] = text_value(tests[pick(0, 3)]);
    v["growth_hormone"] = text_value(yes_no(0.6));
  }

 private:
  std::mt19937 rng_;
};

}  // namespace

std::span<const PersonName> family_names() {
  return kSurnames;
}

std::span<const PersonName> given_names(bool female) {
  if (female) return kFemale;
  return kMale;
}

const std::vector<std::string>& sample_definitions() {
  static const std::vector<std::string> ids{"nanbyo-002", "nanbyo-006", "nanbyo-049", "nanbyo-097",
                                            "shoman-5-091"};
  return ids;
}

forms::FormValues sample_form(const forms::FormDefinition& def, std::size_t patient) {
  Filler fill(patient);
  FormValues v;
  const bool child = def.id.starts_with("shoman");
  fill.person(v, patient, child);
  if (def.id == "nanbyo-002") fill.als(v);
  if (def.id == "nanbyo-006") fill.parkinson(v);
  if (def.id == "nanbyo-049") fill.sle(v);
  if (def.id == "nanbyo-097") fill.uc(v);
  if (child) fill.prader_willi(v);
  // Half of the hospital systems fill the calculated items themselves.
  if (fill.chance(0.5)) forms::apply_calculations(def, v);
  // The doctor enters what the criteria give (category, severity, ...).
  for (const auto& j : forms::judge(def, v))
    for (const auto& jd : def.judgments)
      if (jd.id == j.id && !jd.entered.empty() && !j.computed.empty())
        v[jd.entered] = text_value(j.computed);
  return v;
}

void add_entry_errors(forms::FormValues& values, int how) {
  if (how == 0 || how == kAllErrors) values["patient_kana"] = text_value("なんびょう はなこ");
  if (how == 1 || how == kAllErrors) values["birth_date"] = text_value("1975-02-30");
  if (how == 2 || how == kAllErrors) values["sex"] = text_value("unknown");
}

void drop_required_item(forms::FormValues& values) {
  values.erase("written_on");
}

}  // namespace nanbyo::bench
