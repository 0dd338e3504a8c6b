// Pages of a list as the seed's 検索結果 shows them (F-12, issue 18): a
// 表示件数/頁 choice of 10, 20, 50 or 100 rows and links to the pages around
// the current one. Shared by the forms list, the approvals list and a form's
// history; the rows themselves are cut in SQL by the core (LIMIT/OFFSET).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "appcore/web/html.h"
#include "appcore/web/request_context.h"

namespace nanbyo::web {

struct PageRequest {
  std::size_t page = 1, per_page = 20;
};

// `page` and `per_page` of the query string; a per_page the lists do not offer is 20.
PageRequest read_page_request(const RequestContext& ctx);

// The GET form with the 表示件数/頁 select (#per-page, #f-per-page) that reloads `action`
// with `hidden` (name, value) kept and the first page.
Html per_page_form(const std::string& action,
                   const std::vector<std::pair<std::string, std::string>>& hidden,
                   std::size_t per_page);

// A column header (<th>) whose link sorts by `key`: descending first, a second click on the
// current column turns the order around. `base` is the URL up to the sort ("/forms?…&").
Html sort_header(const std::string& label, std::string_view key, std::string_view sort,
                 bool ascending, const std::string& base, std::size_t per_page);

// 前へ, up to ten page numbers, 次へ: links to `base` (a URL with its query string) with
// "&per_page=…&page=…" added; nothing when everything fits on one page.
Html page_links(const std::string& base, std::size_t page, std::size_t per_page, std::size_t total,
                const char* nav_id);

}  // namespace nanbyo::web
