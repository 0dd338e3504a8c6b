// Writing forms in the XML layout (export for F-8, and what the check tool
// puts into a batch): items in the seed's six groups, in the definition's order.
#include <string>
#include <string_view>

#include "appcore/forms/xml.h"
#include "appcore/forms/xml_handles.h"

namespace nanbyo::forms {

using detail::append_xml_escaped;

namespace {

// <id>, </id>: appended piece by piece (no temporary strings per item).
void open_tag(std::string& out, std::string_view name) {
  out += '<';
  out += name;
  out += '>';
}

void close_tag(std::string& out, std::string_view name) {
  out += "</";
  out += name;
  out += '>';
}

void write_item(std::string& out, const FieldDef& f, const FieldValue& v) {
  out += "      ";
  open_tag(out, f.id);
  if (f.type == FieldType::MultiChoice) {
    for (const auto& item : v.items) {
      out += "<item>";
      append_xml_escaped(out, item);
      out += "</item>";
    }
  } else if (f.type == FieldType::Table) {
    for (const auto& row : v.rows) {
      out += "<row>";
      for (const auto& c : f.columns) {
        auto cell = row.find(c.id);
        if (cell == row.end() || cell->second.empty()) continue;
        open_tag(out, c.id);
        append_xml_escaped(out, cell->second);
        close_tag(out, c.id);
      }
      out += "</row>";
    }
  } else {
    append_xml_escaped(out, v.text);
  }
  close_tag(out, f.id);
  out += '\n';
}

// The items in the seed's six groups (<基本情報> …), a group only when it holds a value.
void write_form(std::string& out, const FormDefinition& def, const FormValues& values,
                const std::string& ref) {
  out += "  <";
  out += def.id;
  if (!ref.empty()) {
    out += " ref=\"";
    append_xml_escaped(out, ref);
    out += '"';
  }
  out += " version=\"";
  append_xml_escaped(out, def.version);
  out += "\">\n";
  for (const char* group : kXmlGroups) {
    const std::size_t group_start = out.size();
    out += "    ";
    open_tag(out, group);
    out += '\n';
    const std::size_t items_start = out.size();
    for (const auto& s : def.sections) {
      if (s.group != group) continue;
      for (const auto& id : s.fields) {
        auto it = values.find(id);
        const FieldDef* f = def.field(id);
        if (f && it != values.end() && !it->second.empty()) write_item(out, *f, it->second);
      }
    }
    if (out.size() == items_start) {  // no item: no group
      out.resize(group_start);
      continue;
    }
    out += "    ";
    close_tag(out, group);
    out += '\n';
  }
  out += "  ";
  close_tag(out, def.id);
  out += '\n';
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
