// Shared helpers of the forms tests: the shipped catalog and complete sample
// forms for each shipped definition (values a doctor could enter).
#pragma once

#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "appcore/forms/catalog.h"
#include "appcore/forms/engine.h"
#include "tests/must.h"

namespace nanbyo::forms::testing {

std::shared_ptr<const FormCatalog> catalog();
const FormDefinition& definition(const std::string& id);

// A complete, consistent form of each sample disease.
FormValues parkinson_definite();
FormValues als_definite();
FormValues sle_definite();
FormValues uc_severe();
FormValues prader_willi();

// Every item of `def` filled with a valid value of its type (the first choice,
// "yes", the minimum, one table row), except the 医療機関情報 the server fills:
// a complete form for any definition, common or specific (issue 18 catalog test).
FormValues complete_values(const FormDefinition& def);

std::string judged(const FormDefinition& def, const FormValues& v, const std::string& judgment);
const JudgmentResult& judgment(const std::vector<JudgmentResult>& all, const std::string& id);

using nanbyo::testing::must;

}  // namespace nanbyo::forms::testing
