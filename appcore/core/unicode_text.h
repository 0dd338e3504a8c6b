// Unicode folding of typed and uploaded text (ID-1, ID-2) through libutf8proc:
// NFKC for numbers, dates and kana, and the comparison key of names.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace nanbyo::appcore {

// NFKC (compatibility composition): full-width digits and Latin letters become
// ASCII, half-width katakana full-width, the ideographic space an ASCII space.
// nullopt when `text` is not UTF-8.
std::optional<std::string> nfkc(std::string_view text);

// 氏名カナ as stored: full-width katakana (NFKC folds half-width katakana;
// hiragana is converted to katakana), spaces folded to one ideographic space.
// Latin letters, digits and other scripts are refused.
struct KanaResult {
  std::string kana;   // when error is empty
  std::string error;  // English reason, e.g. "must be full-width katakana"
};
KanaResult normalize_kana(std::string_view text);

// Two spellings of one name compare equal: NFKC, without any spaces.
std::string name_key(std::string_view name);

}  // namespace nanbyo::appcore
