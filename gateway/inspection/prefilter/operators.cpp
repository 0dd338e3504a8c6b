#include "gateway/inspection/prefilter/operators.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <algorithm>

#include <cstdlib>
#include "gateway/inspection/prefilter/ascii.h"

// libinjection, the engine's @detectSQLi/@detectXSS: libmodsecurity3 carries it and exports
// its entry points, so the prefilter calls the very code the engine calls.
extern "C" {
int libinjection_sqli(const char* s, std::size_t slen, char fingerprint[]);
int libinjection_xss(const char* s, std::size_t slen);
}

namespace nanbyo::gw::prefilter {

namespace {

pcre2_code* as_code(void* p) {
  return static_cast<pcre2_code*>(p);
}

// One match block per thread, large enough for CRS's patterns' groups.
pcre2_match_data* thread_match_data() {
  struct Holder {
    pcre2_match_data* data = pcre2_match_data_create(32, nullptr);
    ~Holder() { pcre2_match_data_free(data); }
  };
  thread_local Holder holder;
  return holder.data;
}

// The engine reads numbers with atoi(): leading digits, 0 for none.
long number(std::string_view s) {
  return std::atol(std::string(s).c_str());
}

bool hex(char c) {
  return std::isxdigit(static_cast<unsigned char>(c)) != 0;
}

// "1-255", "32-126,9": true when some byte falls outside every range.
Tri outside_byte_ranges(std::string_view ranges, std::string_view value) {
  bool allowed[256] = {};
  std::size_t start = 0;
  while (start < ranges.size()) {
    auto end = ranges.find(',', start);
    if (end == std::string_view::npos) end = ranges.size();
    std::string item(ranges.substr(start, end - start));
    item.erase(std::remove(item.begin(), item.end(), ' '), item.end());
    if (!item.empty()) {
      const auto dash = item.find('-');
      const long lo = std::atol(item.substr(0, dash).c_str());
      const long hi = dash == std::string::npos ? lo : std::atol(item.substr(dash + 1).c_str());
      if (lo < 0 || hi > 255 || lo > hi) return Tri::Unknown;
      for (long b = lo; b <= hi; ++b) allowed[b] = true;
    }
    start = end + 1;
  }
  for (unsigned char c : value) {
    if (!allowed[c]) return Tri::True;
  }
  return Tri::False;
}

Tri invalid_url_encoding(std::string_view v) {
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] != '%') continue;
    if (i + 2 >= v.size() || !hex(v[i + 1]) || !hex(v[i + 2])) return Tri::True;
    i += 2;
  }
  return Tri::False;
}

}  // namespace

std::shared_ptr<const Regex> Regex::compile(const std::string& pattern, std::string* error) {
  int code = 0;
  PCRE2_SIZE offset = 0;
  const std::string& text = pattern.empty() ? std::string(".*") : pattern;
  pcre2_code* compiled = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(),
                                       PCRE2_DOTALL | PCRE2_MULTILINE, &code, &offset, nullptr);
  if (!compiled) {
    PCRE2_UCHAR message[256];
    pcre2_get_error_message(code, message, sizeof message);
    if (error) *error = reinterpret_cast<const char*>(message);
    return nullptr;
  }
  pcre2_jit_compile(compiled, PCRE2_JIT_COMPLETE);
  auto regex = std::shared_ptr<Regex>(new Regex());
  regex->code_ = compiled;
  return regex;
}

Regex::~Regex() {
  pcre2_code_free(as_code(code_));
}

Tri Regex::search(std::string_view subject, std::vector<std::string>* groups) const {
  pcre2_match_data* data = thread_match_data();
  const int rc = pcre2_match(as_code(code_), reinterpret_cast<PCRE2_SPTR>(subject.data()),
                             subject.size(), 0, 0, data, nullptr);
  if (rc == PCRE2_ERROR_NOMATCH) return Tri::False;
  if (rc < 0) return Tri::Unknown;
  if (groups) {
    groups->clear();
    const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(data);
    const int count = rc == 0 ? 32 : rc;
    for (int i = 0; i < count; ++i) {
      if (ovector[2 * i] == PCRE2_UNSET) {
        groups->emplace_back();
      } else {
        groups->emplace_back(subject.substr(ovector[2 * i], ovector[2 * i + 1] - ovector[2 * i]));
      }
    }
  }
  return Tri::True;
}

OpKind operator_named(const std::string& name) {
  static const std::pair<const char*, OpKind> kNames[] = {
      {"rx", OpKind::Rx},
      {"pm", OpKind::Pm},
      {"pmfromfile", OpKind::Pm},
      {"pmf", OpKind::Pm},
      {"streq", OpKind::StrEq},
      {"contains", OpKind::Contains},
      {"beginswith", OpKind::BeginsWith},
      {"endswith", OpKind::EndsWith},
      {"within", OpKind::Within},
      {"eq", OpKind::Eq},
      {"ge", OpKind::Ge},
      {"gt", OpKind::Gt},
      {"le", OpKind::Le},
      {"lt", OpKind::Lt},
      {"validatebyterange", OpKind::ValidateByteRange},
      {"validateurlencoding", OpKind::ValidateUrlEncoding},
      {"validateutf8encoding", OpKind::ValidateUtf8Encoding},
      {"detectsqli", OpKind::DetectSqli},
      {"detectxss", OpKind::DetectXss},
      {"unconditionalmatch", OpKind::Unconditional},
      {"nomatch", OpKind::NoMatch},
  };
  std::string lowered = name;
  std::transform(lowered.begin(), lowered.end(), lowered.begin(), ascii_lower);
  for (const auto& [n, op] : kNames) {
    if (lowered == n) return op;
  }
  return OpKind::Unmodelled;
}

Tri apply_operator(OpKind op, std::string_view param, const Regex* regex,
                   const std::vector<std::string>& phrases, std::string_view value,
                   std::vector<std::string>* groups) {
  auto truth = [](bool b) { return b ? Tri::True : Tri::False; };
  switch (op) {
    case OpKind::Rx:
      return regex ? regex->search(value, groups) : Tri::Unknown;
    case OpKind::Pm: {
      std::string lowered(value);
      std::transform(lowered.begin(), lowered.end(), lowered.begin(), ascii_lower);
      return truth(std::any_of(phrases.begin(), phrases.end(), [&](const std::string& p) {
        return lowered.find(p) != std::string::npos;
      }));
    }
    case OpKind::StrEq:
      return truth(value == param);
    case OpKind::Contains:
      return truth(value.find(param) != std::string_view::npos);
    case OpKind::BeginsWith:
      return truth(value.substr(0, param.size()) == param);
    case OpKind::EndsWith:
      return truth(value.size() >= param.size() &&
                   value.substr(value.size() - param.size()) == param);
    case OpKind::Within:
      return truth(param.find(value) != std::string_view::npos);
    case OpKind::Eq:
      return truth(number(value) == number(param));
    case OpKind::Ge:
      return truth(number(value) >= number(param));
    case OpKind::Gt:
      return truth(number(value) > number(param));
    case OpKind::Le:
      return truth(number(value) <= number(param));
    case OpKind::Lt:
      return truth(number(value) < number(param));
    case OpKind::ValidateByteRange:
      return outside_byte_ranges(param, value);
    case OpKind::ValidateUrlEncoding:
      return invalid_url_encoding(value);
    case OpKind::ValidateUtf8Encoding:
      // 7-bit text is valid UTF-8; the engine's judgement of the rest is not modelled.
      return std::all_of(value.begin(), value.end(),
                         [](char c) { return static_cast<unsigned char>(c) < 0x80; })
                 ? Tri::False
                 : Tri::Unknown;
    case OpKind::DetectSqli: {
      char fingerprint[8] = {};
      return truth(libinjection_sqli(value.data(), value.size(), fingerprint) != 0);
    }
    case OpKind::DetectXss:
      return truth(libinjection_xss(value.data(), value.size()) != 0);
    case OpKind::Unconditional:
      return Tri::True;
    case OpKind::NoMatch:
      return Tri::False;
    case OpKind::Unmodelled:
      return Tri::Unknown;
  }
  return Tri::Unknown;
}

}  // namespace nanbyo::gw::prefilter
