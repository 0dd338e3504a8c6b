// Writing forms in the XML layout (export for F-8, and what the check tool
// puts into a batch): items in the seed's six groups, in the definition's order.
#include "appcore/forms/xml.h"
#include "appcore/forms/xml_handles.h"

namespace nanbyo::forms {

using detail::xml_escape;

namespace {

void write_item(std::string& out, const FieldDef& f, const FieldValue& v) {
  out += "      <" + f.id + ">";
  if (f.type == FieldType::MultiChoice) {
    for (const auto& item : v.items) out += "<item>" + xml_escape(item) + "</item>";
  } else if (f.type == FieldType::Table) {
    for (const auto& row : v.rows) {
      out += "<row>";
      for (const auto& c : f.columns) {
        auto cell = row.find(c.id);
        if (cell == row.end() || cell->second.empty()) continue;
        out += "<" + c.id + ">" + xml_escape(cell->second) + "</" + c.id + ">";
      }
      out += "</row>";
    }
  } else {
    out += xml_escape(v.text);
  }
  out += "</" + f.id + ">\n";
}

// The items in the seed's six groups (<基本情報> …), a group only when it holds a value.
void write_form(std::string& out, const FormDefinition& def, const FormValues& values,
                const std::string& ref) {
  out += "  <" + def.id;
  if (!ref.empty()) out += " ref=\"" + xml_escape(ref) + "\"";
  out += " version=\"" + xml_escape(def.version) + "\">\n";
  for (const char* group : kXmlGroups) {
    std::string items;
    for (const auto& s : def.sections) {
      if (s.group != group) continue;
      for (const auto& id : s.fields) {
        auto it = values.find(id);
        const FieldDef* f = def.field(id);
        if (f && it != values.end() && !it->second.empty()) write_item(items, *f, it->second);
      }
    }
    if (!items.empty())
      out += "    <" + std::string(group) + ">\n" + items + "    </" + group + ">\n";
  }
  out += "  </" + def.id + ">\n";
}

}  // namespace

std::string write_forms_xml(const std::vector<FormToWrite>& forms) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<forms>\n";
  for (const auto& f : forms) write_form(out, *f.def, *f.values, f.ref);
  out += "</forms>\n";
  return out;
}

std::string write_form_xml(const FormDefinition& def, const FormValues& values,
                           const std::string& ref) {
  return write_forms_xml({FormToWrite{&def, &values, ref}});
}

}  // namespace nanbyo::forms
