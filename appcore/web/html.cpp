#include "appcore/web/html.h"

namespace nanbyo::web {

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

Html& Html::csrf_field(std::string_view token) {
  return *this << raw("<input type=\"hidden\" name=\"_csrf\" value=\"") << token << raw("\">");
}

Html& Html::text_field(std::string_view name, std::string_view label, std::string_view value,
                       std::string_view type, bool required, std::string_view autocomplete,
                       std::string_view form) {
  const std::string id =
      form.empty() ? "f-" + std::string(name) : "f-" + std::string(form) + "-" + std::string(name);
  *this << raw("<div class=\"field\"><label for=\"") << id << raw("\">") << label;
  if (required) *this << raw("<span class=\"req\">必須</span>");
  *this << raw("</label><input id=\"") << id << raw("\" name=\"") << name << raw("\" type=\"")
        << type << raw("\" value=\"") << value << raw("\" autocomplete=\"") << autocomplete
        << raw("\"");
  if (required) *this << raw(" required");
  return *this << raw("></div>");
}

Html& Html::option(std::string_view value, std::string_view label, std::string_view chosen) {
  return *this << raw("<option value=\"") << value << raw("\"")
               << raw(value == chosen ? " selected" : "") << raw(">") << label << raw("</option>");
}

Html& Html::select_field(std::string_view id, std::string_view name, std::string_view label,
                         const Options& options, std::string_view chosen) {
  *this << raw("<div class=\"field\"><label for=\"") << id << raw("\">") << label
        << raw("</label><select id=\"") << id << raw("\" name=\"") << name << raw("\">");
  for (const auto& [value, text] : options) option(value, text, chosen);
  return *this << raw("</select></div>");
}

}  // namespace nanbyo::web
