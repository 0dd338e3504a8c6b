// The form screen of the hospital and the municipality's view (routes_forms.h).
#include "appcore/web/notices.h"
#include "appcore/web/routes_forms.h"

namespace nanbyo::web {
namespace {

using appcore::Role;

Html textarea(std::string_view id, std::string_view name, std::string_view label,
              bool required = false) {
  Html h;
  h << raw("<div class=\"field\"><label for=\"f-") << id << raw("\">") << label;
  if (required) h << raw("<span class=\"req\">必須</span>");
  h << raw("</label><textarea id=\"f-") << id << raw("\" name=\"") << name
    << raw("\" rows=\"3\"></textarea></div>");
  return h;
}

Html post_form(const RequestContext& ctx, const std::string& action, const Html& inner,
               std::string_view button, std::string_view cls = {}, std::string_view confirm = {}) {
  Html h;
  h << raw("<form method=\"post\" action=\"") << action << raw("\"");
  if (!confirm.empty()) h << raw(" data-confirm=\"") << confirm << raw("\"");
  h << raw(">") << Html().csrf_field(ctx.csrf_token) << inner
    << raw("<div class=\"actions\"><button type=\"submit\"");
  if (!cls.empty()) h << raw(" class=\"") << cls << raw("\"");
  h << raw(">") << button << raw("</button></div></form>");
  return h;
}

void summary_rows(Html& b, const appcore::FormSummary& s) {
  auto row = [&b](const char* label, std::string_view value, const char* id = nullptr) {
    b << raw("<tr><th scope=\"row\">") << label << raw("</th><td");
    if (id) b << raw(" id=\"") << id << raw("\" class=\"mono\"");
    b << raw(">") << value << raw("</td></tr>");
  };
  b << raw("<table class=\"form-summary\"><tbody>");
  row("疾病・様式", s.title + "（" + s.form_type + "）");
  row("様式の版",
      s.version + (s.version_accepted_until.empty()
                       ? ""
                       : "（旧様式: " + s.version_accepted_until + " まで受付）"),
      "form-version");
  row("状態", status_label(s.status), "form-status");
  row("アクセスキー", s.access_key.empty() ? "（登録時に発行）" : s.access_key, "access-key");
  row("担当指定医", s.assigned_doctor);
  row("作成者", s.created_by);
  row("更新日時", s.updated_at);
  if (!s.registered_at.empty()) row("登録日時", s.registered_at);
  b << raw("</tbody></table>");
}

Html workflow_panel(RequestContext& ctx, const appcore::FormSummary& s) {
  const std::string base = "/forms/" + s.form_id;
  const bool doctor = is_form_doctor(ctx.who().role);
  const bool open = s.status == "draft" || s.status == "submitted";
  Html b;
  b << raw(
      "<section class=\"workflow\" aria-labelledby=\"workflow-h\"><h2 id=\"workflow-h\">"
      "ワークフロー</h2>");
  if (s.status == "draft") {
    Html in;
    in << Html().text_field("doctor", "送付先の指定医ID", "", "text", true, "off", "submit")
       << textarea("submit-comment", "comment", "コメント");
    b << raw("<h3>指定医へ送付</h3>") << post_form(ctx, base + "/submit", in, "指定医へ送付する");
  }
  if (s.status == "submitted")
    b << raw("<h3>引き戻し</h3>")
      << post_form(ctx, base + "/pull-back", textarea("pull-comment", "comment", "理由（任意）"),
                   "引き戻す", "secondary");
  if (open) {
    b << raw("<h3>コメント</h3>")
      << post_form(ctx, base + "/comment", textarea("comment", "comment", "コメント", true),
                   "コメントを記録", "secondary");
    if (doctor)
      b << raw("<h3>承認（登録）</h3><p>入力チェックの誤り・未入力がないときに登録できます。"
               "機械判定と不整合があっても登録できます。</p>")
        << post_form(ctx, base + "/approve",
                     textarea("approve-comment", "comment", "コメント（任意）"),
                     "承認して登録する");
  }
  // A draft of a previous version moves to the current one with its items mapped.
  if (open && !s.version_accepted_until.empty())
    b << raw("<h3>現行の様式へ移行</h3>")
      << post_form(ctx, base + "/carry-over", Html(), "現行の版へ引き継いで新規作成", "secondary");
  if (s.status == "registered") {
    b << raw("<div class=\"actions\"><a class=\"button\" href=\"") << base
      << raw("/print\">印刷（アクセスキー付き）</a><a class=\"button secondary\" href=\"") << base
      << raw("/print?masked=1\">印刷（個人情報マスク）</a><a class=\"button secondary\" href=\"")
      << base << raw("/export.xml\" download>XML出力</a></div>")
      << post_form(ctx, base + "/carry-over", Html(), "更新登録（内容を引き継いで新規作成）",
                   "secondary")
      << raw("<h3>登録の解除</h3>")
      << post_form(ctx, base + "/cancel", textarea("cancel-reason", "reason", "解除の理由", true),
                   "登録を解除する", "danger", "この個人票の登録を解除します。よろしいですか。");
  }
  b << raw("</section>");
  return b;
}

// An open form of a previous version (issue 18 item 4): until when it can be
// registered, and how to move it to the current version afterwards.
Html version_notice(RequestContext& ctx, const forms::FormDefinition& def,
                    const appcore::FormSummary& s) {
  Html b;
  if (s.version_accepted_until.empty()) return b;
  const auto* now = forms_of(ctx)->catalog().find(def.id);
  const std::string current = now ? now->version : "";
  if (forms_of(ctx)->today() <= s.version_accepted_until)
    return b << alert("この個人票は旧様式（版 " + s.version + "）で作成されています。" +
                          s.version_accepted_until + " まで登録できます。現行の版は " + current +
                          " です。",
                      false);
  return b << alert("旧様式（版 " + s.version + "）の受付は " + s.version_accepted_until +
                        " で終了しました。「現行の版へ引き継いで新規作成」で現行の版 " + current +
                        " に移してください。",
                    true);
}

Html diff_panel(RequestContext& ctx, const appcore::FormSummary& s) {
  Html b;
  auto d = forms_of(ctx)->diff(ctx.who(), s.form_id);
  if (!d) return b;
  b << raw("<section class=\"diff\" id=\"diff\" aria-labelledby=\"diff-h\"><h2 id=\"diff-h\">"
           "前回からの差異</h2><p>引継ぎ元: <a href=\"/forms/")
    << s.parent_id << raw("\">") << s.parent_id << raw("</a></p>");
  if (d->empty()) {
    b << raw("<p>前回の個人票から変更された項目はありません。</p></section>");
    return b;
  }
  b << raw(
      "<table><thead><tr><th scope=\"col\">項目</th><th scope=\"col\">前回</th>"
      "<th scope=\"col\">今回</th></tr></thead><tbody>");
  for (const auto& c : *d)
    b << raw("<tr class=\"changed\"><td>") << c.label << raw("</td><td>") << c.before
      << raw("</td><td>") << c.after << raw("</td></tr>");
  b << raw("</tbody></table></section>");
  return b;
}

// 【臨床調査個人票】告示番号214 心室中隔欠損を伴う肺動脈閉鎖症, as the seed's screens.
std::string form_heading(const forms::FormDefinition& def) {
  std::string number = def.kind == "shoman" ? "疾患群" + def.group + " 番号" : "告示番号";
  return "【" + def.form_type + "】" + number + std::to_string(def.notice_no) + " " + def.title;
}

}  // namespace

Response form_screen(RequestContext& ctx, const forms::FormDefinition& def,
                     const forms::FormValues& values, const appcore::FormSummary* summary,
                     const std::string& notice, bool error) {
  auto* svc = forms_of(ctx);
  appcore::FormEvaluation eval = svc->evaluate(def, values);
  // A blank new form is not yet wrong: no item is highlighted before the first entry.
  if (!summary && values.empty()) eval.messages.clear();
  Html b;
  if (!notice.empty()) b << alert(notice, error);
  const bool editable = !summary || summary->status == "draft" || summary->status == "submitted";
  if (summary && editable) b << version_notice(ctx, def, *summary);
  if (summary) summary_rows(b, *summary);
  if (editable) {
    if (summary || !values.empty()) b << check_summary(eval, def);
    b << raw("<h2>入力</h2>")
      << entry_form(ctx, def, values, eval, summary ? "/forms/" + summary->form_id : "/forms");
  } else {
    b << raw(
        "<p>登録済みの個人票は編集できません。内容は印刷画面で確認できます。変更する場合は"
        "「更新登録」で新しい個人票を作成してください。</p>");
  }
  b << judgment_panel(eval.judgments);
  if (summary) {
    if (!summary->parent_id.empty()) b << diff_panel(ctx, *summary);
    b << workflow_panel(ctx, *summary);
    // The latest steps; the whole history in pages on its own screen (issue 18).
    if (auto h = svc->history_page(ctx.who(), summary->form_id, 1, 10, true)) {
      b << raw("<h2>履歴（新しい順）</h2>") << history_table(h->entries)
        << raw("<p><a href=\"/forms/") << summary->form_id
        << raw("/history\" id=\"history-link\">履歴をすべて表示（")
        << static_cast<int64_t>(h->total) << raw("件）</a></p>");
    }
  }
  return page(ctx, form_heading(def), b);
}

Response municipal_screen(RequestContext& ctx, const appcore::FormRecord& rec,
                          const std::string& notice) {
  const auto& s = rec.summary;
  const auto& m = rec.municipality;
  Html b;
  if (!notice.empty()) b << alert(notice, false);
  summary_rows(b, s);
  b << judgment_panel(rec.judgments);
  b << raw("<section aria-labelledby=\"muni-h\"><h2 id=\"muni-h\">認定結果等の記録</h2>"
           "<p>現在の記録: <span id=\"certification\">")
    << certification_label(m.certification) << raw("</span></p>");
  Html in;
  in << raw(
      "<div class=\"field\"><label for=\"f-certification\">認定結果</label>"
      "<select id=\"f-certification\" name=\"certification\">");
  for (const char* v : {"approved", "rejected", "pending"})
    in << raw("<option value=\"") << v << raw("\"") << raw(m.certification == v ? " selected" : "")
       << raw(">") << certification_label(v) << raw("</option>");
  in << raw(
      "</select></div><div class=\"field\"><label for=\"f-research_consent\">研究利用の同意"
      "</label><select id=\"f-research_consent\" name=\"research_consent\">");
  for (const char* v : {"yes", "no"})
    in << raw("<option value=\"") << v << raw("\"")
       << raw(m.research_consent == v ? " selected" : "") << raw(">")
       << (std::string_view(v) == "yes" ? "同意あり" : "同意なし") << raw("</option>");
  in << raw("</select></div>")
     << Html().text_field("income_category", "所得区分", m.income_category, "text", false);
  b << post_form(ctx, "/forms/" + s.form_id + "/municipality", in, "記録する")
    << raw("</section><div class=\"actions\"><a class=\"button\" href=\"/forms/") << s.form_id
    << raw("/print?masked=1\">印刷（個人情報マスク）</a></div>");
  return page(ctx, s.title + " " + s.form_type + "（自治体）", b);
}

}  // namespace nanbyo::web
