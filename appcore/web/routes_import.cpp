// Bulk registration (ID-2): the page posts the file as the request body
// (static/app.js), polls the job, then shows the result; every row's result,
// with the initial passwords of the issued rows, downloads as CSV.
// GET /api/imports/{id} reports the progress of every upload job, forms ones too.
#include "appcore/web/import_jobs.h"
#include "appcore/web/route_support.h"
#include "appcore/web/routes.h"

namespace nanbyo::web {
namespace {

using appcore::Role;

Response upload_page(RequestContext& ctx) {
  Html b;
  b << raw(
      "<p>指定医の一覧ファイル（CSVまたはTSV。文字コードはUTF-8またはShift_"
      "JIS）を選択してください。"
      "1行目は見出し行です。医籍登録番号で既に発行済みの医師にはIDを重ねて発行しません。"
      "行ごとの結果（発行したID・初期パスワードを含む）をダウンロードできます。</p>"
      "<form id=\"import-form\" method=\"post\" action=\"/api/imports\">"
      "<div class=\"field\"><label for=\"f-file\">登録用ファイル<span class=\"req\">必須</span>"
      "</label><input id=\"f-file\" name=\"file\" type=\"file\" accept=\".csv,.tsv,.txt\" "
      "required></div><div class=\"actions\"><button type=\"submit\">アップロードして登録"
      "</button></div></form><progress id=\"import-progress\" value=\"0\" max=\"1\" "
      "aria-label=\"登録の進み具合\"></progress><p id=\"import-status\" role=\"status\" "
      "aria-live=\"polite\"></p>");
  return page(ctx, "一括登録", b);
}

Response start_import(RequestContext& ctx) {
  if (ctx.request.body().empty())
    return error_response(ctx, http::status::bad_request, "empty-file", "ファイルが空です。");
  const std::string id =
      ctx.services.imports.start(ctx.who(), ctx.session_token, ctx.request.body());
  return json_response(http::status::accepted, {{"job_id", id}});
}

const char* state_name(int state) {
  return state == 0 ? "running" : state == 1 ? "done" : "failed";
}

std::shared_ptr<ImportJob> job_of(RequestContext& ctx) {
  auto job = ctx.services.imports.find(ctx.param("id"), ctx.who().user_id);
  return job && job->kind == ImportKind::DoctorsCsv ? job : nullptr;
}

Response job_status(RequestContext& ctx) {
  // No principal here (Route::skip_core_session): the session that started the job.
  auto job = ctx.services.imports.find_by_session(ctx.param("id"), ctx.session_token);
  if (!job)
    return error_response(ctx, http::status::not_found, "not-found", "対象が見つかりません。");
  const int state = job->state.load();
  nlohmann::json j{{"job_id", job->id},
                   {"state", state_name(state)},
                   {"rows_done", job->rows_done.load()},
                   {"rows_total", job->rows_total.load()}};
  if (state == 1 && job->outcome) {  // a forms upload (routes_form_imports.cpp)
    const auto& o = *job->outcome;
    j["imported"] = o.imported;
    j["failed"] = o.failed;
    j["already"] = o.already;
    j["result_url"] = "/forms/import-results/" + job->id;
  } else if (state == 1) {
    const auto& r = *job->report;
    j["encoding"] = r.encoding;
    j["issued"] = r.issued;
    j["designation_added"] = r.designation_added;
    j["already_registered"] = r.already_registered;
    j["invalid"] = r.invalid;
  } else if (state == 2) {
    j["error"] = japanese_message(*job->error);
    j["code"] = appcore::to_string(appcore::error_code(*job->error));
  }
  return json_response(http::status::ok, j);
}

Response result_page(RequestContext& ctx) {
  auto job = job_of(ctx);
  if (!job)
    return error_response(ctx, http::status::not_found, "not-found", "対象が見つかりません。");
  Html b;
  const int state = job->state.load();
  if (state == 0) {
    b << alert("登録を処理中です。しばらくしてから再読み込みしてください。", false);
    return page(ctx, "一括登録の結果", b);
  }
  if (state == 2) {
    b << alert("ファイル全体を登録できませんでした。" + japanese_message(*job->error));
    return page(ctx, "一括登録の結果", b, status_for(*job->error));
  }
  const auto& r = *job->report;
  b << raw("<table><tbody><tr><th scope=\"row\">文字コード</th><td>") << r.encoding
    << raw("</td></tr><tr><th scope=\"row\">ID発行</th><td id=\"count-issued\">")
    << static_cast<int64_t>(r.issued)
    << raw("件</td></tr><tr><th scope=\"row\">既存のIDに指定を追加</th>"
           "<td id=\"count-designation-added\">")
    << static_cast<int64_t>(r.designation_added)
    << raw("件</td></tr><tr><th scope=\"row\">登録済み（重複）</th><td id=\"count-already\">")
    << static_cast<int64_t>(r.already_registered)
    << raw("件</td></tr><tr><th scope=\"row\">エラー</th><td id=\"count-invalid\">")
    << static_cast<int64_t>(r.invalid)
    << raw("件</td></tr></tbody></table><div class=\"actions\"><a class=\"button\" "
           "href=\"/imports/")
    << job->id << raw("/result.csv\" download>行ごとの結果をダウンロード（CSV）</a></div>");
  // Errors on screen (line and column); passwords only in the download.
  if (r.invalid > 0) {
    b << raw(
        "<h2>エラーのあった行</h2><table><thead><tr><th scope=\"col\">行</th><th scope=\"col\">"
        "項目</th><th scope=\"col\">内容</th></tr></thead><tbody>");
    std::size_t shown = 0;
    for (const auto& row : r.rows) {
      for (const auto& e : row.errors) {
        if (++shown > 500) break;
        b << raw("<tr><td>") << static_cast<int64_t>(e.line) << raw("</td><td>")
          << (e.column.empty() ? "（行全体）" : e.column) << raw("</td><td>") << e.reason
          << raw("</td></tr>");
      }
    }
    b << raw("</tbody></table>");
  }
  std::size_t warned = 0;
  for (const auto& row : r.rows) warned += row.warnings.empty() ? 0 : 1;
  if (warned > 0) {
    b << raw(
        "<h2>確認が必要な行（登録済み）</h2><table><thead><tr><th scope=\"col\">行</th>"
        "<th scope=\"col\">項目</th><th scope=\"col\">内容</th></tr></thead><tbody>");
    std::size_t shown = 0;
    for (const auto& row : r.rows) {
      for (const auto& w : row.warnings) {
        if (++shown > 500) break;
        b << raw("<tr><td>") << static_cast<int64_t>(w.line) << raw("</td><td>") << w.column
          << raw("</td><td>") << w.reason << raw("</td></tr>");
      }
    }
    b << raw("</tbody></table>");
  }
  return page(ctx, "一括登録の結果", b);
}

Response result_csv(RequestContext& ctx) {
  auto job = job_of(ctx);
  if (!job || job->state.load() != 1)
    return error_response(ctx, http::status::not_found, "not-found", "対象が見つかりません。");
  return download("text/csv; charset=utf-8", "import-result-" + job->id.substr(0, 8) + ".csv",
                  appcore::report_csv(*job->report));
}

}  // namespace

void add_import_routes(Router& router) {
  using V = http::verb;
  const std::set<Role> municipal{Role::MunicipalAdmin};
  router.add({V::get, "/imports/new", Access::Roles, municipal, upload_page});
  Route upload{V::post, "/api/imports", Access::Roles, municipal, start_import};
  upload.upload = true;
  router.add(upload);
  Route progress{V::get, "/api/imports/{id}", Access::Public, {}, job_status};
  progress.skip_core_session = true;
  router.add(progress);
  router.add({V::get, "/imports/{id}", Access::Roles, municipal, result_page});
  router.add({V::get, "/imports/{id}/result.csv", Access::Roles, municipal, result_csv});
  router.add({V::get, "/api/imports/{id}/result.csv", Access::Roles, municipal, result_csv});
}

}  // namespace nanbyo::web
