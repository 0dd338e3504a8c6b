// Shared pieces of the clinical-form screens (routes_forms*.cpp, issue 6):
// reading values from a posted form or a JSON body, JSON views of the
// FormService results, and the HTML of the entry form, the check messages,
// the machine-judgment panel and the workflow history.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "appcore/core/forms_api.h"
#include "appcore/web/route_support.h"

namespace nanbyo::web {

// The FormService of the request, or an error response when none is open.
appcore::FormService* forms_of(RequestContext& ctx);
Response no_forms(const RequestContext& ctx);

bool is_form_doctor(appcore::Role role);
bool is_form_staff(appcore::Role role);  // doctors and clerks
std::string_view status_label(std::string_view status);
std::string_view certification_label(std::string_view value);

// Values from the request: form fields "v.<id>", "v.<id>.<choice>" (multiple
// choice) and "v.<id>.<row>.<column>" (tables); or JSON {"values": {...}}.
forms::FormValues values_from_request(const RequestContext& ctx, const forms::FormDefinition& def);
nlohmann::json values_to_json(const forms::FormValues& values);

nlohmann::json to_json(const appcore::FormSummary& s);
// A page of a list: {"forms": [...], "total", "page", "per_page"}.
nlohmann::json to_json(const appcore::FormPage& page);
nlohmann::json to_json(const appcore::FormEvaluation& e);
nlohmann::json to_json(const forms::JudgmentResult& j);
nlohmann::json to_json(const appcore::WorkflowEntry& w);
nlohmann::json to_json(const appcore::PrintView& v);

// Choosing the disease of a new form: search by 告示番号 or name (issue 18).
Html disease_picker(const forms::FormCatalog& catalog, const std::string& query);
// 「指定難病 告示番号214」, 「小児慢性特定疾病 内分泌疾患 番号91」.
std::string disease_heading(const forms::DiseaseForm& d);

// The entry form (F-1/F-2/F-3): posts to `action`; fields named in `messages`
// get aria-invalid, the class "invalid" and their message next to them.
Html entry_form(const RequestContext& ctx, const forms::FormDefinition& def,
                const forms::FormValues& values, const appcore::FormEvaluation& eval,
                const std::string& action);
// The check summary (links to the fields) and the judgment panel (F-4).
Html check_summary(const appcore::FormEvaluation& eval, const forms::FormDefinition& def);
Html judgment_panel(const std::vector<forms::JudgmentResult>& judgments);
// The workflow history; `at_header` replaces the plain 日時 column header (a sorting one).
Html history_table(const std::vector<appcore::WorkflowEntry>& entries, const Html& at_header = {});

}  // namespace nanbyo::web
