// libxml2 set-up shared by the reader and the XSD compiler, and escaping.
#include <mutex>
#include <string>

#include "appcore/forms/xml_handles.h"

namespace nanbyo::forms::detail {
namespace {

// No document we read may pull anything from outside: files, URLs, catalogs.
xmlParserInputPtr refuse_external(const char*, const char*, xmlParserCtxtPtr) {
  return nullptr;
}

void silent(void*, const char*, ...) {}

}  // namespace

void init_libxml() {
  static std::once_flag once;
  std::call_once(once, [] {
    xmlInitParser();
    xmlSetExternalEntityLoader(refuse_external);
    xmlSetGenericErrorFunc(nullptr, silent);  // errors are collected, not printed
  });
}

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  append_xml_escaped(out, text);
  return out;
}

void append_xml_escaped(std::string& out, std::string_view text) {
  std::size_t plain = 0;  // start of the run copied as it is
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char* entity = nullptr;
    switch (text[i]) {
      case '&':
        entity = "&amp;";
        break;
      case '<':
        entity = "&lt;";
        break;
      case '>':
        entity = "&gt;";
        break;
      case '"':
        entity = "&quot;";
        break;
      case '\r':
        entity = "&#13;";  // kept through the parser's line-end normalisation
        break;
      default:
        continue;
    }
    out.append(text.data() + plain, i - plain);
    out += entity;
    plain = i + 1;
  }
  out.append(text.data() + plain, text.size() - plain);
}

}  // namespace nanbyo::forms::detail
