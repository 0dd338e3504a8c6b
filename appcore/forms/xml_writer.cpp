// Writing forms in the XML layout (export for F-8, and what the check tool
// puts into a batch). Field elements follow the definition's order.
#include "appcore/forms/xml.h"
#include "appcore/forms/xml_handles.h"

namespace nanbyo::forms {

using detail::xml_escape;

namespace {

void write_form(std::string& out, const FormDefinition& def, const FormValues& values,
                const std::string& ref) {
  out += "  <" + def.id;
  if (!ref.empty()) out += " ref=\"" + xml_escape(ref) + "\"";
  out += " version=\"" + xml_escape(def.version) + "\">\n";
  for (const auto& f : def.fields) {
    auto it = values.find(f.id);
    if (it == values.end() || it->second.empty()) continue;
    const FieldValue& v = it->second;
    out += "    <" + f.id + ">";
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
