// The forms facade (issue 6): clinical forms F-1 … F-12 and the upload of
// nanbyo-check batches (F-9), beside AppCore (app_core.h) on the same
// database. The web layer gets the Principal from AppCore::resolve_session()
// and passes it here; every call re-reads the user, checks scope and writes an
// audit record (S-7). Form contents are AES-256-GCM under the data key (S-5).
//
// Statuses (F-6): draft (一時保存; clerks and doctors edit) → submitted (a clerk
// sent it to a doctor with a comment; the sender may pull it back) →
// registered (the doctor approved: access key issued, judgments stored) →
// cancelled (解除). A registered form is never edited: 更新登録 (carry_over)
// starts a new draft from it (F-5).
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "appcore/core/config.h"
#include "appcore/core/errors.h"
#include "appcore/core/model.h"
#include "appcore/forms/catalog.h"
#include "appcore/forms/engine.h"
#include "appcore/forms/xml.h"
#include "pki/audit/audit_sink.h"
#include "pki/clock.h"

namespace nanbyo::appcore {

struct FormServiceConfig {
  std::filesystem::path definitions = forms::installed_definitions_dir();
  std::string minimum_tool_version = "1.0.0";  // older nanbyo-check batches are refused
  int access_key_lookups = 10;                 // per user and window (F-7)
  std::chrono::seconds access_key_window{600};
  // An access-key lookup lets the user view, export and carry over (更新登録)
  // that form (a municipality: view, print, record) for this long; a new
  // lookup renews it (docs/appcore-data.md "Authorization").
  std::chrono::hours access_grant_validity{24 * 30};
  std::size_t max_batch_bytes = std::size_t{256} << 20;
  // How long an upload's per-file results are kept for its uploader (issue 18 item 7).
  std::chrono::hours upload_retention{24 * 30};
  // Definitions already loaded from `definitions`, shared with other services of
  // the process (the tests open one per case); null: open() loads and compiles them.
  std::shared_ptr<const forms::FormCatalog> catalog;
  std::shared_ptr<const forms::XmlFormReader> xml_reader;
};

// The three panels of the entry screen: check highlights (F-2), calculated
// values for the 自動入力 buttons (F-3), machine judgment (F-4).
struct FormEvaluation {
  std::vector<forms::CheckMessage> messages;
  std::vector<forms::CalculationResult> calculations;
  std::vector<forms::JudgmentResult> judgments;
};

struct FormSummary {
  std::string form_id, definition, title, form_type;
  // The definition's version the form was written with, and the last day a
  // form of that version is accepted when it is a previous one ("" if current;
  // issue 18 item 4, forms/catalog.h).
  std::string version, version_accepted_until;
  std::string status;  // draft | submitted | registered | cancelled
  std::string application_type;
  std::string hospital, created_by, assigned_doctor;
  std::string created_at, updated_at, registered_at;
  std::string access_key;  // "XXXX-XXXX-XXXX-XXXX" once registered
  std::string parent_id;   // the form it was carried over from
  // 更新登録 from a previous version: the former items (ids) it could not carry.
  std::vector<std::string> not_carried;
  // From the form, decrypted for the list (F-12).
  std::string insured_number, patient_kana, birth_date, sex;
  std::string insurer_number, doctor_name;  // 保険者番号, 指定医氏名 (issue 18, the seed's list)
  std::string notice;  // 告示番号 (指定難病) or 疾患群-番号 (小慢), from the definition
  std::string source;         // 登録種別: web | xml-upload | paper-scan
  std::string certification;  // municipality's result, "" until recorded
};

// F-10: what the municipality records.
struct MunicipalityRecord {
  std::string certification;     // approved (認定) | rejected (不認定) | pending (保留)
  std::string research_consent;  // yes | no (研究利用の同意)
  std::string income_category;   // 所得区分, free text (e.g. 一般所得I)
  std::string recorded_by, recorded_at;
};

struct FormRecord {
  FormSummary summary;
  forms::FormValues values;
  std::vector<forms::JudgmentResult> judgments;  // as stored at the last save
  MunicipalityRecord municipality;
};

struct WorkflowEntry {
  std::string at, actor, from_user, to_user, status, comment;
};

// One page of a form's history (F-6, issue 18): the entries in the asked order and how many
// the form has.
struct HistoryPage {
  std::vector<WorkflowEntry> entries;
  std::size_t total = 0;
  std::size_t page = 1, per_page = 20;
};

struct FieldChange {  // 差異 (F-5, F-12)
  std::string field, label, before, after;
};

struct PrintRow {
  std::string label, value;
};
struct PrintSection {
  std::string title;
  std::vector<PrintRow> rows;
};
struct PrintView {
  std::string title, form_type, access_key;
  bool masked = false;  // personal items shown as ＊＊＊ (F-10 review board)
  std::vector<PrintSection> sections;
  std::vector<forms::JudgmentResult> judgments;
};

struct FormSearch {  // every non-empty criterion must match (F-12)
  std::string definition, status, insured_number, access_key, patient_kana, birth_date, sex;
  std::string assigned_doctor, updated_from, updated_to;  // dates YYYY-MM-DD
  std::vector<std::string> definitions;  // any of these (a disease search's hits); empty: any
  std::string application_type;          // new | renewal
  std::string source;                    // 登録種別: web | xml-upload | paper-scan
  // The list's order and page (F-12, the seed's 表示件数/頁): a column and a direction; pages
  // from 1, 10 to 500 rows each (the web list offers 10, 20, 50, 100).
  std::string sort = "updated";  // updated | created | registered | disease | status
  bool ascending = false;
  std::size_t page = 1, per_page = 20;
};

struct FormPage {
  std::vector<FormSummary> rows;
  std::size_t total = 0;  // every form that matches
  std::size_t page = 1, per_page = 20;
};

struct ImportItem {
  std::string file, ref, definition;
  // For the result list (issue 18): 患者氏名, 病名 and 記載年月日 as the file
  // states them ("" when it could not be read).
  std::string patient_name, disease, written_on;
  bool imported = false;
  std::string form_id, status, access_key;
  std::vector<std::string> reasons;  // why it failed, or missing items of a draft
};
// Called after each chunk of an upload is written (forms done, forms in the file).
using FormImportProgress = std::function<void(std::size_t done, std::size_t total)>;
struct ImportOutcome {
  std::string tool_version;
  std::size_t imported = 0, failed = 0, already = 0;
  std::vector<ImportItem> items;
};

// A finished forms upload as kept for the user who made it (issue 18 item 7), sealed like
// the forms: its counts and, from upload_record(), the result of every file.
struct UploadRecord {
  std::string job_id;
  std::string kind;       // xml-batch (F-9) | paper (F-11)
  std::string file_name;  // as the browser named the upload
  std::string finished_at;
  std::string error;      // why the whole file was refused (an Error's message); "" when it ran
  ImportOutcome outcome;  // the counts; items only from upload_record()
};

class FormService {
 public:
  static Result<std::unique_ptr<FormService>> open(const CoreConfig& core,
                                                   const FormServiceConfig& config,
                                                   const Clock& clock, audit::AuditSink& audit);
  ~FormService();

  const forms::FormCatalog& catalog() const;
  std::string xsd() const;  // for download by vendors (F-9)
  const std::string& minimum_tool_version() const;
  std::string today() const;  // YYYY-MM-DD in Japan, by the service's clock

  Result<FormEvaluation> evaluate(const std::string& definition,
                                  const forms::FormValues& values) const;
  // With a given version's definition (a stored form's, catalog().stored()).
  FormEvaluation evaluate(const forms::FormDefinition& def, const forms::FormValues& values) const;

  // F-1: create ("" form_id) or update a draft; temporary save allows missing items.
  Result<FormSummary> save_draft(const Principal& p, const std::string& form_id,
                                 const std::string& definition, const forms::FormValues& values);
  Result<FormRecord> get(const Principal& p, const std::string& form_id);
  // F-6 workflow.
  Result<void> submit(const Principal& p, const std::string& form_id, const std::string& doctor,
                      const std::string& comment);
  Result<void> pull_back(const Principal& p, const std::string& form_id,
                         const std::string& comment);
  Result<void> comment(const Principal& p, const std::string& form_id, const std::string& text);
  // Registration by a doctor: refused while the check has errors or missing items;
  // inconsistent judgments do not block it (F-4).
  Result<FormSummary> approve(const Principal& p, const std::string& form_id,
                              const std::string& comment = "");
  std::vector<std::pair<std::string, Result<FormSummary>>> approve_all(
      const Principal& p, const std::vector<std::string>& form_ids);
  Result<std::vector<WorkflowEntry>> history(const Principal& p, const std::string& form_id);
  // A page of it (10 to 500 entries), oldest first or newest first; a page past the end
  // gives the last one.
  Result<HistoryPage> history_page(const Principal& p, const std::string& form_id, std::size_t page,
                                   std::size_t per_page, bool newest_first);
  Result<void> cancel(const Principal& p, const std::string& form_id, const std::string& reason);
  // F-5: 更新登録 — a new draft pre-filled with the carry-over items of form_id.
  Result<FormSummary> carry_over(const Principal& p, const std::string& form_id);
  Result<std::vector<FieldChange>> diff(const Principal& p, const std::string& form_id);
  // F-7/F-8/F-10: lookup by access key (rate-limited, audited); grants the caller
  // access to that form (view, update-register, export; municipality: record, print).
  Result<FormRecord> find_by_access_key(const Principal& p, const std::string& access_key);
  Result<void> record_municipality(const Principal& p, const std::string& form_id,
                                   const MunicipalityRecord& record);
  Result<PrintView> print_view(const Principal& p, const std::string& form_id, bool masked);
  Result<std::vector<FormSummary>> search(const Principal& p, const FormSearch& query);
  // One page of the list in the asked order, with the number of forms that match (F-12).
  Result<FormPage> search_page(const Principal& p, const FormSearch& query);
  Result<std::string> export_xml(const Principal& p, const std::string& form_id);
  // F-9: a batch sealed by nanbyo-check with the caller's own key file.
  // Both imports write in small chunks and release the write lock between them,
  // so a long upload keeps no other request waiting (issue 18).
  Result<ImportOutcome> import_batch(const Principal& p, std::string_view sealed,
                                     const FormImportProgress& progress = {});
  // F-11: a municipality's scanned paper forms, converted to XML elsewhere
  // (docs/forms-xml.md layout, any number of forms): each readable form is
  // registered with an access key; re-importing the same file adds nothing.
  Result<ImportOutcome> import_paper_xml(const Principal& p, const std::string& file_name,
                                         std::string_view xml,
                                         const FormImportProgress& progress = {});

  // Keeps a finished upload of the caller for the retention, bound to the caller and the
  // hospital (or municipality) the upload was made from; forgets older ones (issue 18).
  Result<void> keep_upload(const Principal& p, const UploadRecord& record);
  // The caller's kept upload; not-found for anyone else, or from another hospital.
  Result<UploadRecord> upload_record(const Principal& p, const std::string& job_id);
  // The caller's kept uploads of `kind`, newest first, without their items.
  Result<std::vector<UploadRecord>> recent_uploads(const Principal& p, const std::string& kind,
                                                   std::size_t limit);

  struct Impl;

 private:
  explicit FormService(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Access keys (F-7): 16 characters of Crockford base32 shown in four groups,
// 75 random bits and a Luhn mod 32 check character, so a mistyped key is
// refused before any lookup.
std::string make_access_key(std::string_view random_bytes);  // at least 10 bytes
// Upper-cases, drops spaces and hyphens, folds O→0 and I/L→1; "" when the check fails.
std::string normalize_access_key(std::string_view typed);

}  // namespace nanbyo::appcore
