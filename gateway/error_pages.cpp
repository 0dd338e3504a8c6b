#include "gateway/error_pages.h"

#include "gateway/contract/identity_headers.h"

namespace nanbyo::gw {
namespace {

const char* message_for(http::status status) {
  switch (status) {
    case http::status::bad_request:
      return "リクエストの形式が正しくありません。";
    case http::status::unauthorized:
      return "認証が必要です。端末の証明書をご確認ください。";
    case http::status::forbidden:
      return "この端末からはアクセスできません。";
    case http::status::not_found:
      return "ページが見つかりません。";
    case http::status::payload_too_large:
      return "送信データが大きすぎます。";
    case http::status::request_header_fields_too_large:
      return "リクエストヘッダが大きすぎます。";
    case http::status::not_implemented:
      return "この機能は提供されていません。";
    case http::status::bad_gateway:
      return "システムに接続できません。しばらくしてから再度お試しください。";
    case http::status::gateway_timeout:
      return "システムの応答がありません。しばらくしてから再度お試しください。";
    default:
      return "エラーが発生しました。";
  }
}

}  // namespace

Response error_response(http::status status, unsigned version, bool keep_alive,
                        const std::string& request_id) {
  Response res{status, version};
  res.set(http::field::content_type, "text/html; charset=utf-8");
  res.set(http::field::cache_control, "no-store");
  res.set("X-Content-Type-Options", "nosniff");
  if (!request_id.empty()) res.set(contract::kRequestIdHeader, request_id);
  res.body() = "<!doctype html><html lang=\"ja\"><meta charset=\"utf-8\"><title>" +
               std::to_string(static_cast<int>(status)) + "</title><p>" + message_for(status) +
               "</p><p>受付番号: " + request_id + "</p></html>\n";
  res.keep_alive(keep_alive);
  res.prepare_payload();
  return res;
}

}  // namespace nanbyo::gw
