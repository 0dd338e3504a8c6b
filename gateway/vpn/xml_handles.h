// RAII for libxml2 handles, declared once (CONVENTIONS.md rule 7).
#pragma once

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlmemory.h>

#include <memory>

namespace nanbyo::vpn::xml {

struct DocDeleter {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
struct ParserDeleter {
  void operator()(xmlParserCtxt* parser) const { xmlFreeParserCtxt(parser); }
};
struct CharDeleter {
  void operator()(xmlChar* text) const { xmlFree(text); }
};

using DocPtr = std::unique_ptr<xmlDoc, DocDeleter>;
using ParserPtr = std::unique_ptr<xmlParserCtxt, ParserDeleter>;
using CharPtr = std::unique_ptr<xmlChar, CharDeleter>;

}  // namespace nanbyo::vpn::xml
