// The engine's transformations as the prefilter applies them (issue 14 part 4). Each is
// either exact (the same bytes libmodsecurity 3.0.9 produces, checked against the engine by
// tests/gateway_unit/prefilter_transform_test.cpp) or exact only on input without its
// trigger bytes: a value that holds them is "opaque", and the request goes to the engine.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace nanbyo::gw::prefilter {

enum class Transform {
  Lowercase,
  Uppercase,
  RemoveNulls,
  ReplaceNulls,
  CompressWhitespace,
  RemoveWhitespace,
  Trim,
  TrimLeft,
  TrimRight,
  CmdLine,
  Length,
  UrlDecode,         // exact without '%'
  UrlDecodeUni,      // exact without '%'
  HtmlEntityDecode,  // exact without '&'
  JsDecode,          // exact without '\'
  CssDecode,         // exact without '\'
  EscapeSeqDecode,   // exact without '\'
  Utf8ToUnicode,     // exact on 7-bit input
  NormalisePath,     // exact without "/.", "./", "//"
  NormalisePathWin,  // the same and no '\'
  ReplaceComments,   // exact without "/*", "*/"
  RemoveComments,    // exact without any comment opener
  Base64Decode,      // exact but on whitespace
  PlusToSpace,       // URL decoding of a value without '%' (the prefilter's own)
  Opaque,            // any other: never exact
};

// The transformation named in a rule ("urlDecodeUni", case-insensitive); Opaque for one
// the prefilter does not model.
Transform transform_named(const std::string& name);

// Applies `chain` to `value` in order; false when the result is not known exactly.
bool apply_transforms(const std::vector<Transform>& chain, std::string& value);

// The bytes on which a decoding transformation (URL, HTML, JavaScript, CSS, UTF-8, path,
// comments, NUL removal) acts, as bits. Without them in a value, the transformation
// leaves it as it is (URL decoding still turns '+' into a space).
enum Trigger : unsigned {
  kPercent = 1,       // '%'
  kAmpersand = 2,     // '&'
  kBackslash = 4,     // '\'
  kHighByte = 8,      // >= 0x80
  kNul = 16,          // '\0'
  kPathStep = 32,     // "/.", "./", "//", "..", or a dot at either end
  kCommentC = 64,     // "/*", "*/"
  kCommentAny = 128,  // "/*", "*/", "--", "#", "<!--"
};

// The triggers present in a value.
unsigned triggers_in(const std::string& value);

// A chain as it acts on values without its `triggers`: the decoding transformations left
// out (URL decoding kept as '+' to space); with `caseless`, also without a lower-casing
// that the rest commutes with, which a caseless pattern then covers. Chains that differ
// only in those are one chain on such values. nullopt when a transformation before a
// decoding one could create what it decodes ("/ *" -> removeWhitespace -> "/*" ->
// replaceComments): then only the whole chain is exact.
struct PlainChain {
  std::vector<Transform> chain;
  unsigned triggers = 0;
  bool caseless = false;
};
std::optional<PlainChain> plain_chain(const std::vector<Transform>& chain);

}  // namespace nanbyo::gw::prefilter
