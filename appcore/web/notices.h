// The printable notices (ID-3, ID-7): 指定通知書 with exactly the seed's items
// ①-⑥ (別紙2-6) and IDPW発行通知書. Each is one .sheet: one A4 page in print.
#pragma once

#include "appcore/core/model.h"
#include "appcore/web/html.h"

namespace nanbyo::web {

Html designation_notice_sheet(const appcore::DesignationNotice& n, std::string_view issued_on);
Html id_password_notice_sheet(const appcore::IdPasswordNotice& n, std::string_view issued_on);
// The print button (hidden when printing).
Html print_button();
// "2026年4月1日" from "2026-04-01" (other text unchanged).
std::string japanese_date(std::string_view iso);

}  // namespace nanbyo::web
