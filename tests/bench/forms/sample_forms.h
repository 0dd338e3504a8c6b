// Realistic filled forms of the five sample diseases for the forms benchmark:
// distinct patients (name, kana, birth date, insured number, address) and
// clinical items varied within each definition's choices and ranges, with the
// doctor's entered judgments matching the criteria, as a hospital system or a
// doctor would send them.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "appcore/forms/catalog.h"
#include "appcore/forms/values.h"

namespace nanbyo::bench {

// Japanese names (kanji, katakana) the generated patients are given.
struct PersonName {
  const char* kanji;
  const char* kana;
};
std::span<const PersonName> family_names();
std::span<const PersonName> given_names(bool female);

// The five shipped sample definitions, in a fixed order.
const std::vector<std::string>& sample_definitions();

// A complete form (no check message) for patient number `patient` (any value;
// the same number gives the same form).
forms::FormValues sample_form(const forms::FormDefinition& def, std::size_t patient);

// Typical entry mistakes, each a check error that blocks registration: kana
// typed in hiragana, an impossible date, a value outside the choices.
// `how` picks one (0..2); kAllErrors applies all three.
inline constexpr int kAllErrors = -1;
void add_entry_errors(forms::FormValues& values, int how);

// Leaves out a required item (記載年月日): a Missing message, so the upload
// keeps the form as a draft instead of registering it.
void drop_required_item(forms::FormValues& values);

}  // namespace nanbyo::bench
