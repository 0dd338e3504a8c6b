// The engine's operators, evaluated exactly on one value (issue 14 part 4), with a third
// answer, Unknown, wherever the prefilter cannot be sure: an Unknown counts as a match.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace nanbyo::gw::prefilter {

enum class Tri : std::uint8_t { False, True, Unknown };

inline Tri negate(Tri t) {
  return t == Tri::Unknown ? t : (t == Tri::True ? Tri::False : Tri::True);
}

// A pattern compiled as libmodsecurity 3.0.9 compiles @rx: PCRE2 with DOTALL and MULTILINE.
class Regex {
 public:
  // nullptr with `error` set when PCRE2 refuses the pattern.
  static std::shared_ptr<const Regex> compile(const std::string& pattern, std::string* error);
  ~Regex();
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;

  // Unknown when PCRE2 gives up (match or JIT stack limits). `groups` gets the whole match
  // and the capture groups when given.
  Tri search(std::string_view subject, std::vector<std::string>* groups = nullptr) const;

 private:
  Regex() = default;
  void* code_ = nullptr;  // pcre2_code_8
};

enum class OpKind : std::uint8_t {
  Rx,
  Pm,
  StrEq,
  Contains,
  BeginsWith,
  EndsWith,
  Within,
  Eq,
  Ge,
  Gt,
  Le,
  Lt,
  ValidateByteRange,
  ValidateUrlEncoding,
  ValidateUtf8Encoding,
  DetectSqli,
  DetectXss,
  Unconditional,
  NoMatch,
  Unmodelled,  // @geoLookup, @rbl, @ipMatch, @containsWord...: always Unknown
};

OpKind operator_named(const std::string& name);

// The operator, not negated, on one value. `param` has its macros expanded; `regex` is
// the compiled parameter of @rx, `phrases` the lower-cased list of @pm/@pmFromFile.
Tri apply_operator(OpKind op, std::string_view param, const Regex* regex,
                   const std::vector<std::string>& phrases, std::string_view value,
                   std::vector<std::string>* groups);

}  // namespace nanbyo::gw::prefilter
