#include "appcore/core/unicode_text.h"

#include <utf8proc.h>

#include <cstdlib>
#include <memory>

namespace nanbyo::appcore {
namespace {

void append_utf8(std::string& out, utf8proc_int32_t cp) {
  utf8proc_uint8_t buf[4];
  auto n = utf8proc_encode_char(cp, buf);
  out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
}

bool is_space(utf8proc_int32_t cp) {
  return cp == ' ' || cp == '\t' || cp == 0x3000;
}

}  // namespace

std::optional<std::string> nfkc(std::string_view text) {
  // ASCII is its own NFKC (most numbers and dates are typed in ASCII).
  bool ascii = true;
  for (unsigned char c : text) ascii = ascii && c < 0x80;
  if (ascii) return std::string(text);
  utf8proc_uint8_t* mapped = nullptr;
  const auto n = utf8proc_map(
      reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
      static_cast<utf8proc_ssize_t>(text.size()), &mapped,
      static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT));
  if (n < 0) return std::nullopt;
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owned(mapped, &std::free);
  return std::string(reinterpret_cast<const char*>(mapped), static_cast<std::size_t>(n));
}

KanaResult normalize_kana(std::string_view text) {
  auto folded = nfkc(text);
  if (!folded) return {"", "is not valid UTF-8"};
  KanaResult r;
  bool pending_space = false;
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(folded->data());
  auto left = static_cast<utf8proc_ssize_t>(folded->size());
  while (left > 0) {
    utf8proc_int32_t cp = 0;
    auto used = utf8proc_iterate(p, left, &cp);
    if (used <= 0) return {"", "is not valid UTF-8"};
    p += used;
    left -= used;
    if (is_space(cp)) {
      pending_space = !r.kana.empty();
      continue;
    }
    if (cp >= 0x3041 && cp <= 0x3096) cp += 0x60;  // hiragana → katakana
    if (cp == 0x309D || cp == 0x309E) cp += 0x60;  // ゝゞ → ヽヾ
    const bool katakana = (cp >= 0x30A1 && cp <= 0x30FA) || (cp >= 0x30FB && cp <= 0x30FE);
    if (!katakana) {
      const bool latin = (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z');
      return {"", latin ? "must be full-width katakana (Latin letters are refused)"
                        : "must be full-width katakana"};
    }
    if (pending_space) append_utf8(r.kana, 0x3000);
    pending_space = false;
    append_utf8(r.kana, cp);
  }
  return r;
}

std::string name_key(std::string_view name) {
  std::string folded = nfkc(name).value_or(std::string(name));
  std::string out;
  out.reserve(folded.size());
  for (char c : folded)
    if (c != ' ' && c != '\t') out.push_back(c);
  return out;
}

}  // namespace nanbyo::appcore
