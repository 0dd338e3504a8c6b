// What a filled-in form holds: one value per field id. Plain values shared by
// the web form, the XML reader and the storage (serialised as JSON there).
#pragma once

#include <map>
#include <string>
#include <vector>

namespace nanbyo::forms {

struct FieldValue {
  std::string text;                                      // every scalar field type
  std::vector<std::string> items;                        // multiple choice: chosen values
  std::vector<std::map<std::string, std::string>> rows;  // table: column id -> text
  bool empty() const { return text.empty() && items.empty() && rows.empty(); }
  bool operator==(const FieldValue&) const = default;
};

// Field id -> value. A field left out is unset (partial item sets are allowed).
using FormValues = std::map<std::string, FieldValue>;

inline FieldValue text_value(std::string text) {
  FieldValue v;
  v.text = std::move(text);
  return v;
}

}  // namespace nanbyo::forms
