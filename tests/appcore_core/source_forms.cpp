#include "source_forms.h"

#include "tests/must.h"

namespace nanbyo::appcore::testing {

FormServiceConfig source_forms_config() {
  // Immutable once loaded (FormCatalog instantiates forms under its own lock).
  static const auto catalog =
      nanbyo::testing::must(forms::FormCatalog::load(forms::source_definitions_dir()));
  static const auto reader = nanbyo::testing::must(forms::XmlFormReader::create(catalog));
  FormServiceConfig c;
  c.definitions = forms::source_definitions_dir();
  c.catalog = catalog;
  c.xml_reader = reader;
  return c;
}

}  // namespace nanbyo::appcore::testing
