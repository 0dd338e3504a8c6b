#include "appcore/web/responses.h"

#include "appcore/web/html.h"

namespace nanbyo::web {

Response json_response(http::status status, const nlohmann::json& body) {
  Response res{status, 11};
  res.set(http::field::content_type, "application/json; charset=utf-8");
  // Replace invalid UTF-8 rather than throw: text comes from uploaded files.
  res.body() = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  res.prepare_payload();
  return res;
}

Response json_error(http::status status, std::string_view code, std::string_view message,
                    std::string_view request_id) {
  return json_response(
      status, {{"error", {{"code", code}, {"message", message}}}, {"request_id", request_id}});
}

Response html_response(http::status status, std::string body) {
  Response res{status, 11};
  res.set(http::field::content_type, "text/html; charset=utf-8");
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

Response html_error_page(http::status status, std::string_view message,
                         std::string_view request_id) {
  Html h;
  h << raw("<!doctype html><html lang=\"ja\"><head><meta charset=\"utf-8\">"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
           "<title>")
    << status_message(status)
    << raw(" | 難病・小慢DB</title><link rel=\"stylesheet\" href=\"/static/app.css\"></head>"
           "<body><header class=\"site-header\"><div class=\"brand\">難病・小慢DB</div></header>"
           "<main id=\"main\" class=\"container\"><h1>")
    << status_message(status) << raw("</h1><p class=\"notice error\" role=\"alert\">") << message
    << raw("</p><p>受付番号: <span class=\"mono\">") << request_id
    << raw("</span></p><p><a href=\"/\">トップページへ戻る</a></p></main></body></html>\n");
  return html_response(status, h.take());
}

Response redirect_to(std::string_view location) {
  Response res{http::status::see_other, 11};
  res.set(http::field::location, std::string(location));
  res.prepare_payload();
  return res;
}

Response download(std::string content_type, std::string filename_ascii, std::string body) {
  Response res{http::status::ok, 11};
  res.set(http::field::content_type, std::move(content_type));
  res.set(http::field::content_disposition, "attachment; filename=\"" + filename_ascii + "\"");
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

void apply_security_headers(Response& res) {
  res.set("Content-Security-Policy",
          "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  res.set("X-Frame-Options", "DENY");
  res.set("X-Content-Type-Options", "nosniff");
  res.set("Referrer-Policy", "no-referrer");
  res.set("Cross-Origin-Opener-Policy", "same-origin");
  res.set("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  if (res.find(http::field::cache_control) == res.end())
    res.set(http::field::cache_control, "no-store");
}

std::string_view status_message(http::status status) {
  switch (status) {
    case http::status::bad_request:
      return "入力内容に誤りがあります";
    case http::status::unauthorized:
      return "ログインが必要です";
    case http::status::forbidden:
      return "この操作は許可されていません";
    case http::status::not_found:
      return "ページが見つかりません";
    case http::status::method_not_allowed:
      return "この方法では操作できません";
    case http::status::conflict:
      return "既に登録されているか、現在の状態では実行できません";
    case http::status::payload_too_large:
      return "送信データが大きすぎます";
    case http::status::unsupported_media_type:
      return "送信データの形式が正しくありません";
    case http::status::locked:
      return "アカウントがロックされています";
    case http::status::too_many_requests:
      return "しばらくしてから再度お試しください";
    case http::status::service_unavailable:
      return "ただいま処理できません";
    default:
      return static_cast<int>(status) >= 500 ? "システムエラーが発生しました"
                                             : "エラーが発生しました";
  }
}

}  // namespace nanbyo::web
