// The three functions every entry path shares (web form, check tool, import):
// check (F-2), calculate (F-3) and judge (F-4). Pure functions of a definition
// and the values: no storage, no clock.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "appcore/forms/definition.h"
#include "appcore/forms/values.h"

namespace nanbyo::forms {

struct CheckMessage {
  enum class Severity {
    Error,    // malformed or out of range: the value cannot be stored as is
    Missing,  // a required item is empty: fine for a temporary save, not for registration
  };
  std::string field;   // field id, to highlight
  int row = -1;        // table row (0-based), -1 otherwise
  std::string column;  // table column id, "" otherwise
  Severity severity = Severity::Error;
  std::string text;  // Japanese, names the item by its label
};

std::vector<CheckMessage> check(const FormDefinition& def, const FormValues& values);
bool has_errors(const std::vector<CheckMessage>& messages);  // any Severity::Error

struct CalculationResult {
  std::string id, target, label;
  std::optional<std::string> value;  // formatted with the definition's decimals
  std::string note;                  // why there is no value (Japanese)
};
std::vector<CalculationResult> calculate(const FormDefinition& def, const FormValues& values);
// Fills every calculated field that has a value (the 自動入力 buttons, all at once).
void apply_calculations(const FormDefinition& def, FormValues& values);

struct JudgmentResult {
  std::string id, label;
  std::string computed, computed_label;  // the outcome the criteria give
  std::string entered, entered_label;    // what the doctor chose ("" if none)
  bool consistent = true;                // entered empty or equal to computed
  std::vector<std::string> messages;     // Japanese explanation lines when inconsistent
};
std::vector<JudgmentResult> judge(const FormDefinition& def, const FormValues& values);

// Shared value checks (also used by the XML reader's error texts).
bool is_iso_date(const std::string& s);
bool is_katakana(const std::string& s);
std::size_t utf8_length(const std::string& s);

}  // namespace nanbyo::forms
