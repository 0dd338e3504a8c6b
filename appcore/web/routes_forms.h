// The two screens of one clinical form, shared by the form routes: the
// hospital's form screen (entry form or registered view, check messages,
// judgment panel, 差異, workflow actions, history) and the municipality's view
// (judgment, certification record, masked print) (routes_forms_screen.cpp).
#pragma once

#include "appcore/web/forms_view.h"

namespace nanbyo::web {

// `summary` null: a new form not saved yet.
Response form_screen(RequestContext& ctx, const forms::FormDefinition& def,
                     const forms::FormValues& values, const appcore::FormSummary* summary,
                     const std::string& notice, bool error);
Response municipal_screen(RequestContext& ctx, const appcore::FormRecord& rec,
                          const std::string& notice);

}  // namespace nanbyo::web
