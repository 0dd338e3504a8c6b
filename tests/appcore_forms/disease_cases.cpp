#include "disease_cases.h"

#include <initializer_list>

namespace nanbyo::forms::testing {
namespace {

void texts(FormValues& v, std::initializer_list<std::pair<const char*, const char*>> entries) {
  for (const auto& [field, text] : entries) v[field] = text_value(text);
}

// 臨床調査個人票: the patient and the doctor of a 指定難病 form.
FormValues clinical_sheet() {
  FormValues v;
  texts(v, {{"application_type", "new"},
            {"insurer_number", "06131018"},
            {"insured_number", "200-2345555"},
            {"patient_name", "田中 花子"},
            {"patient_kana", "タナカ ハナコ"},
            {"birth_date", "1972-01-01"},
            {"sex", "female"},
            {"address", "東京都大田区大森1-1-1"},
            {"family_history", "no"},
            {"attachments", "no"},
            {"written_on", "2026-05-01"}});  // 医療機関情報: filled by the server at registration
  return v;
}

// 医療意見書: the child, the measurements and the doctor of a 小慢 form.
FormValues opinion_sheet() {
  FormValues v;
  texts(v, {{"application_type", "new"},
            {"patient_name", "小児 一郎"},
            {"patient_kana", "ショウニ イチロウ"},
            {"birth_date", "2016-05-10"},
            {"sex", "male"},
            {"measured_on", "2026-04-20"},
            {"height_cm", "125.0"},
            {"weight_kg", "24.0"},
            {"attachments", "yes"},
            {"written_on", "2026-04-20"}});  // 医療機関情報: filled by the server at registration
  return v;
}

}  // namespace

FieldValue items_value(std::vector<std::string> items) {
  FieldValue v;
  v.items = std::move(items);
  return v;
}

FormValues myasthenia_definite() {
  auto v = clinical_sheet();
  v["symptoms"] = items_value({"ptosis", "ocular", "limb"});
  v["fluctuation"] = text_value("yes");
  v["antibodies"] = items_value({"achr"});
  texts(v, {{"differential_excluded", "yes"},
            {"thymoma", "no"},
            {"category", "definite"},
            {"mgfa", "iia"},
            {"mg_adl", "6"}});
  return v;
}

FormValues scd_definite() {
  auto v = clinical_sheet();
  texts(v, {{"ataxia", "yes"},
            {"slowly_progressive", "yes"},
            {"imaging", "yes"},
            {"secondary_excluded", "yes"},
            {"scd_type", "sca6"},
            {"gene_test", "positive"},
            {"category", "definite"},
            {"mrs", "3"},
            {"eating", "1"},
            {"breathing", "0"}});
  return v;
}

FormValues behcet_complete() {
  auto v = clinical_sheet();
  texts(v, {{"oral_aphthae", "yes"},
            {"skin_lesions", "yes"},
            {"eye_lesions", "typical"},
            {"genital_ulcers", "yes"}});
  v["minor_symptoms"] = items_value({"arthritis"});
  texts(v, {{"category", "complete"},
            {"iridocyclitis", "yes"},
            {"chorioretinitis", "yes"},
            {"blindness_risk", "no"},
            {"special_type_active", "no"},
            {"special_type_fatal", "no"},
            {"neuro_dementia", "no"},
            {"behcet_stage", "3"}});
  return v;
}

FormValues iip_definite() {
  auto v = clinical_sheet();
  v["clinical_signs"] = items_value({"cough", "dyspnoea", "crackles"});
  v["serum_markers"] = items_value({"kl6", "spd"});
  v["lung_function"] = items_value({"restrictive", "diffusion"});
  texts(v, {{"hrct", "uip"},
            {"biopsy", "not_done"},
            {"causes_excluded", "yes"},
            {"iip_type", "ipf"},
            {"category", "definite"},
            {"pao2", "72.0"},     // II by PaO2 ...
            {"walk_spo2", "88"},  // ... III with desaturation on walking
            {"iip_severity", "3"}});
  return v;
}

FormValues rp_definite() {
  auto v = clinical_sheet();
  v["symptoms"] = items_value({"night_blindness", "field_constriction"});
  v["fundus"] = items_value({"narrow_vessels", "bone_spicules", "optic_atrophy"});
  texts(v, {{"erg", "extinguished"},
            {"differential_excluded", "yes"},
            {"category", "definite"},
            {"acuity", "0.50"},
            {"constriction", "yes"},
            {"central_field", "15"},
            {"rp_severity", "3"}});
  return v;
}

FormValues pa_vsd_definite() {
  auto v = clinical_sheet();
  v["imaging"] = items_value({"echo", "catheter"});
  texts(v, {{"pulmonary_atresia", "yes"}, {"vsd", "yes"}});
  v["pulmonary_supply"] = items_value({"mapca"});
  texts(v, {{"differential_excluded", "yes"},
            {"repair", "done"},
            {"category", "definite"},
            {"nyha", "2"},
            {"spo2", "95"},
            {"mean_pap", "18"},
            {"arrhythmia", "no"}});
  return v;
}

FormValues biliary_atresia_definite() {
  auto v = clinical_sheet();
  texts(v, {{"birth_date", "2001-01-20"},
            {"jaundice", "yes"},
            {"hepatomegaly", "yes"},
            {"stool_colour", "yes"},
            {"early_onset", "yes"}});
  v["confirmed_by"] = items_value({"surgery", "cholangiography"});
  texts(v, {{"ba_type", "type3"},
            {"differential_excluded", "yes"},
            {"kasai_operation", "yes"},
            {"kasai_operation_date", "2001-03-05"},
            {"liver_transplant", "no"},
            {"category", "definite"},
            {"sev_cholestasis", "0"},
            {"sev_cholangitis", "2"},
            {"sev_portal_hypertension", "1"},
            {"sev_pulmonary", "0"},
            {"sev_liver_function", "1"},
            {"sev_growth", "0"},
            {"most_severe", "2"},
            {"life_threatening_sequela", "no"},
            {"transplant_needed", "no"},
            {"ba_severity", "2"}});
  return v;
}

FormValues precursor_b_all_confirmed() {
  auto v = opinion_sheet();
  texts(v, {{"marrow_blasts", "86.5"},
            {"mpo_negative", "yes"},
            {"b_precursor_phenotype", "yes"},
            {"cd10", "positive"},
            {"cytogenetics", "ETV6-RUNX1"},
            {"cns_involvement", "no"},
            {"diagnosis", "confirmed"},
            {"treatment_status", "on_treatment"},
            {"relapse", "no"},
            {"hsct", "no"}});
  return v;
}

FormValues minimal_change_ns_confirmed() {
  auto v = opinion_sheet();
  texts(v, {{"night_urine_protein", "120.0"},
            {"upcr", "6.50"},
            {"albumin", "1.8"},
            {"steroid_remission", "yes"},
            {"biopsy", "not_done"},
            {"diagnosis", "confirmed"},
            {"relapses_6m", "3"},
            {"relapses_12m", "4"},
            {"immunosuppressant", "no"},
            {"steroid_resistant", "no"},
            {"kidney_transplant", "no"}});
  return v;
}

FormValues pa_vsd_child_confirmed() {
  auto v = opinion_sheet();
  v["imaging"] = items_value({"echo", "catheter"});
  texts(v, {{"pulmonary_atresia", "yes"},
            {"vsd", "yes"},
            {"diagnosis", "confirmed"},
            {"on_treatment", "no"},
            {"systolic_pap", "30"},
            {"rv_pa_gradient", "25"},  // ② after the repair: eligible
            {"av_regurgitation", "1"},
            {"semilunar_regurgitation", "1"},
            {"arrhythmia", "no"},
            {"ejection_fraction", "0.65"},
            {"ctr", "52"},
            {"inoperable_cyanosis", "no"},
            {"ventilator_use", "no"}});
  return v;
}

FormValues duchenne_confirmed() {
  auto v = opinion_sheet();
  texts(v, {{"weakness", "yes"},
            {"gowers", "yes"},
            {"calf_hypertrophy", "yes"},
            {"ck", "15000"},
            {"ck_high", "yes"},
            {"dmd_gene", "deletion"},
            {"muscle_biopsy", "not_done"},
            {"diagnosis", "confirmed"}});
  v["ongoing_symptoms"] = items_value({"motor"});
  texts(v, {{"ambulation", "independent"}, {"steroid_therapy", "yes"}, {"ventilator_use", "no"}});
  return v;
}

std::vector<std::pair<std::string, FormValues>> specific_disease_samples() {
  return {{"nanbyo-011", myasthenia_definite()},
          {"nanbyo-018", scd_definite()},
          {"nanbyo-056", behcet_complete()},
          {"nanbyo-085", iip_definite()},
          {"nanbyo-090", rp_definite()},
          {"nanbyo-214", pa_vsd_definite()},
          {"nanbyo-296", biliary_atresia_definite()},
          {"shoman-1-080", precursor_b_all_confirmed()},
          {"shoman-2-021", minimal_change_ns_confirmed()},
          {"shoman-4-084", pa_vsd_child_confirmed()},
          {"shoman-11-014", duchenne_confirmed()}};
}

}  // namespace nanbyo::forms::testing
