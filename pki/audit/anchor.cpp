#include "pki/audit/anchor.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <optional>

namespace nanbyo::audit {
namespace {

bool parse_seq(std::string_view text, std::uint64_t& out) {
  if (text.empty() || text.size() > 19) return false;
  out = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return true;
}

// One journal entry of `journalctl -o json`; nullopt when it is not an anchor.
Result<std::optional<Anchor>> anchor_from_journal(std::string_view line) {
  auto json = nlohmann::json::parse(line, nullptr, false);
  if (json.is_discarded() || !json.is_object()) return fail("not a JSON object");
  auto text = [&](const char* key) -> std::string {
    auto it = json.find(key);
    return it != json.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  if (text("NANBYO_AUDIT_HASH").empty()) return std::optional<Anchor>();
  Anchor anchor;
  NANBYO_TRY(hash, parse_anchor_hash(text("NANBYO_AUDIT_HASH")));
  anchor.hash = std::move(hash);
  if (!parse_seq(text("NANBYO_AUDIT_SEQ"), anchor.seq))
    return fail("NANBYO_AUDIT_SEQ is not a number");
  anchor.file = text("NANBYO_AUDIT_FILE");
  return std::optional<Anchor>(std::move(anchor));
}

Result<Anchor> anchor_from_words(std::string_view line) {
  Anchor anchor;
  auto space = line.find(' ');
  if (space != std::string_view::npos) {
    if (!parse_seq(line.substr(0, space), anchor.seq)) return fail("expected \"SEQ HASH\" or HASH");
    line.remove_prefix(space + 1);
  }
  NANBYO_TRY(hash, parse_anchor_hash(line));
  anchor.hash = std::move(hash);
  return anchor;
}

}  // namespace

Result<std::string> parse_anchor_hash(std::string_view text) {
  std::string hash(text);
  std::transform(hash.begin(), hash.end(), hash.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  bool hex = hash.size() == 64 && std::all_of(hash.begin(), hash.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
             });
  if (!hex) return fail("the audit anchor is not a SHA-256 hash (64 hex digits)");
  return hash;
}

Result<std::vector<Anchor>> parse_anchors(std::string_view text) {
  std::vector<Anchor> out;
  std::size_t number = 0;
  while (!text.empty()) {
    auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    ++number;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    if (line.empty() || line.front() == '#') continue;
    const std::string at = "anchors line " + std::to_string(number) + ": ";
    if (line.front() == '{') {
      auto anchor = anchor_from_journal(line);
      if (!anchor) return fail(at + anchor.error().message);
      if (*anchor) out.push_back(std::move(**anchor));
    } else {
      auto anchor = anchor_from_words(line);
      if (!anchor) return fail(at + anchor.error().message);
      out.push_back(std::move(*anchor));
    }
  }
  return out;
}

}  // namespace nanbyo::audit
