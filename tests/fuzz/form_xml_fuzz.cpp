// libFuzzer target: the XML form reader (hospital-system files, F-9). Any
// input must be refused or read; a form that reads without schema issues must
// survive a write/read round trip unchanged, in the version it stated.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "appcore/forms/engine.h"
#include "appcore/forms/xml.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace nanbyo::forms;
  static auto catalog = FormCatalog::load(source_definitions_dir()).value();
  static auto reader = XmlFormReader::create(catalog).value();
  auto forms = reader->read(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!forms) return 0;
  for (const auto& f : *forms) {
    const FormDefinition* def = f.def;
    if (!def || !f.issues.empty() || has_errors(check(*def, f.values))) continue;
    auto again = reader->read(write_form_xml(*def, f.values, f.ref));
    if (!again || again->size() != 1 || !((*again)[0].values == f.values) || (*again)[0].def != def)
      std::abort();
  }
  return 0;
}
