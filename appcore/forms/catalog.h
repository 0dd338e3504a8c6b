// The set of form definitions the appliance serves: loaded from a folder of
// YAML files at start-up (definitions/*.yaml plus shared sections in
// definitions/common/*.yaml), validated, then shared read-only by the web
// form, the XML/XSD layer, the check tool and the import (CONVENTIONS.md rule 4).
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "appcore/forms/definition.h"
#include "pki/result.h"

namespace nanbyo::forms {

// Shared sections ("fragments"), by name: YAML text and the file it came from.
struct FragmentSource {
  std::string yaml;
  std::string file;
};
using Fragments = std::map<std::string, FragmentSource>;

// Parses and validates one definition; errors are "file:line:col: path: message".
Result<FormDefinition> parse_definition(std::string_view yaml, const std::string& file,
                                        const Fragments& fragments = {});

class FormCatalog {
 public:
  static Result<std::shared_ptr<const FormCatalog>> load(const std::filesystem::path& dir);
  static std::shared_ptr<const FormCatalog> of(std::vector<FormDefinition> definitions);

  const FormDefinition* find(std::string_view id) const;
  // 指定難病 by 告示番号, 小慢 by (疾患群, 番号).
  const FormDefinition* nanbyo(int notice_no) const;
  const FormDefinition* shoman(const std::string& group, int notice_no) const;
  const std::vector<FormDefinition>& definitions() const { return definitions_; }

 private:
  std::vector<FormDefinition> definitions_;
};

// The folder shipped with the sources (for tests and development runs).
std::filesystem::path source_definitions_dir();
// Where the packages install the definitions (CMake NANBYO_FORMS_DIR, by
// default <prefix>/share/nanbyo/forms): the default of the installed programs.
std::filesystem::path installed_definitions_dir();

}  // namespace nanbyo::forms
