// Reading the XML layout: refuse what must never be parsed (non-UTF-8, DOCTYPE
// and entities, oversize), parse with libxml2 without network or entity
// substitution, validate against the generated XSD of each form's version,
// then map each form element to FormValues and each schema violation to its
// form and field.
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <utility>

#include "appcore/forms/xml.h"
#include "appcore/forms/xsd_validator.h"

namespace nanbyo::forms {

using namespace detail;

struct XmlFormReader::Impl {
  std::shared_ptr<const FormCatalog> catalog;
  XsdValidator validator;                        // the current versions
  std::map<std::string, XsdValidator> previous;  // by version (catalog.h)
};

namespace {

std::string trimmed(std::string_view s) {
  const char* ws = " \t\r\n";
  auto b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return "";
  return std::string(s.substr(b, s.find_last_not_of(ws) - b + 1));
}

// An element's text, trimmed. Almost every item holds one text node: read in
// place, without the copy xmlNodeGetContent makes of it.
std::string content(xmlNode* n) {
  xmlNode* c = n->children;
  if (!c) return "";
  if (c->type == XML_TEXT_NODE && !c->next && c->content)
    return trimmed(reinterpret_cast<const char*>(c->content));
  xmlChar* all = xmlNodeGetContent(n);
  std::string s = all ? trimmed(reinterpret_cast<const char*>(all)) : "";
  xmlFree(all);
  return s;
}

const char* name_of(xmlNode* n) {
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
        auto t = content(c);
        if (!t.empty()) v.items.push_back(std::move(t));
      }
  } else if (f && f->type == FieldType::Table) {
    for (xmlNode* row = el->children; row; row = row->next) {
      if (!is_element(row)) continue;
      std::map<std::string, std::string> cells;
      for (xmlNode* c = row->children; c; c = c->next)
        if (is_element(c)) {
          auto t = content(c);
          if (!t.empty()) cells[name_of(c)] = std::move(t);
        }
      if (!cells.empty()) v.rows.push_back(std::move(cells));
    }
  } else {
    v.text = content(el);
  }
  return v;
}

// One of the seed's six groups (<基本情報> …) wrapping items.
bool is_group(xmlNode* n) {
  for (const char* g : kXmlGroups)
    if (std::strcmp(name_of(n), g) == 0) return true;
  return false;
}

// The items of a form element, directly under it (the 2024 flat layout) or in
// its groups; an item given twice is a schema issue (the XSD cannot say so).
void read_items(const FormDefinition& def, xmlNode* form_el, XmlForm& form) {
  std::vector<char> seen(def.fields.size(), 0);  // by position in the definition
  std::set<std::string> seen_unknown;            // the XSD refuses these; still counted
  std::size_t next = 0;  // items mostly come in the definition's order: try it first
  auto position = [&](const std::string& id) -> std::optional<std::size_t> {
    if (next < def.fields.size() && def.fields[next].id == id) return next;
    auto known = def.index.find(id);
    if (known == def.index.end()) return std::nullopt;
    return known->second;
  };
  auto item = [&](xmlNode* f) {
    std::string id = name_of(f);
    const auto at = position(id);
    if (at) next = *at + 1;
    const bool again = at ? std::exchange(seen[*at], 1) != 0 : !seen_unknown.insert(id).second;
    if (again) {
      form.issues.push_back(
          {id, static_cast<int>(xmlGetLineNo(f)), "Element '" + id + "': given more than once."});
      return;
    }
    FieldValue v = value_of(at ? &def.fields[*at] : nullptr, f);
    if (!v.empty()) form.values.emplace(std::move(id), std::move(v));
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

// The form elements of one document validated against one version's XSD:
// violations are mapped to the form (topmost element below the root) and the
// item (topmost element below the form that is not a group).
struct ValidationSet {
  xmlDoc* doc = nullptr;
  const XsdValidator* validator = nullptr;
  std::map<xmlNode*, std::size_t> form_of;  // form element -> index in the result
};

Result<void> collect_violations(const ValidationSet& set, std::vector<XmlForm>& forms) {
  xmlNode* root = xmlDocGetRootElement(set.doc);
  for (const auto& v : set.validator->validate(set.doc)) {
    xmlNode* n = v.node;
    xmlNode* field = nullptr;
    while (n && n->parent && n->parent != root) {
      if (!(n->type == XML_ELEMENT_NODE && n->parent->parent == root && is_group(n))) field = n;
      n = n->parent;
    }
    auto it = n ? set.form_of.find(n) : set.form_of.end();
    if (it == set.form_of.end()) return fail("line " + std::to_string(v.line) + ": " + v.message);
    std::string field_id;
    if (field) field_id = name_of(field);
    forms[it->second].issues.push_back({field_id, v.line, v.message});
  }
  return {};
}

std::string attribute(xmlNode* el, const char* name) {
  std::string out;
  if (xmlChar* v = xmlGetProp(el, BAD_CAST name)) {
    out = reinterpret_cast<const char*>(v);
    xmlFree(v);
  }
  return out;
}

// Why a form element has no definition: an unknown form, or a version that is
// neither current nor a previous one still known.
std::string unknown_form(const FormCatalog& catalog, const XmlForm& form) {
  const FormDefinition* now = catalog.find(form.definition);
  if (!now) return "unknown form \"" + form.definition + "\"";
  std::string known = now->version;
  for (const auto& p : catalog.previous_versions())
    if (p.forms->find(form.definition)) known += ", " + p.version;
  return "version \"" + form.version + "\" of form " + form.definition +
         " is not known (known: " + known + ")";
}

}  // namespace

XmlFormReader::XmlFormReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
XmlFormReader::~XmlFormReader() = default;

Result<std::shared_ptr<const XmlFormReader>> XmlFormReader::create(
    std::shared_ptr<const FormCatalog> catalog) {
  NANBYO_TRY(validator, XsdValidator::compile(generate_xsd(*catalog)));
  std::map<std::string, XsdValidator> previous;
  for (const auto& p : catalog->previous_versions()) {
    NANBYO_TRY(v, XsdValidator::compile(generate_xsd(*p.forms)));
    previous.emplace(p.version, std::move(v));
  }
  auto impl =
      std::make_unique<Impl>(Impl{std::move(catalog), std::move(validator), std::move(previous)});
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
  if (!root || std::strcmp(name_of(root), "forms") != 0)
    return fail("the root element must be <forms>");

  std::vector<XmlForm> forms;
  ValidationSet current{doc.get(), &impl_->validator, {}};
  // Forms of a previous version move to a document of their own, validated
  // against that version's XSD; forms of no known version are not validated.
  std::map<std::string, XmlDocPtr> moved;
  std::map<std::string, ValidationSet> previous;
  std::vector<xmlNode*> unlinked;
  for (xmlNode* el = root->children; el; el = el->next) {
    if (!is_element(el)) continue;
    if (forms.size() >= kMaxFormsPerXml)
      return fail("more than " + std::to_string(kMaxFormsPerXml) + " forms in one file");
    XmlForm form;
    form.definition = name_of(el);
    form.line = static_cast<int>(xmlGetLineNo(el));
    form.ref = attribute(el, "ref");
    form.version = attribute(el, "version");
    form.def = impl_->catalog->find(form.definition, form.version);
    const PreviousVersion* old = form.def ? impl_->catalog->previous_of(*form.def) : nullptr;
    if (form.def) read_items(*form.def, el, form);
    const std::size_t index = forms.size();
    if (!form.def) {
      form.issues.push_back({"", form.line, unknown_form(*impl_->catalog, form)});
      // An unknown form is reported by the XSD too (not expected here).
      if (impl_->catalog->find(form.definition))
        unlinked.push_back(el);
      else
        current.form_of[el] = index;
    } else if (!old) {
      current.form_of[el] = index;
    } else {
      auto& set = previous[old->version];
      if (!set.doc) {
        XmlDocPtr scratch(xmlNewDoc(BAD_CAST "1.0"));
        if (!scratch) return fail("cannot create an XML document");
        xmlDocSetRootElement(scratch.get(),
                             xmlNewDocNode(scratch.get(), nullptr, BAD_CAST "forms", nullptr));
        set = {scratch.get(), &impl_->previous.at(old->version), {}};
        moved[old->version] = std::move(scratch);
      }
      xmlNode* copy = xmlDocCopyNode(el, set.doc, 1);
      if (!copy) return fail("cannot copy a form element");
      xmlAddChild(xmlDocGetRootElement(set.doc), copy);
      set.form_of[copy] = index;
      unlinked.push_back(el);
    }
    forms.push_back(std::move(form));
  }
  for (xmlNode* el : unlinked) {
    xmlUnlinkNode(el);
    xmlFreeNode(el);
  }
  NANBYO_TRY_VOID(collect_violations(current, forms));
  for (const auto& [version, set] : previous) NANBYO_TRY_VOID(collect_violations(set, forms));
  return forms;
}

}  // namespace nanbyo::forms
