// Forms filled from a definition alone (issue 18 benchmark): every item by its
// type (choices, numbers in range with their decimals, dates, katakana, text
// within its length, table rows), the items a `required_when` makes required,
// the calculated items, and the entered judgments as the criteria give them.
// A new definition is covered without code. To make the judgment rules run on
// their positive branch, most forms are steered towards the first outcome of
// the definition's first judgment (Definite, 完全型, ...) by solving its
// condition on the items it names.
#pragma once

#include <cstddef>
#include <optional>

#include "appcore/forms/definition.h"
#include "appcore/forms/values.h"

namespace nanbyo::bench {

struct GenericFormOptions {
  double aim_first_outcome = 0.8;  // share of forms steered towards the first outcome
  double optional_items = 0.6;     // chance that an optional item is filled
};

// A form with no check message for patient number `patient` (the same number
// gives the same form), or nullopt when none was found in a few tries.
std::optional<forms::FormValues> generic_form(const forms::FormDefinition& def, std::size_t patient,
                                              const GenericFormOptions& options = {});

// The outcome the definition's first judgment gives ("" when it has none), and
// whether it is that judgment's first outcome (the positive diagnosis).
struct FirstJudgment {
  std::string outcome;
  bool first = false;
};
FirstJudgment first_judgment(const forms::FormDefinition& def, const forms::FormValues& values);

}  // namespace nanbyo::bench
