// Responses every route builds: JSON values and errors, HTML pages, redirects,
// and the security headers each response carries (apply_security_headers).
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "appcore/web/asio.h"

namespace nanbyo::web {

Response json_response(http::status status, const nlohmann::json& body);
// {"error": {"code": "...", "message": "<Japanese>"}, "request_id": "..."}
Response json_error(http::status status, std::string_view code, std::string_view message,
                    std::string_view request_id);
Response html_response(http::status status, std::string body);
// A complete Japanese error page (its own minimal layout: it must render even
// when the request never reached a route).
Response html_error_page(http::status status, std::string_view message,
                         std::string_view request_id);
// 303 See Other: after a POST the browser GETs the result (no re-post on reload).
Response redirect_to(std::string_view location);
Response download(std::string content_type, std::string filename_ascii, std::string body);

// CSP without inline script or style, no framing, no referrer, nosniff, and
// Cache-Control: no-store (personal data must not stay in a shared PC's cache)
// unless the response set its own Cache-Control (static assets).
void apply_security_headers(Response& response);

// The generic Japanese text for a status, for pages and JSON errors.
std::string_view status_message(http::status status);

}  // namespace nanbyo::web
