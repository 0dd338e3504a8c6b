#include "pki/audit/audit_record.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace nanbyo::audit {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::array<std::string_view, 10> kFields = {
    "seq", "time", "event", "outcome", "actor", "subject", "source", "detail", "prev", "hash"};

// kebab-case ("tls-reject"); detail keys may also use '_' ("not_after").
bool is_name(std::string_view s, bool allow_underscore) {
  if (s.empty() || s.size() > kMaxNameBytes) return false;
  char before = '-';
  for (char c : s) {
    bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    bool sep = c == '-' || (allow_underscore && c == '_');
    if (!alnum && !sep) return false;
    if (sep && (before == '-' || before == '_')) return false;  // no leading or doubled separator
    before = c;
  }
  return before != '-' && before != '_';
}

bool is_hex_hash(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// Cuts text longer than kMaxTextBytes on a UTF-8 character boundary and marks it.
std::string cut(const std::string& text) {
  if (text.size() <= kMaxTextBytes) return text;
  std::size_t end = kMaxTextBytes - kTruncatedMark.size();
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end) + std::string(kTruncatedMark);
}

// For error messages, which are one line: printable ASCII only, short.
std::string printable(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, kMaxNameBytes)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  return out;
}

// SHA-256 in lower-case hex. OpenSSL's one-shot digest, so that this leaf library needs
// libcrypto and not the CA code's helpers.
std::string hash_of_body(std::string_view body) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (EVP_Digest(body.data(), body.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed");  // the impossible: libcrypto out of memory
  }
  constexpr std::string_view kDigits = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * size);
  for (unsigned int i = 0; i < size; ++i) {
    hex += kDigits[digest[i] >> 4];
    hex += kDigits[digest[i] & 0x0f];
  }
  return hex;
}

std::string hash_suffix(std::string_view hash) {
  return ",\"hash\":\"" + std::string(hash) + "\"}";
}

Result<std::string> text_field(const Json& j, const char* name) {
  const Json& v = j.at(name);
  if (!v.is_string()) return fail("field \"" + std::string(name) + "\" is not a string");
  return v.get<std::string>();
}

}  // namespace

std::string_view to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::Allow:
      return "allow";
    case Outcome::Deny:
      return "deny";
    case Outcome::Info:
      return "info";
  }
  return "info";
}

Result<SealedRecord> seal_record(std::uint64_t seq, TimePoint time, const AuditEvent& event,
                                 std::string_view prev_hash) {
  if (!is_name(event.event, false)) {
    return fail("audit event name \"" + printable(event.event) + "\" is not a kebab-case name");
  }
  if (event.detail.size() > kMaxDetailEntries) {
    return fail("audit event \"" + event.event + "\" has more than " +
                std::to_string(kMaxDetailEntries) + " detail entries");
  }
  Json detail = Json::object();
  for (const auto& [key, value] : event.detail) {
    if (!is_name(key, true)) {
      return fail("audit event \"" + event.event +
                  "\" has a detail key that is not kebab/snake case");
    }
    detail[key] = cut(value);
  }
  if (!is_hex_hash(prev_hash)) return fail("audit chain: previous hash is not 64 hex digits");

  Json j;
  j["seq"] = seq;
  j["time"] = format_utc(time);
  j["event"] = event.event;
  j["outcome"] = std::string(to_string(event.outcome));
  j["actor"] = cut(event.actor);
  j["subject"] = cut(event.subject);
  j["source"] = cut(event.source);
  j["detail"] = std::move(detail);
  j["prev"] = std::string(prev_hash);
  // ensure_ascii: the file stays 7-bit, so no newline, control or bidi character
  // can reach a reviewer's terminal; invalid UTF-8 becomes U+FFFD instead of throwing.
  std::string body = j.dump(-1, ' ', true, Json::error_handler_t::replace);

  std::string hash = hash_of_body(body);
  body.pop_back();  // the closing brace; the hash member goes last
  std::string line = body + hash_suffix(hash);

  // Read the line back so the caller sees exactly what was recorded.
  NANBYO_TRY(record, parse_record_line(line));
  return SealedRecord{std::move(record), std::move(line)};
}

Result<AuditRecord> parse_record_line(std::string_view line) {
  if (line.empty()) return fail("empty line");
  if (line.size() > kMaxLineBytes)
    return fail("longer than " + std::to_string(kMaxLineBytes) + " bytes");
  Json j = Json::parse(line.begin(), line.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return fail("malformed JSON");
  if (!j.is_object()) return fail("not a JSON object");
  for (std::string_view name : kFields) {
    if (!j.contains(name)) return fail("missing field \"" + std::string(name) + "\"");
  }
  if (j.size() != kFields.size()) {
    for (const auto& item : j.items()) {
      if (std::find(kFields.begin(), kFields.end(), item.key()) == kFields.end()) {
        return fail("unexpected field \"" + printable(item.key()) + "\"");
      }
    }
  }

  AuditRecord r;
  const Json& seq = j.at("seq");
  if (!seq.is_number_unsigned() || seq.get<std::uint64_t>() == 0) {
    return fail("field \"seq\" is not a positive integer");
  }
  r.seq = seq.get<std::uint64_t>();

  NANBYO_TRY(time, text_field(j, "time"));
  if (!parse_utc(time, r.time)) return fail("field \"time\" is not an ISO 8601 UTC time");

  NANBYO_TRY(event, text_field(j, "event"));
  if (!is_name(event, false)) return fail("field \"event\" is not a kebab-case name");
  r.event = std::move(event);

  NANBYO_TRY(outcome, text_field(j, "outcome"));
  if (outcome == "allow") {
    r.outcome = Outcome::Allow;
  } else if (outcome == "deny") {
    r.outcome = Outcome::Deny;
  } else if (outcome == "info") {
    r.outcome = Outcome::Info;
  } else {
    return fail("field \"outcome\" is not allow, deny or info");
  }

  NANBYO_TRY(actor, text_field(j, "actor"));
  NANBYO_TRY(subject, text_field(j, "subject"));
  NANBYO_TRY(source, text_field(j, "source"));
  r.actor = std::move(actor);
  r.subject = std::move(subject);
  r.source = std::move(source);

  const Json& detail = j.at("detail");
  if (!detail.is_object()) return fail("field \"detail\" is not an object");
  for (const auto& item : detail.items()) {
    if (!is_name(item.key(), true) || !item.value().is_string()) {
      return fail("field \"detail\" is not a map of names to strings");
    }
    r.detail.emplace(item.key(), item.value().get<std::string>());
  }

  NANBYO_TRY(prev, text_field(j, "prev"));
  NANBYO_TRY(hash, text_field(j, "hash"));
  if (!is_hex_hash(prev)) return fail("field \"prev\" is not 64 lower-case hex digits");
  if (!is_hex_hash(hash)) return fail("field \"hash\" is not 64 lower-case hex digits");
  r.prev = std::move(prev);
  r.hash = std::move(hash);
  return r;
}

bool hash_matches(std::string_view line, const AuditRecord& record) {
  std::string suffix = hash_suffix(record.hash);
  if (line.size() <= suffix.size() || !line.ends_with(suffix)) return false;
  std::string body(line.substr(0, line.size() - suffix.size()));
  body += '}';
  return hash_of_body(body) == record.hash;
}

}  // namespace nanbyo::audit
