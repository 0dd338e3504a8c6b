#include "appcore/web/list_paging.h"

#include <algorithm>

namespace nanbyo::web {
namespace {

std::size_t query_number(const std::string& text, std::size_t fallback) {
  if (text.empty() || text.size() > 6 || text.find_first_not_of("0123456789") != std::string::npos)
    return fallback;
  return static_cast<std::size_t>(std::stoul(text));
}

constexpr std::size_t kPerPageChoices[] = {10, 20, 50, 100};

}  // namespace

PageRequest read_page_request(const RequestContext& ctx) {
  PageRequest r;
  r.page = std::max<std::size_t>(1, query_number(ctx.query_value("page"), 1));
  const std::size_t per_page = query_number(ctx.query_value("per_page"), 20);
  for (std::size_t n : kPerPageChoices)
    if (n == per_page) r.per_page = n;
  return r;
}

Html per_page_form(const std::string& action,
                   const std::vector<std::pair<std::string, std::string>>& hidden,
                   std::size_t per_page) {
  Html h;
  h << raw("<form method=\"get\" action=\"") << action
    << raw("\" class=\"inline\" id=\"per-page\">");
  for (const auto& [name, value] : hidden)
    h << raw("<input type=\"hidden\" name=\"") << name << raw("\" value=\"") << value << raw("\">");
  h << raw(
      "<label for=\"f-per-page\">表示件数/頁</label> <select id=\"f-per-page\" "
      "name=\"per_page\">");
  for (std::size_t n : kPerPageChoices) {
    const std::string text = std::to_string(n);
    h.option(text, text, std::to_string(per_page));
  }
  h << raw("</select> <button type=\"submit\" class=\"small secondary\">表示</button></form>");
  return h;
}

Html sort_header(const std::string& label, std::string_view key, std::string_view sort,
                 bool ascending, const std::string& base, std::size_t per_page) {
  const bool current = sort == key;
  const bool next_ascending = current && !ascending;
  Html h;
  h << raw("<th scope=\"col\"")
    << raw(current ? (ascending ? " aria-sort=\"ascending\"" : " aria-sort=\"descending\"") : "")
    << raw("><a href=\"") << base << raw("sort=") << key << raw("&order=")
    << (next_ascending ? "asc" : "desc") << raw("&per_page=") << static_cast<int64_t>(per_page)
    << raw("\">") << label << raw(current ? (ascending ? " ▲" : " ▼") : "") << raw("</a></th>");
  return h;
}

Html page_links(const std::string& base, std::size_t page, std::size_t per_page, std::size_t total,
                const char* nav_id) {
  Html h;
  const std::size_t pages = std::max<std::size_t>(1, (total + per_page - 1) / per_page);
  if (pages <= 1) return h;
  h << raw("<nav class=\"paging\" aria-label=\"ページ\" id=\"") << nav_id << raw("\">");
  auto link = [&](std::size_t n, const std::string& text, const char* rel) {
    h << raw("<a class=\"button small secondary\"") << raw(rel) << raw(" href=\"") << base
      << raw("&per_page=") << static_cast<int64_t>(per_page) << raw("&page=")
      << static_cast<int64_t>(n) << raw("\">") << text << raw("</a>");
  };
  if (page > 1) link(page - 1, "前へ", " rel=\"prev\"");
  const std::size_t first = page > 5 ? page - 5 : 1;
  const std::size_t last = std::min(pages, first + 9);
  for (std::size_t n = first; n <= last; ++n) {
    if (n == page) {
      h << raw("<span class=\"current\" aria-current=\"page\">") << static_cast<int64_t>(n)
        << raw("</span>");
    } else {
      link(n, std::to_string(n), "");
    }
  }
  if (page < pages) link(page + 1, "次へ", " rel=\"next\"");
  h << raw("</nav>");
  return h;
}

}  // namespace nanbyo::web
