// RAII for libxml2 handles (CONVENTIONS.md rule 7), internal to appcore/forms.
#pragma once

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>

#include <memory>
#include <string>
#include <string_view>

namespace nanbyo::forms::detail {

struct XmlDeleter {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
  void operator()(xmlSchema* s) const { xmlSchemaFree(s); }
  void operator()(xmlSchemaParserCtxt* c) const { xmlSchemaFreeParserCtxt(c); }
  void operator()(xmlSchemaValidCtxt* c) const { xmlSchemaFreeValidCtxt(c); }
  void operator()(xmlParserCtxt* c) const { xmlFreeParserCtxt(c); }
};
using XmlDocPtr = std::unique_ptr<xmlDoc, XmlDeleter>;
using XmlSchemaPtr = std::unique_ptr<xmlSchema, XmlDeleter>;
using XmlSchemaParserPtr = std::unique_ptr<xmlSchemaParserCtxt, XmlDeleter>;
using XmlValidPtr = std::unique_ptr<xmlSchemaValidCtxt, XmlDeleter>;
using XmlParserPtr = std::unique_ptr<xmlParserCtxt, XmlDeleter>;

// Once per process: libxml2's global set-up, and an external entity loader
// that refuses everything (defence in depth behind the DOCTYPE refusal).
void init_libxml();

// Escapes text for element content and attribute values.
std::string xml_escape(std::string_view text);
// The same, appended to `out` (the writer of up to 20,000 forms per document).
void append_xml_escaped(std::string& out, std::string_view text);

}  // namespace nanbyo::forms::detail
