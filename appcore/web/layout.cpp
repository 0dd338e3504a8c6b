// The page frame of every screen (route_support.h: page()).
#include "appcore/web/route_support.h"

namespace nanbyo::web {
namespace {

using appcore::Role;

struct NavItem {
  const char* href;
  const char* label;
};

std::vector<NavItem> nav_for(Role role) {
  switch (role) {
    case Role::MunicipalAdmin:
      return {{"/doctors", "指定医一覧"},
              {"/doctors/new", "指定医の登録"},
              {"/imports/new", "一括登録"},
              {"/doctors/public-list", "指定医の公表"},
              {"/forms/access-key", "個人票の照会"},
              {"/forms/paper-imports/new", "紙の個人票の取込"}};
    case Role::NanbyoDoctor:
    case Role::CooperatingDoctor:
    case Role::PediatricDoctor:
      return {{"/forms", "個人票"},
              {"/forms/approvals", "承認待ち"},
              {"/forms/access-key", "アクセスキー照会"},
              {"/affiliations", "兼務先"},
              {"/users", "利用者管理（責任者）"},
              {"/affiliation-requests", "兼務先の承認（責任者）"}};
    case Role::Clerk:
      return {{"/forms", "個人票"}, {"/forms/new", "個人票の作成"}};
    case Role::HospitalAdmin:
      return {{"/users", "利用者管理"}, {"/affiliation-requests", "兼務先の承認"}};
    case Role::Operator:
      return {{"/operator", "運用管理"}};
    case Role::SecurityAuditor:
      return {{"/audit", "監査ログの検索"},
              {"/audit?alerts=1", "警告の一覧"},
              {"/audit/charts", "日別グラフ"},
              {"/audit/chain", "改ざん検証"}};
    default:
      return {};
  }
}

}  // namespace

Response page(const RequestContext& ctx, std::string_view title, const Html& body,
              http::status status) {
  Html h;
  h << raw(
      "<!doctype html><html lang=\"ja\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
  if (!ctx.csrf_token.empty())
    h << raw("<meta name=\"csrf-token\" content=\"") << ctx.csrf_token << raw("\">");
  h << raw("<title>") << title
    << raw(" | 難病・小慢DB</title><link rel=\"stylesheet\" href=\"/static/app.css\">"
           "<script src=\"/static/app.js\" defer></script></head><body>"
           "<a class=\"skip\" href=\"#main\">本文へ移動</a>"
           "<header class=\"site-header\"><div class=\"brand\"><a "
           "href=\"/\">難病・小慢DB</a></div>");
  if (ctx.principal) {
    h << raw("<div class=\"who\"><span class=\"role\">") << role_label(ctx.principal->role)
      << raw("</span> <span class=\"mono\" id=\"current-user\">") << ctx.principal->user_id
      << raw("</span><form method=\"post\" action=\"/logout\" class=\"inline\">")
      << Html().csrf_field(ctx.csrf_token)
      << raw("<button type=\"submit\" class=\"button secondary small\">ログアウト</button></form>"
             "</div>");
  }
  h << raw("</header>");
  if (ctx.principal && ctx.setup_step == appcore::SetupStep::None) {
    auto items = nav_for(ctx.principal->role);
    if (!items.empty()) {
      h << raw("<nav class=\"site-nav\" aria-label=\"メニュー\"><ul>");
      for (const auto& item : items) {
        const bool current = ctx.path == item.href;
        h << raw("<li><a href=\"") << item.href << raw("\"")
          << raw(current ? " aria-current=\"page\"" : "") << raw(">") << item.label
          << raw("</a></li>");
      }
      h << raw("</ul></nav>");
    }
  }
  h << raw("<main id=\"main\" class=\"container\"><h1>") << title << raw("</h1>") << body
    << raw("</main><footer class=\"site-footer\"><p>難病・小慢データベース</p></footer>"
           "</body></html>\n");
  return html_response(status, h.take());
}

}  // namespace nanbyo::web
