#include "gateway/inspection/prefilter/transforms.h"

#include <algorithm>

#include <array>
#include <utility>
#include "gateway/inspection/prefilter/ascii.h"

namespace nanbyo::gw::prefilter {

namespace {

bool has_high_byte(const std::string& s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

bool contains_any(const std::string& s, std::initializer_list<const char*> needles) {
  return std::any_of(needles.begin(), needles.end(),
                     [&](const char* n) { return s.find(n) != std::string::npos; });
}

// isspace() in the "C" locale, which the engine's transformations use.
bool c_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

void compress_whitespace(std::string& s) {
  std::string out;
  bool in_space = false;
  for (char c : s) {
    if (c_space(c)) {
      if (!in_space) out += ' ';
      in_space = true;
    } else {
      out += c;
      in_space = false;
    }
  }
  s = std::move(out);
}

// The shell normalisation of CRS's command rules: quotes, backslashes and carets removed,
// separators to one space, no space before '/' or '(', lower case.
void cmd_line(std::string& s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    switch (c) {
      case '"':
      case '\'':
      case '\\':
      case '^':
        break;
      case ' ':
      case ',':
      case ';':
      case '\t':
      case '\r':
      case '\n':
        if (!space) out += ' ';
        space = true;
        break;
      case '/':
      case '(':
        if (space) out.pop_back();
        space = false;
        out += c;
        break;
      default:
        out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        space = false;
    }
  }
  s = std::move(out);
}

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// The engine decodes with mbedTLS and yields "" for input it refuses (a character outside
// the alphabet, a length that is no multiple of 4, misplaced padding). Whitespace, which
// mbedTLS treats specially, is left to the engine.
bool base64_decode(std::string& s) {
  if (std::any_of(s.begin(), s.end(),
                  [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; })) {
    return false;
  }
  if (s.empty()) return true;
  if (s.size() % 4 != 0) {
    s.clear();
    return true;
  }
  std::size_t pad = 0;
  while (pad < 2 && s[s.size() - 1 - pad] == '=') ++pad;
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (std::size_t i = 0; i < s.size() - pad; ++i) {
    const int v = base64_value(s[i]);
    if (v < 0) {
      s.clear();
      return true;
    }
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xff);
    }
  }
  s = std::move(out);
  return true;
}

void trim_left(std::string& s) {
  std::size_t i = 0;
  while (i < s.size() && c_space(s[i])) ++i;
  s.erase(0, i);
}

void trim_right(std::string& s) {
  while (!s.empty() && c_space(s.back())) s.pop_back();
}

unsigned trigger_of(Transform t) {
  switch (t) {
    case Transform::UrlDecode:
    case Transform::UrlDecodeUni:
      return kPercent;
    case Transform::HtmlEntityDecode:
      return kAmpersand;
    case Transform::JsDecode:
    case Transform::CssDecode:
    case Transform::EscapeSeqDecode:
      return kBackslash;
    case Transform::Utf8ToUnicode:
      return kHighByte;
    case Transform::NormalisePath:
      return kPathStep;
    case Transform::NormalisePathWin:
      return kPathStep | kBackslash;
    case Transform::ReplaceComments:
      return kCommentC;
    case Transform::RemoveComments:
      return kCommentAny;
    default:
      return 0;
  }
}

// The decoding transformations: they change only values holding their triggers.
bool decoding(Transform t) {
  return trigger_of(t) != 0;
}

// Transformations that cannot join or trim bytes into a trigger of a later decoding one
// (removeNulls can: "/\0*"; but a NUL is itself a trigger of the chain that drops it).
bool keeps_triggers_apart(Transform t) {
  return t == Transform::Lowercase || t == Transform::Uppercase || t == Transform::RemoveNulls ||
         t == Transform::ReplaceNulls || t == Transform::CompressWhitespace || decoding(t);
}

}  // namespace

unsigned triggers_in(const std::string& s) {
  unsigned t = 0;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80) t |= kHighByte;
    if (c == '%') t |= kPercent;
    if (c == '&') t |= kAmpersand;
    if (c == '\\') t |= kBackslash;
    if (c == '\0') t |= kNul;
    if (c == '#') t |= kCommentAny;
  }
  // Path normalisation also acts on a dot segment without slashes ("x .." -> "").
  if (contains_any(s, {"/.", "./", "//", ".."}) ||
      (!s.empty() && (s.front() == '.' || s.back() == '.'))) {
    t |= kPathStep;
  }
  if (contains_any(s, {"/*", "*/"})) t |= kCommentC | kCommentAny;
  if (contains_any(s, {"--", "<!--"})) t |= kCommentAny;
  return t;
}

std::optional<PlainChain> plain_chain(const std::vector<Transform>& chain) {
  PlainChain out;
  bool joined = false;   // some earlier transformation may have joined bytes
  bool decoded = false;  // base64Decode may have made any byte
  for (Transform t : chain) {
    if (decoding(t)) {
      if (joined) return std::nullopt;
      out.triggers |= trigger_of(t);
      if (t == Transform::UrlDecode || t == Transform::UrlDecodeUni) {
        out.chain.push_back(Transform::PlusToSpace);
      }
      continue;
    }
    if (!keeps_triggers_apart(t)) joined = true;
    if (t == Transform::Base64Decode) decoded = true;
    if (!decoded && (t == Transform::RemoveNulls || t == Transform::ReplaceNulls)) {
      out.triggers |= kNul;
      continue;
    }
    out.chain.push_back(t);
  }
  const auto commutes = [](Transform t) {
    return t == Transform::Lowercase || t == Transform::CompressWhitespace ||
           t == Transform::RemoveWhitespace || t == Transform::Trim || t == Transform::TrimLeft ||
           t == Transform::TrimRight || t == Transform::CmdLine || t == Transform::PlusToSpace;
  };
  if (std::find(out.chain.begin(), out.chain.end(), Transform::Lowercase) != out.chain.end() &&
      std::all_of(out.chain.begin(), out.chain.end(), commutes)) {
    std::erase(out.chain, Transform::Lowercase);
    out.caseless = true;
  }
  // Repeated '+' to space changes nothing more.
  out.chain.erase(
      std::unique(out.chain.begin(), out.chain.end(),
                  [](Transform a, Transform b) { return a == Transform::PlusToSpace && b == a; }),
      out.chain.end());
  return out;
}

Transform transform_named(const std::string& name) {
  static const std::pair<const char*, Transform> kNames[] = {
      {"lowercase", Transform::Lowercase},
      {"uppercase", Transform::Uppercase},
      {"removenulls", Transform::RemoveNulls},
      {"replacenulls", Transform::ReplaceNulls},
      {"compresswhitespace", Transform::CompressWhitespace},
      {"removewhitespace", Transform::RemoveWhitespace},
      {"trim", Transform::Trim},
      {"trimleft", Transform::TrimLeft},
      {"trimright", Transform::TrimRight},
      {"cmdline", Transform::CmdLine},
      {"length", Transform::Length},
      {"urldecode", Transform::UrlDecode},
      {"urldecodeuni", Transform::UrlDecodeUni},
      {"htmlentitydecode", Transform::HtmlEntityDecode},
      {"jsdecode", Transform::JsDecode},
      {"cssdecode", Transform::CssDecode},
      {"escapeseqdecode", Transform::EscapeSeqDecode},
      {"utf8tounicode", Transform::Utf8ToUnicode},
      {"normalisepath", Transform::NormalisePath},
      {"normalizepath", Transform::NormalisePath},
      {"normalisepathwin", Transform::NormalisePathWin},
      {"normalizepathwin", Transform::NormalisePathWin},
      {"replacecomments", Transform::ReplaceComments},
      {"removecomments", Transform::RemoveComments},
      {"removecommentschar", Transform::RemoveComments},
      {"base64decode", Transform::Base64Decode},
  };
  std::string lower = name;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const auto& [n, t] : kNames) {
    if (lower == n) return t;
  }
  return Transform::Opaque;
}

bool apply_transforms(const std::vector<Transform>& chain, std::string& s) {
  for (Transform t : chain) {
    switch (t) {
      case Transform::Lowercase:
        for (auto& c : s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        break;
      case Transform::Uppercase:
        for (auto& c : s) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
        break;
      case Transform::RemoveNulls:
        s.erase(std::remove(s.begin(), s.end(), '\0'), s.end());
        break;
      case Transform::ReplaceNulls:
        std::replace(s.begin(), s.end(), '\0', ' ');
        break;
      case Transform::CompressWhitespace:
        if (has_high_byte(s)) return false;  // the engine also counts 0xA0 as a space
        compress_whitespace(s);
        break;
      case Transform::RemoveWhitespace:
        if (has_high_byte(s)) return false;
        s.erase(std::remove_if(s.begin(), s.end(), c_space), s.end());
        break;
      case Transform::Trim:
        trim_left(s);
        trim_right(s);
        break;
      case Transform::TrimLeft:
        trim_left(s);
        break;
      case Transform::TrimRight:
        trim_right(s);
        break;
      case Transform::CmdLine:
        cmd_line(s);
        break;
      case Transform::Length:
        s = std::to_string(s.size());
        break;
      default:
        // A decoding: exact only where it has nothing to act on.
        if (!decoding(t) || (triggers_in(s) & trigger_of(t))) return false;
        if (t == Transform::UrlDecode || t == Transform::UrlDecodeUni) {
          std::replace(s.begin(), s.end(), '+', ' ');
        }
        break;
      case Transform::Base64Decode:
        if (!base64_decode(s)) return false;
        break;
      case Transform::PlusToSpace:
        std::replace(s.begin(), s.end(), '+', ' ');
        break;
      case Transform::Opaque:
        return false;
    }
  }
  return true;
}

}  // namespace nanbyo::gw::prefilter
