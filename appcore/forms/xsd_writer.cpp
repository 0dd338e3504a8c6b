// The XSD of the XML layout, generated from the definitions so the web form,
// the schema and the check tool never disagree (F-9). Every field element is
// optional (partial item sets are allowed; required-ness is the check's job)
// and may be empty; a non-empty value must have the field's type.
#include <cstdio>
#include <utility>
#include <vector>

#include "appcore/forms/xml.h"
#include "appcore/forms/xml_handles.h"

namespace nanbyo::forms {

using detail::xml_escape;

namespace {

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

// The restriction of one non-empty scalar value.
std::string restriction(const FieldDef& f) {
  std::string r;
  switch (f.type) {
    case FieldType::Text:
      r = "<xs:restriction base=\"xs:string\"><xs:maxLength value=\"" +
          std::to_string(f.max_length) + "\"/></xs:restriction>";
      break;
    case FieldType::Kana:
      r = "<xs:restriction base=\"xs:string\"><xs:maxLength value=\"" +
          std::to_string(f.max_length) + "\"/><xs:pattern value=\"[ァ-ー　 ]+\"/></xs:restriction>";
      break;
    case FieldType::Date:
      r = "<xs:restriction base=\"xs:string\"><xs:pattern value=\"[0-9]{4}-[0-9]{2}-[0-9]{2}\"/>"
          "</xs:restriction>";
      break;
    case FieldType::Number:
      r = "<xs:restriction base=\"xs:decimal\">";
      if (f.min) r += "<xs:minInclusive value=\"" + num(*f.min) + "\"/>";
      if (f.max) r += "<xs:maxInclusive value=\"" + num(*f.max) + "\"/>";
      if (f.decimals >= 0) r += "<xs:fractionDigits value=\"" + std::to_string(f.decimals) + "\"/>";
      r += "</xs:restriction>";
      break;
    default:
      r = "<xs:restriction base=\"xs:string\">";
      for (const auto& c : f.choices)
        r += "<xs:enumeration value=\"" + xml_escape(c.value) + "\"/>";
      r += "</xs:restriction>";
  }
  return r;
}

// The item's name on the form (as in the seed), documented on its element.
std::string label_of(const FieldDef& f) {
  return "<xs:annotation><xs:documentation>" + xml_escape(f.label) +
         (f.unit.empty() ? "" : "（" + xml_escape(f.unit) + "）") +
         "</xs:documentation></xs:annotation>";
}

// A scalar element: empty, or a value of the field's type.
std::string scalar_element(const FieldDef& f, const std::string& indent) {
  if (f.type == FieldType::Text)
    return indent + "<xs:element name=\"" + f.id + "\" minOccurs=\"0\">" + label_of(f) +
           "<xs:simpleType>" + restriction(f) + "</xs:simpleType></xs:element>\n";
  return indent + "<xs:element name=\"" + f.id + "\" minOccurs=\"0\">" + label_of(f) +
         "<xs:simpleType><xs:union memberTypes=\"empty\"><xs:simpleType>" + restriction(f) +
         "</xs:simpleType></xs:union></xs:simpleType></xs:element>\n";
}

std::string field_element(const FieldDef& f) {
  const std::string in = "      ";
  if (f.type == FieldType::MultiChoice) {
    return in + "<xs:element name=\"" + f.id + "\" minOccurs=\"0\">" + label_of(f) +
           "<xs:complexType><xs:sequence><xs:element name=\"item\" "
           "minOccurs=\"0\" maxOccurs=\"" +
           std::to_string(f.choices.size()) + "\"><xs:simpleType>" + restriction(f) +
           "</xs:simpleType></xs:element></xs:sequence></xs:complexType></xs:element>\n";
  }
  if (f.type == FieldType::Table) {
    std::string s = in + "<xs:element name=\"" + f.id + "\" minOccurs=\"0\">" + label_of(f) +
                    "<xs:complexType><xs:sequence><xs:element name=\"row\" "
                    "minOccurs=\"0\" maxOccurs=\"" +
                    std::to_string(f.max_rows) + "\"><xs:complexType><xs:all>\n";
    for (const auto& c : f.columns) s += scalar_element(c, in + "  ");
    return s + in + "</xs:all></xs:complexType></xs:element></xs:sequence></xs:complexType>" +
           "</xs:element>\n";
  }
  return scalar_element(f, in);
}

}  // namespace

namespace {

// The schema head: shared simple types and the root <forms> holding any number
// of the given form elements (element name, complex type name).
std::string schema_head(const std::vector<std::pair<std::string, std::string>>& elements) {
  std::string x =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<!-- Generated from the form definitions (appcore/forms/definitions); do not edit. -->\n"
      "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" elementFormDefault=\"qualified\">\n"
      "  <xs:simpleType name=\"empty\"><xs:restriction base=\"xs:string\"><xs:length "
      "value=\"0\"/></xs:restriction></xs:simpleType>\n"
      "  <xs:simpleType name=\"reference\"><xs:restriction base=\"xs:string\"><xs:maxLength "
      "value=\"64\"/></xs:restriction></xs:simpleType>\n"
      "  <xs:element name=\"forms\"><xs:complexType>\n"
      "    <xs:choice minOccurs=\"0\" maxOccurs=\"unbounded\">\n";
  for (const auto& [name, type] : elements)
    x += "      <xs:element name=\"" + name + "\" type=\"form-" + type + "\"/>\n";
  return x + "    </xs:choice>\n  </xs:complexType></xs:element>\n";
}

// The complex type of one definition (or common template). Its items come in
// the seed's six groups (別紙 No.3): <基本情報>…</基本情報> and so on, each group
// holding its items in any order; the same items directly under the form (the
// 2024 flat layout) stay valid. Each item at most once: the reader checks it
// (xs:all cannot sit beside the groups).
std::string form_type(const FormDefinition& d) {
  std::string x = "  <!-- " + xml_escape(d.form_type) + " " + xml_escape(d.title) + " (version " +
                  xml_escape(d.version) + ") -->\n";
  x += "  <xs:complexType name=\"form-" + d.id +
       "\">\n    <xs:choice minOccurs=\"0\" maxOccurs=\"unbounded\">\n";
  std::string flat;
  for (const char* group : kXmlGroups) {
    std::string items;
    for (const auto& s : d.sections) {
      if (s.group != group) continue;
      items += "      <!-- " + xml_escape(s.group) + ": " + xml_escape(s.title) + " -->\n";
      for (const auto& id : s.fields)
        if (const FieldDef* f = d.field(id)) items += field_element(*f);
    }
    if (items.empty()) continue;
    x += "      <xs:element name=\"" + std::string(group) +
         "\"><xs:complexType><xs:choice minOccurs=\"0\" maxOccurs=\"unbounded\">\n" + items +
         "      </xs:choice></xs:complexType></xs:element>\n";
    flat += items;
  }
  return x + "      <!-- the same items without their group (the 2024 flat layout) -->\n" + flat +
         "    </xs:choice>\n"
         "    <xs:attribute name=\"ref\" type=\"reference\"/>\n"
         "    <xs:attribute name=\"version\" type=\"xs:string\"/>\n"
         "  </xs:complexType>\n";
}

}  // namespace

std::string generate_xsd(const FormCatalog& catalog) {
  // Diseases with a specific definition use its type; every other disease of
  // the master uses its kind's common template type (one type, many elements).
  std::vector<std::pair<std::string, std::string>> elements;
  for (const auto& d : catalog.definitions()) elements.emplace_back(d.id, d.id);
  for (const auto& t : catalog.templates())
    for (const auto& d : catalog.diseases())
      if (!d.specific && d.kind == t.kind) elements.emplace_back(d.form_id, t.id);
  std::string x = schema_head(elements);
  for (const auto& d : catalog.definitions()) x += form_type(d);
  for (const auto& t : catalog.templates()) x += form_type(t);
  return x + "</xs:schema>\n";
}

std::string generate_xsd(const FormDefinition& def) {
  const std::string type = def.layout.empty() ? def.id : def.layout;
  FormDefinition typed = def;
  typed.id = type;
  return schema_head({{def.id, type}}) + form_type(typed) + "</xs:schema>\n";
}

}  // namespace nanbyo::forms
