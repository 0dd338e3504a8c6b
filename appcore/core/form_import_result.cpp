#include "appcore/core/form_import_result.h"

#include "appcore/core/csv_writer.h"

namespace nanbyo::appcore {

std::string import_result_text(const ImportItem& item) {
  if (item.status == "already-imported") return "登録済み（重複）";
  if (!item.imported) return "エラー";
  return item.status == "registered" ? "登録" : "下書き保存";
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
