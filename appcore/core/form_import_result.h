// The per-file result list of a forms upload (F-9, F-11; issue 18): the words
// of its 結果 column, a row as JSON, and the list as CSV (csv_writer.h: formula-safe).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "appcore/core/forms_api.h"

namespace nanbyo::appcore {

// 登録 / 下書き保存 / 登録済み（重複） / エラー.
std::string import_result_text(const ImportItem& item);
// One form's result as JSON (file, ref, definition, patient_name, disease, written_on,
// imported, form_id, status, access_key, reasons) and back: the API's rows and what
// FormService::keep_upload seals.
nlohmann::json import_item_to_json(const ImportItem& item);
ImportItem import_item_from_json(const nlohmann::json& j);
// 患者氏名, 病名, ファイル名, 記載年月日, 結果, 参照番号, アクセスキー, 理由: one row per form.
std::string import_result_csv(const ImportOutcome& outcome);

}  // namespace nanbyo::appcore
