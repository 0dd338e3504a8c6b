// A tiny HTML builder that escapes by default: every value written with << is
// text; markup goes through raw() only, with literals from this source tree.
// Screens are functions that fill an Html and hand it to layout.h.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nanbyo::web {

// &, <, >, " and ' as entities: safe in text and in quoted attribute values.
std::string escape_html(std::string_view text);

// Marks trusted markup (string literals of the screens, or output of Html).
struct Raw {
  std::string_view markup;
};
inline Raw raw(std::string_view markup) {
  return Raw{markup};
}

class Html {
 public:
  Html& operator<<(std::string_view text) {
    out_ += escape_html(text);
    return *this;
  }
  Html& operator<<(const char* text) { return *this << std::string_view(text); }
  Html& operator<<(const std::string& text) { return *this << std::string_view(text); }
  Html& operator<<(int64_t number) {
    out_ += std::to_string(number);
    return *this;
  }
  Html& operator<<(int number) { return *this << static_cast<int64_t>(number); }
  Html& operator<<(Raw markup) {
    out_.append(markup.markup);
    return *this;
  }
  Html& operator<<(const Html& fragment) {
    out_ += fragment.out_;
    return *this;
  }

  // <input type="hidden" name="_csrf" value="...">: every form carries one.
  Html& csrf_field(std::string_view token);
  // A labelled text input (JIS X 8341-3: every control has a <label for>).
  // Its id is "f-<name>", or "f-<form>-<name>" when a page has several forms
  // with the same field names (ids must stay unique).
  Html& text_field(std::string_view name, std::string_view label, std::string_view value = {},
                   std::string_view type = "text", bool required = true,
                   std::string_view autocomplete = "off", std::string_view form = {});

  // <option value="value">label</option>, selected when `value` is `chosen`.
  Html& option(std::string_view value, std::string_view label, std::string_view chosen);

  // A labelled <select> (id `id`, e.g. "f-status") of (value, label) options, the one
  // whose value is `chosen` selected; list a "（すべて）" option first where any will do.
  using Options = std::vector<std::pair<std::string, std::string>>;
  Html& select_field(std::string_view id, std::string_view name, std::string_view label,
                     const Options& options, std::string_view chosen);

  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

}  // namespace nanbyo::web
