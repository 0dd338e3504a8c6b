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
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\r':
        out += "&#13;";  // kept through the parser's line-end normalisation
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace nanbyo::forms::detail
