// Clinical forms uploads as jobs (issue 18): the XML batch upload (F-9) and
// the municipality's paper import (F-11). The screen sends the file as the
// request body with upload progress (static/app.js), gets 202 and a job id,
// polls GET /api/imports/{id} (routes_import.cpp), then opens the result page:
// one row per form (患者氏名, 病名, ファイル名, 記載年月日, 結果), downloadable as
// CSV. While it runs only the session that started it sees the job; its result
// is kept by the FormService for the user at that hospital (30 days, across
// restarts) and the upload screens list the user's recent uploads.
#include "appcore/core/form_import_result.h"
#include "appcore/web/audit_search_form.h"
#include "appcore/web/forms_view.h"
#include "appcore/web/import_jobs.h"
#include "appcore/web/route_support.h"
#include "appcore/web/routes.h"

namespace nanbyo::web {
namespace {

using appcore::Role;

// Rows shown on the result page; the CSV holds every form.
constexpr std::size_t kShownRows = 2000;
// Kept uploads listed on an upload screen.
constexpr std::size_t kRecentUploads = 20;

// The upload form, its progress and status; app.js sends the file to `action`.
void upload_form(Html& b, const char* action, const char* file_label, const char* accept,
                 const char* button) {
  b << raw("<form id=\"form-import\" method=\"post\" action=\"") << action
    << raw("\"><div class=\"field\"><label for=\"f-batch\">") << file_label
    << raw("<span class=\"req\">必須</span></label><input id=\"f-batch\" name=\"file\" "
           "type=\"file\" accept=\"")
    << accept << raw("\" required></div><div class=\"actions\"><button type=\"submit\">") << button
    << raw("</button></div></form>"
           "<p><label for=\"form-import-upload\">送信</label> <progress id=\"form-import-upload\" "
           "value=\"0\" max=\"1\"></progress></p>"
           "<p><label for=\"form-import-progress\">登録</label> <progress "
           "id=\"form-import-progress\" value=\"0\" max=\"1\"></progress></p>"
           "<p id=\"form-import-status\" role=\"status\" aria-live=\"polite\"></p>");
}

// A kept upload's time (UTC, format_utc) as the screens show times: Japan time.
std::string japan_time(const std::string& utc) {
  TimePoint t;
  return parse_utc(utc, t) ? jst_time(t.time_since_epoch().count()) : utc;
}

// The user's kept uploads of `kind` (issue 18 item 7), newest first, linked to their results.
Html recent_uploads(RequestContext& ctx, appcore::FormService& svc, ImportKind kind) {
  Html b;
  auto r = svc.recent_uploads(ctx.who(), upload_kind_name(kind), kRecentUploads);
  if (!r) return b;
  b << raw(
      "<h2>最近の取込結果（30日間保存）</h2><table id=\"recent-uploads\"><thead><tr>"
      "<th scope=\"col\">日時（日本時間）</th><th scope=\"col\">ファイル名</th><th scope=\"col\">"
      "登録</th><th scope=\"col\">エラー</th><th scope=\"col\">登録済み</th>"
      "<th scope=\"col\">結果</th></tr></thead><tbody>");
  for (const auto& u : *r) {
    b << raw("<tr><td>") << japan_time(u.finished_at) << raw("</td><td>") << u.file_name
      << raw("</td><td>") << static_cast<int64_t>(u.outcome.imported) << raw("</td><td>")
      << static_cast<int64_t>(u.outcome.failed) << raw("</td><td>")
      << static_cast<int64_t>(u.outcome.already) << raw("</td><td><a href=\"/forms/import-results/")
      << u.job_id << raw("\">") << (u.error.empty() ? "ファイルごとの結果" : "取込できませんでした")
      << raw("</a></td></tr>");
  }
  if (r->empty()) b << raw("<tr><td colspan=\"6\">保存されている取込結果はありません。</td></tr>");
  b << raw("</tbody></table>");
  return b;
}

Response import_page(RequestContext& ctx) {
  auto* svc = forms_of(ctx);
  if (!svc) return no_forms(ctx);
  Html b;
  b << raw("<p>nanbyo-checkで作成した暗号化ファイル（利用者本人の鍵ファイルで暗号化したもの）を"
           "選択してください。登録は裏側で進み、終わるとファイルごとの結果を表示します。</p>"
           "<p><a href=\"/forms/xsd\" download>XMLスキーマ（XSD）をダウンロード</a>"
           "（必要なツールの版: ")
    << svc->minimum_tool_version()
    << raw("以上）。疾病ごとのXSDは<a href=\"/forms/layout\">XMLレイアウト（院内システム向け）"
           "</a>から取得できます。</p>");
  upload_form(b, "/api/forms/imports", "暗号化ファイル", ".nbx", "アップロードして登録");
  b << recent_uploads(ctx, *svc, ImportKind::FormsBatch);
  return page(ctx, "個人票のXML一括登録", b);
}

// F-11: the municipality's scanned paper forms, converted to XML elsewhere.
Response paper_import_page(RequestContext& ctx) {
  auto* svc = forms_of(ctx);
  if (!svc) return no_forms(ctx);
  Html b;
  b << raw(
      "<p>紙の臨床調査個人票をスキャンして電子化（XML変換）したファイルを選択してください。"
      "読み取れた個人票はそのまま登録され、アクセスキーが発行されます。未記入の項目は結果に"
      "表示します。同じファイルを再度取り込んでも二重には登録されません。</p>"
      "<p><a href=\"/forms/xsd\" download>XMLスキーマ（XSD）をダウンロード</a></p>");
  upload_form(b, "/api/forms/paper-imports", "XMLファイル", ".xml,application/xml",
              "取り込んで登録");
  b << recent_uploads(ctx, *svc, ImportKind::FormsPaperXml);
  return page(ctx, "紙の個人票の取込", b);
}

Response start_upload(RequestContext& ctx, ImportKind kind) {
  auto* svc = forms_of(ctx);
  if (!svc) return no_forms(ctx);
  if (ctx.request.body().empty())
    return error_response(ctx, http::status::bad_request, "empty-file", "ファイルが空です。");
  FormUpload upload;
  upload.kind = kind;
  upload.file_name = ctx.query_value("file");
  if (upload.file_name.empty()) upload.file_name = "upload.xml";
  upload.bytes = ctx.request.body();
  const std::string id =
      ctx.services.imports.start_forms(*svc, ctx.who(), ctx.session_token, std::move(upload));
  return json_response(http::status::accepted,
                       {{"job_id", id}, {"result_url", "/forms/import-results/" + id}});
}

Response form_upload(RequestContext& ctx) {
  return start_upload(ctx, ImportKind::FormsBatch);
}
Response paper_upload(RequestContext& ctx) {
  return start_upload(ctx, ImportKind::FormsPaperXml);
}

// A forms upload of the caller: still running in this session, or its result, kept by the
// FormService (any session of the user at that hospital) or, should keeping it have
// failed, in this session's memory. Nobody else's.
struct FoundUpload {
  bool running = false;
  appcore::UploadRecord record;
};

std::optional<FoundUpload> find_upload(RequestContext& ctx) {
  auto* svc = forms_of(ctx);
  auto job = ctx.services.imports.find_by_session(ctx.param("id"), ctx.session_token);
  if (job && (job->owner != ctx.who().user_id || job->kind == ImportKind::DoctorsCsv))
    job = nullptr;
  if (job && job->state.load() == 0) return FoundUpload{true, {}};
  if (svc) {
    if (auto kept = svc->upload_record(ctx.who(), ctx.param("id")))
      return FoundUpload{false, *kept};
  }
  if (!job) return std::nullopt;
  FoundUpload found;
  found.record.job_id = job->id;
  if (job->error) found.record.error = job->error->message;
  if (job->outcome) found.record.outcome = *job->outcome;
  return found;
}

Response no_such_job(RequestContext& ctx) {
  return error_response(ctx, http::status::not_found, "not-found", "対象が見つかりません。");
}

nlohmann::json item_json(const appcore::ImportItem& i) {
  auto j = appcore::import_item_to_json(i);
  j["result"] = appcore::import_result_text(i);
  return j;
}

Html upload_result_table(const appcore::ImportOutcome& o) {
  Html b;
  b << raw(
      "<table id=\"form-import-result\"><thead><tr><th scope=\"col\">患者氏名</th>"
      "<th scope=\"col\">病名</th><th scope=\"col\">ファイル名</th><th scope=\"col\">"
      "記載年月日</th><th scope=\"col\">結果</th><th scope=\"col\">理由・アクセスキー</th>"
      "<th scope=\"col\">個人票</th></tr></thead><tbody>");
  std::size_t shown = 0;
  for (const auto& i : o.items) {
    if (++shown > kShownRows) break;
    std::string detail = i.access_key;
    for (const auto& r : i.reasons) detail += (detail.empty() ? "" : " / ") + r;
    b << raw("<tr class=\"") << (i.imported || !i.form_id.empty() ? "ok" : "failed")
      << raw("\"><td>") << i.patient_name << raw("</td><td>") << i.disease << raw("</td><td>")
      << i.file << raw("</td><td>") << i.written_on << raw("</td><td>")
      << appcore::import_result_text(i) << raw("</td><td class=\"pre\">") << detail
      << raw("</td><td>");
    if (!i.form_id.empty())
      b << raw("<a class=\"button small secondary\" href=\"/forms/") << i.form_id
        << raw("\">閲覧</a>");
    b << raw("</td></tr>");
  }
  b << raw("</tbody></table>");
  if (o.items.size() > kShownRows)
    b << raw("<p>先頭の") << static_cast<int64_t>(kShownRows)
      << raw("件を表示しています。全件はCSVでダウンロードしてください。</p>");
  return b;
}

Response upload_result(RequestContext& ctx) {
  auto found = find_upload(ctx);
  if (!found) return no_such_job(ctx);
  const auto& r = found->record;
  if (ctx.api) {
    nlohmann::json j{{"job_id", ctx.param("id")},
                     {"state", found->running ? "running" : "finished"}};
    if (!r.error.empty()) return error_response(ctx, Error{r.error});
    if (!found->running) {
      const auto& o = r.outcome;
      nlohmann::json items = nlohmann::json::array();
      for (const auto& i : o.items) items.push_back(item_json(i));
      j.update({{"tool_version", o.tool_version},
                {"file_name", r.file_name},
                {"finished_at", r.finished_at},
                {"imported", o.imported},
                {"failed", o.failed},
                {"already", o.already},
                {"items", items}});
    }
    return json_response(http::status::ok, j);
  }
  const char* title = "個人票の取込結果";
  Html b;
  if (found->running) {
    b << alert("登録を処理中です。しばらくしてから再読み込みしてください。", false);
    return page(ctx, title, b);
  }
  if (!r.error.empty()) {
    b << alert("ファイルを登録できませんでした。" + japanese_message(Error{r.error}));
    return page(ctx, title, b, status_for(Error{r.error}));
  }
  const auto& o = r.outcome;
  b << raw("<p id=\"form-import-summary\">登録 ") << static_cast<int64_t>(o.imported)
    << raw(" 件、エラー ") << static_cast<int64_t>(o.failed) << raw(" 件、登録済み ")
    << static_cast<int64_t>(o.already)
    << raw(" 件</p><div class=\"actions\"><a class=\"button\" href=\"/forms/import-results/")
    << ctx.param("id")
    << raw("/result.csv\" download>ファイルごとの結果をダウンロード（CSV）</a></div>")
    << upload_result_table(o);
  return page(ctx, title, b);
}

Response upload_result_csv(RequestContext& ctx) {
  auto found = find_upload(ctx);
  if (!found || found->running || !found->record.error.empty()) return no_such_job(ctx);
  return download("text/csv; charset=utf-8", "form-import-" + ctx.param("id").substr(0, 8) + ".csv",
                  appcore::import_result_csv(found->record.outcome));
}

}  // namespace

void add_form_import_routes(Router& router) {
  using V = http::verb;
  const std::set<Role> doctors{Role::NanbyoDoctor, Role::CooperatingDoctor, Role::PediatricDoctor};
  const std::set<Role> municipality{Role::MunicipalAdmin};
  std::set<Role> uploaders = doctors;
  uploaders.insert(Role::MunicipalAdmin);
  for (const char* prefix : {"", "/api"}) {
    const std::string p(prefix);
    router.add({V::get, p + "/forms/imports/new", Access::Roles, doctors, import_page});
    router.add(
        {V::get, p + "/forms/paper-imports/new", Access::Roles, municipality, paper_import_page});
    router.add({V::get, p + "/forms/import-results/{id}", Access::Roles, uploaders, upload_result});
    router.add({V::get, p + "/forms/import-results/{id}/result.csv", Access::Roles, uploaders,
                upload_result_csv});
  }
  Route upload{V::post, "/api/forms/imports", Access::Roles, doctors, form_upload};
  upload.upload = true;
  router.add(upload);
  Route paper{V::post, "/api/forms/paper-imports", Access::Roles, municipality, paper_upload};
  paper.upload = true;
  router.add(paper);
}

}  // namespace nanbyo::web
