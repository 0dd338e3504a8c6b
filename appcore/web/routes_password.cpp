// パスワード変更 (issue 12): any user with a full session changes the password
// (current, new, confirmation); the user's other sessions end (AppCore::
// change_password). The screen and POST /api/password.
#include "appcore/web/route_support.h"
#include "appcore/web/routes.h"

namespace nanbyo::web {
namespace {

using appcore::Errc;

Response password_page(RequestContext& ctx, std::string_view message = {}, bool error = true,
                       http::status status = http::status::ok) {
  Html b;
  if (!message.empty()) b << alert(message, error);
  b << raw("<p>パスワードは12文字以上で、英大文字・英小文字・数字・記号のうち3種類以上を含め、"
           "IDを含めないでください。変更すると、この端末以外でのログインはすべて終了します。</p>"
           "<form method=\"post\" action=\"/password\">")
    << Html().csrf_field(ctx.csrf_token)
    << Html().text_field("current_password", "現在のパスワード", "", "password", true,
                         "current-password")
    << Html().text_field("new_password", "新しいパスワード", "", "password", true, "new-password")
    << Html().text_field("new_password_confirm", "新しいパスワード（確認）", "", "password", true,
                         "new-password")
    << raw("<div class=\"actions\"><button type=\"submit\">変更する</button></div></form>"
           "<p><a href=\"/\">メニューに戻る</a></p>");
  return page(ctx, "パスワード変更", b, status);
}

// The refusal as the person at the screen needs it.
std::string refusal_text(const Error& error) {
  switch (appcore::error_code(error)) {
    case Errc::AuthFailed:
      return "現在のパスワードが正しくありません。";
    case Errc::InvalidInput:
      return "新しいパスワードが条件を満たしていません。（詳細: " +
             std::string(appcore::error_text(error)) + "）";
    default:
      return japanese_message(error);
  }
}

Response show_password(RequestContext& ctx) {
  return password_page(ctx);
}

Response change_password(RequestContext& ctx) {
  const std::string next = ctx.field("new_password");
  if (!ctx.api && next != ctx.field("new_password_confirm")) {
    return password_page(ctx, "新しいパスワードと確認用のパスワードが一致しません。", true,
                         http::status::bad_request);
  }
  auto done = ctx.services.core.change_password(ctx.who(), ctx.field("current_password"), next);
  if (!done) {
    if (ctx.api) return error_response(ctx, done.error());
    return password_page(ctx, refusal_text(done.error()), true, status_for(done.error()));
  }
  if (ctx.api) return json_response(http::status::ok, {{"changed", true}});
  return password_page(ctx, "パスワードを変更しました。他の端末でのログインは終了しました。",
                       false);
}

}  // namespace

void add_password_routes(Router& router) {
  using V = http::verb;
  router.add({V::get, "/password", Access::Roles, {}, show_password});
  router.add({V::post, "/password", Access::Roles, {}, change_password});
  router.add({V::post, "/api/password", Access::Roles, {}, change_password});
}

}  // namespace nanbyo::web
