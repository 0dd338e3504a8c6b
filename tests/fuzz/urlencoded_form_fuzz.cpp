// libFuzzer target: the web UI's application/x-www-form-urlencoded bodies and
// query strings (every screen's POST). Any input must be refused or parsed;
// what parses must encode and parse back to the same fields.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "appcore/web/form.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace nanbyo::web;
  auto form = FormData::parse(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!form) return 0;
  std::string again;
  for (const auto& [name, value] : form->fields()) {
    if (!again.empty()) again += '&';
    again += url_encode(name) + "=" + url_encode(value);
  }
  auto reparsed = FormData::parse(again);
  if (!reparsed || reparsed->fields() != form->fields()) std::abort();
  return 0;
}
