#include "appcore/forms/definition.h"

namespace nanbyo::forms {

std::string_view to_string(FieldType t) {
  switch (t) {
    case FieldType::Text:
      return "text";
    case FieldType::Kana:
      return "kana";
    case FieldType::Date:
      return "date";
    case FieldType::Number:
      return "number";
    case FieldType::Choice:
      return "choice";
    case FieldType::MultiChoice:
      return "multi-choice";
    case FieldType::YesNo:
      return "yes-no";
    case FieldType::Table:
      return "table";
  }
  return "text";
}

const ChoiceDef* FieldDef::choice(const std::string& value) const {
  for (const auto& c : choices)
    if (c.value == value) return &c;
  return nullptr;
}

const FieldDef* FormDefinition::field(const std::string& id) const {
  auto it = index.find(id);
  return it == index.end() ? nullptr : &fields[it->second];
}

}  // namespace nanbyo::forms
