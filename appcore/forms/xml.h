// The XML layout of forms for hospital systems (F-9, docs/forms-xml.md): one
// root <forms> holding any number of form elements named by definition id
// (<nanbyo-006 ref="…">), each holding optional field elements named by field
// id. The XSD is generated from the same definitions (xsd_writer.cpp).
//
// Reading is hostile-input parsing (CONVENTIONS.md rule 11): UTF-8 only, no
// DOCTYPE at all (so no external or internal entities: XXE is refused before
// libxml2 sees the bytes), no network, bounded size and form count.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "appcore/forms/catalog.h"
#include "appcore/forms/values.h"
#include "pki/result.h"

namespace nanbyo::forms {

inline constexpr std::size_t kMaxXmlBytes = std::size_t{16} << 20;
inline constexpr std::size_t kMaxFormsPerXml = 20'000;

struct XmlIssue {
  std::string field;  // field id ("" for the form as a whole)
  int line = 0;
  std::string message;
};

struct XmlForm {
  std::string definition;  // definition id (the element name)
  std::string ref;         // the hospital system's own reference (attribute ref), may be ""
  std::string version;     // attribute version as written ("": the current version)
  // The definition of that version (catalog.h): the current one or a previous
  // version's; nullptr for an unknown form or version (then `issues` says why).
  const FormDefinition* def = nullptr;
  int line = 0;
  FormValues values;
  std::vector<XmlIssue> issues;  // schema violations: the form must not be imported
};

// Builds the XSD of every form in the catalog: the specific definitions and
// every master disease with its kind's common template.
std::string generate_xsd(const FormCatalog& catalog);
// The XSD of one form alone (what vendors download per disease, docs/forms-xml.md).
std::string generate_xsd(const FormDefinition& def);

// One form as a complete document (<forms> with one child).
std::string write_form_xml(const FormDefinition& def, const FormValues& values,
                           const std::string& ref = "");
// Several forms in one document.
struct FormToWrite {
  const FormDefinition* def;
  const FormValues* values;
  std::string ref;
};
std::string write_forms_xml(const std::vector<FormToWrite>& forms);

// Parses and schema-validates documents; compiles the XSD once, and once per
// previous version (catalog.h): each form element is validated against the
// XSD of the version it states. Shareable across threads for reading (each
// read uses its own validation context).
class XmlFormReader {
 public:
  static Result<std::shared_ptr<const XmlFormReader>> create(
      std::shared_ptr<const FormCatalog> catalog);
  ~XmlFormReader();
  // Fails for a document that cannot be read at all (not UTF-8, DOCTYPE,
  // malformed, too large, wrong root); otherwise one XmlForm per form element,
  // each with the schema issues that concern it.
  Result<std::vector<XmlForm>> read(std::string_view bytes) const;

  struct Impl;

 private:
  explicit XmlFormReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace nanbyo::forms
