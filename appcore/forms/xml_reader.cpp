// Reading the XML layout: refuse what must never be parsed (non-UTF-8, DOCTYPE
// and entities, oversize), parse with libxml2 without network or entity
// substitution, validate against the generated XSD, then map each form
// element to FormValues and each schema violation to its form and field.
#include <cstring>
#include <map>
#include <set>

#include "appcore/forms/xml.h"
#include "appcore/forms/xsd_validator.h"

namespace nanbyo::forms {

using namespace detail;

struct XmlFormReader::Impl {
  std::shared_ptr<const FormCatalog> catalog;
  XsdValidator validator;
};

namespace {

std::string trimmed(std::string s) {
  const char* ws = " \t\r\n";
  auto b = s.find_first_not_of(ws);
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

std::string content(xmlNode* n) {
  xmlChar* c = xmlNodeGetContent(n);
  std::string s = c ? reinterpret_cast<const char*>(c) : "";
  xmlFree(c);
  return s;
}

std::string name_of(xmlNode* n) {
  return reinterpret_cast<const char*>(n->name);
}

bool is_element(xmlNode* n) {
  return n->type == XML_ELEMENT_NODE;
}

Result<void> refuse_unsafe(std::string_view bytes) {
  if (bytes.size() > kMaxXmlBytes)
    return fail("the file is larger than " + std::to_string(kMaxXmlBytes >> 20) + " MiB");
  if (bytes.size() >= 2 &&
      ((bytes[0] == '\xFE' && bytes[1] == '\xFF') || (bytes[0] == '\xFF' && bytes[1] == '\xFE') ||
       bytes[0] == '\0' || bytes[1] == '\0'))
    return fail("the file must be UTF-8 (UTF-16 is not accepted)");
  if (bytes.find("<!DOCTYPE") != std::string_view::npos ||
      bytes.find("<!ENTITY") != std::string_view::npos)
    return fail("DOCTYPE and entity declarations are not allowed (external entities are refused)");
  return {};
}

FieldValue value_of(const FieldDef* f, xmlNode* el) {
  FieldValue v;
  if (f && f->type == FieldType::MultiChoice) {
    for (xmlNode* c = el->children; c; c = c->next)
      if (is_element(c)) {
        auto t = trimmed(content(c));
        if (!t.empty()) v.items.push_back(std::move(t));
      }
  } else if (f && f->type == FieldType::Table) {
    for (xmlNode* row = el->children; row; row = row->next) {
      if (!is_element(row)) continue;
      std::map<std::string, std::string> cells;
      for (xmlNode* c = row->children; c; c = c->next)
        if (is_element(c)) {
          auto t = trimmed(content(c));
          if (!t.empty()) cells[name_of(c)] = std::move(t);
        }
      if (!cells.empty()) v.rows.push_back(std::move(cells));
    }
  } else {
    v.text = trimmed(content(el));
  }
  return v;
}

// One of the seed's six groups (<基本情報> …) wrapping items.
bool is_group(xmlNode* n) {
  const std::string name = name_of(n);
  for (const char* g : kXmlGroups)
    if (name == g) return true;
  return false;
}

// The items of a form element, directly under it (the 2024 flat layout) or in
// its groups; an item given twice is a schema issue (the XSD cannot say so).
void read_items(const FormDefinition& def, xmlNode* form_el, XmlForm& form) {
  std::set<std::string> seen;
  auto item = [&](xmlNode* f) {
    const std::string id = name_of(f);
    if (!seen.insert(id).second) {
      form.issues.push_back(
          {id, static_cast<int>(xmlGetLineNo(f)), "Element '" + id + "': given more than once."});
      return;
    }
    FieldValue v = value_of(def.field(id), f);
    if (!v.empty()) form.values[id] = std::move(v);
  };
  for (xmlNode* f = form_el->children; f; f = f->next) {
    if (!is_element(f)) continue;
    if (!is_group(f)) {
      item(f);
      continue;
    }
    for (xmlNode* g = f->children; g; g = g->next)
      if (is_element(g)) item(g);
  }
}

}  // namespace

XmlFormReader::XmlFormReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
XmlFormReader::~XmlFormReader() = default;

Result<std::shared_ptr<const XmlFormReader>> XmlFormReader::create(
    std::shared_ptr<const FormCatalog> catalog) {
  NANBYO_TRY(validator, XsdValidator::compile(generate_xsd(*catalog)));
  auto impl = std::make_unique<Impl>(Impl{std::move(catalog), std::move(validator)});
  return std::shared_ptr<const XmlFormReader>(new XmlFormReader(std::move(impl)));
}

Result<std::vector<XmlForm>> XmlFormReader::read(std::string_view bytes) const {
  init_libxml();
  NANBYO_TRY_VOID(refuse_unsafe(bytes));
  XmlParserPtr parser(xmlNewParserCtxt());
  if (!parser) return fail("cannot create an XML parser");
  // No NOENT (no entity substitution), no DTDLOAD/DTDVALID, no network; no HUGE
  // (libxml2's default depth and text limits stay on).
  const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
  XmlDocPtr doc(xmlCtxtReadMemory(parser.get(), bytes.data(), static_cast<int>(bytes.size()),
                                  "form.xml", "UTF-8", options));
  if (!doc) {
    xmlErrorPtr e = xmlCtxtGetLastError(parser.get());
    std::string msg = e && e->message ? trimmed(e->message) : "not well-formed";
    return fail("malformed XML at line " + std::to_string(e ? e->line : 0) + ": " + msg);
  }
  if (doc->intSubset || doc->extSubset)
    return fail("DOCTYPE and entity declarations are not allowed (external entities are refused)");
  xmlNode* root = xmlDocGetRootElement(doc.get());
  if (!root || name_of(root) != "forms") return fail("the root element must be <forms>");

  std::vector<XmlForm> forms;
  std::map<xmlNode*, std::size_t> form_of;
  for (xmlNode* el = root->children; el; el = el->next) {
    if (!is_element(el)) continue;
    if (forms.size() >= kMaxFormsPerXml)
      return fail("more than " + std::to_string(kMaxFormsPerXml) + " forms in one file");
    XmlForm form;
    form.definition = name_of(el);
    form.line = static_cast<int>(xmlGetLineNo(el));
    if (xmlChar* ref = xmlGetProp(el, BAD_CAST "ref")) {
      form.ref = reinterpret_cast<const char*>(ref);
      xmlFree(ref);
    }
    const FormDefinition* def = impl_->catalog->find(form.definition);
    if (def) read_items(*def, el, form);
    if (!def) form.issues.push_back({"", form.line, "unknown form \"" + form.definition + "\""});
    form_of[el] = forms.size();
    forms.push_back(std::move(form));
  }
  for (const auto& v : impl_->validator.validate(doc.get())) {
    // The item is the topmost element below the form that is not a group.
    xmlNode* n = v.node;
    xmlNode* field = nullptr;
    while (n && n->parent && n->parent != root) {
      if (!(n->type == XML_ELEMENT_NODE && n->parent->parent == root && is_group(n))) field = n;
      n = n->parent;
    }
    auto it = n ? form_of.find(n) : form_of.end();
    if (it == form_of.end()) return fail("line " + std::to_string(v.line) + ": " + v.message);
    std::string field_id;
    if (field) field_id = name_of(field);
    forms[it->second].issues.push_back({field_id, v.line, v.message});
  }
  return forms;
}

}  // namespace nanbyo::forms
