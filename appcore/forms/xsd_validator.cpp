#include "appcore/forms/xsd_validator.h"

namespace nanbyo::forms::detail {
namespace {

void collect(void* user, xmlErrorPtr error) {
  auto* out = static_cast<std::vector<SchemaViolation>*>(user);
  if (!error || out->size() >= 1000) return;  // bounded: a hostile file cannot grow this
  std::string message = error->message ? error->message : "schema violation";
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  out->push_back({static_cast<xmlNode*>(error->node), error->line, std::move(message)});
}

void collect_text(void* user, xmlErrorPtr error) {
  auto* text = static_cast<std::string*>(user);
  if (error && error->message && text->empty()) *text = error->message;
}

}  // namespace

Result<XsdValidator> XsdValidator::compile(const std::string& xsd) {
  init_libxml();
  XmlSchemaParserPtr parser(xmlSchemaNewMemParserCtxt(xsd.data(), static_cast<int>(xsd.size())));
  if (!parser) return fail("cannot create the XSD parser");
  std::string error;
  xmlSchemaSetParserStructuredErrors(parser.get(), collect_text, &error);
  XsdValidator v;
  v.schema_.reset(xmlSchemaParse(parser.get()));
  if (!v.schema_) return fail("the generated XSD does not compile: " + error);
  return v;
}

std::vector<SchemaViolation> XsdValidator::validate(xmlDoc* doc) const {
  std::vector<SchemaViolation> out;
  XmlValidPtr ctxt(xmlSchemaNewValidCtxt(schema_.get()));
  if (!ctxt) {
    out.push_back({nullptr, 0, "cannot create a validation context"});
    return out;
  }
  xmlSchemaSetValidStructuredErrors(ctxt.get(), collect, &out);
  const int rc = xmlSchemaValidateDoc(ctxt.get(), doc);
  if (rc != 0 && out.empty()) out.push_back({nullptr, 0, "the document does not match the XSD"});
  return out;
}

}  // namespace nanbyo::forms::detail
