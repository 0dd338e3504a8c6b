// Route tables by area; each file registers its own (web_app.cpp calls them).
#pragma once

#include "appcore/web/router.h"

namespace nanbyo::web {

void add_static_routes(Router& router);               // /static/app.css, /static/app.js
void add_auth_routes(Router& router);                 // /, /login, /logout, /api/login, /api/me
void add_setup_routes(Router& router);                // first login (ID-4)
void add_password_routes(Router& router);             // パスワード変更 (issue 12)
void add_doctor_routes(Router& router);               // ID-1, ID-3, ID-9
void add_doctor_action_routes(Router& router);        // ID-5, ID-6, password reset
void add_import_routes(Router& router);               // ID-2
void add_user_routes(Router& router);                 // ID-7
void add_affiliation_routes(Router& router);          // ID-8
void add_affiliation_request_routes(Router& router);  // ID-8, the 責任者's consent
void add_operator_routes(Router& router);             // municipalities, hospitals, staff users
void add_form_worklist_routes(Router& router);        // issue 18: approvals, history (pages)
void add_form_flow_routes(Router& router);            // issue 6: workflow, access key, print, XML
void add_form_layout_routes(Router& router);          // issue 18: the public XML layout (XSD)
void add_form_import_routes(Router& router);          // issue 18: F-9, F-11 uploads as jobs
void add_form_routes(Router& router);                 // issue 6: list, entry, check, calculation
void add_audit_routes(Router& router);                // issue 17: audit search, record, CSV
void add_audit_chain_routes(Router& router);          // issue 17: chain state, verify, charts

}  // namespace nanbyo::web
