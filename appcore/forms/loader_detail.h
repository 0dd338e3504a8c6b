// Internal pieces of the definition loader, split by concern: fields and
// sections (definition_loader.cpp), conditions (rule_loader.cpp), calculations
// and judgments (logic_loader.cpp).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "appcore/forms/definition.h"
#include "appcore/forms/yaml_reader.h"

namespace nanbyo::forms::detail {

// A condition that names fields of `def` (all must exist, operators must fit).
Condition read_condition(const YAML::Node& n, const FormDefinition& def, const std::string& file,
                         const std::string& path);
void read_calculations(const YAML::Node& n, FormDefinition& def, const std::string& file);
void read_judgments(const YAML::Node& n, FormDefinition& def, const std::string& file);

bool is_identifier(const std::string& s);  // [a-z][a-z0-9_]*, an XML name too

}  // namespace nanbyo::forms::detail
