#include "appcore/check/check_run.h"

#include <chrono>

#include "appcore/core/csv_writer.h"
#include "appcore/forms/engine.h"
#include "appcore/forms/japan_date.h"

namespace nanbyo::check {

CheckRun check_files(const forms::XmlFormReader& reader, const forms::FormCatalog& catalog,
                     const std::vector<InputFile>& files, const std::string& today_or_default) {
  const std::string today = today_or_default.empty()
                                ? forms::japan_date(std::chrono::floor<std::chrono::seconds>(
                                      std::chrono::system_clock::now()))
                                : today_or_default;
  CheckRun run;
  for (const auto& file : files) {
    ++run.files;
    auto read = reader.read(file.bytes);
    if (!read) {
      run.errors.push_back(
          {file.name, "", "", "ファイルを読み込めません: " + read.error().message});
      continue;
    }
    for (auto& form : *read) {
      ++run.forms;
      const std::string name = (form.ref.empty() ? "" : form.ref + " ") + "(" + form.definition +
                               ", line " + std::to_string(form.line) + ")";
      for (const auto& issue : form.issues)
        run.errors.push_back({file.name, name, issue.field, "XMLスキーマ違反: " + issue.message});
      const forms::FormDefinition* def = form.def;
      if (!def || !form.issues.empty()) {
        run.errors.push_back(
            {file.name, name, "", "この様式は取り込めません（XMLスキーマ違反）。"});
        continue;
      }
      // A previous version (catalog.h): accepted until its transition ends, with a notice.
      if (auto accepted = catalog.accepts(*def, today); !accepted) {
        run.errors.push_back({file.name, name, "", accepted.error().message});
        continue;
      }
      if (const forms::PreviousVersion* old = catalog.previous_of(*def))
        run.errors.push_back({file.name, name, "",
                              "旧様式（版 " + def->version + "）です。" + old->accepted_until +
                                  " まで受け付けます。現行の版は " +
                                  catalog.find(def->id)->version + " です。"});
      auto messages = forms::check(*def, form.values);
      for (const auto& m : messages) {
        std::string field = m.field;
        if (m.row >= 0) field += "[" + std::to_string(m.row + 1) + "]." + m.column;
        run.errors.push_back({file.name, name, field, m.text});
      }
      if (forms::has_errors(messages)) {
        run.errors.push_back({file.name, name, "", "この様式は取り込めません（入力誤り）。"});
        continue;
      }
      run.batch.forms.push_back(
          {file.name, form.ref, def->id, forms::write_form_xml(*def, form.values, form.ref)});
      ++run.packed;
    }
  }
  return run;
}

// The hospital opens errors.csv in Excel: the server's formula-safe writer.
std::string error_csv(const std::vector<ErrorRow>& rows) {
  appcore::CsvWriter csv;
  csv.row({"file", "form", "field", "message"});
  for (const auto& r : rows) csv.row({r.file, r.form, r.field, r.message});
  return csv.text();
}

}  // namespace nanbyo::check
