// The declarative rule language of form definitions (docs/forms.md): conditions
// over field values used by conditional required-ness, scores and judgments.
//   {all: [...]}  {any: [...]}  {not: cond}  {count: [...], at_least: n, at_most: m}
//   {field: f, eq|ne|lt|le|gt|ge: v}  {field: f, in: [v, ...]}  {field: f, has: v}
//   {field: f, filled: true|false}
// Any condition may carry `label:` to name it in judgment explanations.
// A comparison on an unset or unreadable value is false (so `not` of it is true).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "appcore/forms/values.h"

namespace nanbyo::forms {

struct FormDefinition;

struct Condition {
  enum class Kind { All, Any, Not, Count, Compare, Filled };
  enum class Op { Eq, Ne, Lt, Le, Gt, Ge, In, Has };
  Kind kind = Kind::All;
  std::vector<Condition> children;  // All, Any, Not (one), Count
  std::size_t at_least = 0;         // Count
  std::optional<std::size_t> at_most;
  std::string field;  // Compare, Filled
  Op op = Op::Eq;
  std::vector<std::string> values;  // Compare operands (one, or several for In)
  bool filled = true;               // Filled
  std::string label;                // optional: how explanations name it
};

bool evaluate(const Condition& c, const FormDefinition& def, const FormValues& values);

// Japanese text of a condition, e.g. 「Hoehn-Yahr重症度分類」が「3度」以上.
std::string describe(const Condition& c, const FormDefinition& def);
// The leaves of `c` that make it false for `values` (what the doctor must look
// at); for a true condition, the leaves that make it true. An unlabelled all or
// any is opened: every child that agrees with it is explained on its own line.
std::vector<std::string> explain(const Condition& c, const FormDefinition& def,
                                 const FormValues& values);

}  // namespace nanbyo::forms
