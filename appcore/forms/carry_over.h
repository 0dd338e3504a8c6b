// 更新登録 (F-5) across versions (issue 18 item 4): the items of last year's
// form that next year's form takes, when both are of one version or the old
// form is of a previous version whose items were renamed (catalog.h).
#pragma once

#include <string>
#include <vector>

#include "appcore/forms/catalog.h"
#include "appcore/forms/values.h"

namespace nanbyo::forms {

struct CarriedOver {
  FormValues values;
  // Items of the old form whose value the new form cannot take: no
  // counterpart in the new version, or a choice it no longer offers.
  std::vector<std::string> dropped;  // old item ids
};

enum class Carry {
  Renewal,  // next year's form: only the items marked carry_over
  Move,     // an open form moved to the current version: every item
};

// The new form's items, each from its source item in `from` (the same id, or
// the previous version's name of it). Items filled from the designation are
// never carried: the server fills them when the form registers.
CarriedOver carry_over(const FormCatalog& catalog, const FormDefinition& from,
                       const FormDefinition& to, const FormValues& old, Carry carry);

// The item of `from` that `to_item` of `to` takes its value from; "" if none.
std::string source_item(const FormCatalog& catalog, const FormDefinition& from,
                        const FormDefinition& to, const std::string& to_item);

}  // namespace nanbyo::forms
