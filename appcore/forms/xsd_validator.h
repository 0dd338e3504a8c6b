// Compiles the generated XSD and validates parsed documents, reporting each
// violation with the element it concerns (internal to appcore/forms).
#pragma once

#include <string>
#include <vector>

#include "appcore/forms/xml_handles.h"
#include "pki/result.h"

namespace nanbyo::forms::detail {

struct SchemaViolation {
  xmlNode* node = nullptr;  // the offending element, when libxml2 names one
  int line = 0;
  std::string message;
};

class XsdValidator {
 public:
  static Result<XsdValidator> compile(const std::string& xsd);
  // Empty when the document is valid.
  std::vector<SchemaViolation> validate(xmlDoc* doc) const;

 private:
  XmlSchemaPtr schema_;
};

}  // namespace nanbyo::forms::detail
