// Helpers shared by the route files: the page frame, the mapping of the core's
// error codes to HTTP statuses and Japanese messages, and JSON views.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "appcore/core/errors.h"
#include "appcore/web/html.h"
#include "appcore/web/request_context.h"
#include "appcore/web/responses.h"

namespace nanbyo::web {

// The status and Japanese text for a core error.
http::status status_for(const Error& error);
std::string japanese_message(const Error& error);

// JSON error or Japanese error page, as the request wants.
Response error_response(const RequestContext& ctx, const Error& error);
Response error_response(const RequestContext& ctx, http::status status, std::string_view code,
                        std::string_view message);

// A full page: header with the user and role, navigation for the role, the
// logout form, `body` in <main>. `print`: the page is meant to be printed
// (a print button; navigation hidden by the print CSS anyway).
Response page(const RequestContext& ctx, std::string_view title, const Html& body,
              http::status status = http::status::ok);

// A notice box above a form (role="alert" for errors).
Html alert(std::string_view text, bool error = true);

std::string_view role_label(appcore::Role role);  // 難病指定医, ...
std::string_view step_label(appcore::SetupStep step);

nlohmann::json to_json(const appcore::UserView& u);
nlohmann::json to_json(const appcore::Designation& d);
nlohmann::json designations_json(const std::vector<appcore::Designation>& list);
nlohmann::json to_json(const appcore::IssuedCredential& c);
nlohmann::json to_json(const appcore::DesignationNotice& n);
nlohmann::json to_json(const appcore::IdPasswordNotice& n);
nlohmann::json to_json(const appcore::Hospital& h);
nlohmann::json to_json(const appcore::Affiliation& a);  // 兼務先 with its state (ID-8)

}  // namespace nanbyo::web
