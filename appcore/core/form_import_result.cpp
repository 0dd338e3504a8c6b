#include "appcore/core/form_import_result.h"

#include "appcore/core/csv_writer.h"

namespace nanbyo::appcore {

std::string import_result_text(const ImportItem& item) {
  if (item.status == "already-imported") return "登録済み（重複）";
  if (!item.imported) return "エラー";
  return item.status == "registered" ? "登録" : "下書き保存";
}

nlohmann::json import_item_to_json(const ImportItem& i) {
  return {{"file", i.file},
          {"ref", i.ref},
          {"definition", i.definition},
          {"patient_name", i.patient_name},
          {"disease", i.disease},
          {"written_on", i.written_on},
          {"imported", i.imported},
          {"form_id", i.form_id},
          {"status", i.status},
          {"access_key", i.access_key},
          {"reasons", i.reasons}};
}

ImportItem import_item_from_json(const nlohmann::json& j) {
  ImportItem i;
  i.file = j.value("file", "");
  i.ref = j.value("ref", "");
  i.definition = j.value("definition", "");
  i.patient_name = j.value("patient_name", "");
  i.disease = j.value("disease", "");
  i.written_on = j.value("written_on", "");
  i.imported = j.value("imported", false);
  i.form_id = j.value("form_id", "");
  i.status = j.value("status", "");
  i.access_key = j.value("access_key", "");
  i.reasons = j.value("reasons", std::vector<std::string>{});
  return i;
}

std::string import_result_csv(const ImportOutcome& outcome) {
  CsvWriter w;
  w.row(
      {"患者氏名", "病名", "ファイル名", "記載年月日", "結果", "参照番号", "アクセスキー", "理由"});
  for (const auto& item : outcome.items) {
    std::string reasons;
    for (const auto& r : item.reasons) reasons += (reasons.empty() ? "" : " / ") + r;
    w.row({item.patient_name, item.disease, item.file, item.written_on, import_result_text(item),
           item.ref, item.access_key, reasons});
  }
  return w.text();
}

}  // namespace nanbyo::appcore
