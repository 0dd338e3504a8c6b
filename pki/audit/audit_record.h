// One audit record: who did what, when, from where, and with what outcome,
// chained to the record before it by SHA-256 (S-7, O-2).
//
// A record is one line of JSON with a fixed key order:
//   {"seq":..,"time":..,"event":..,"outcome":..,"actor":..,"subject":..,
//    "source":..,"detail":{..},"prev":..,"hash":..}
// `hash` is the lower-case hex SHA-256 of the exact bytes of the line without
// its `,"hash":".."` member; `prev` is the previous record's hash (the genesis
// value, 64 zeros, for the first record of a file). Every string is escaped to
// ASCII, so a record never spans lines and holds no terminal control or
// bidirectional-override characters, whatever a hostile peer put in it.
//
// NEVER put a secret in a record: no password, PIN, key, PKCS#12 password,
// session cookie or token, not even hashed. Name the thing instead (a serial,
// a user id, a key id).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "pki/clock.h"
#include "pki/result.h"

namespace nanbyo::audit {

enum class Outcome { Allow, Deny, Info };
std::string_view to_string(Outcome outcome);  // "allow" | "deny" | "info"

// What a caller reports; the log adds the sequence number, the time and the chain.
struct AuditEvent {
  std::string event;  // kebab-case name, e.g. "tls-reject", "login", "revoke"
  Outcome outcome = Outcome::Info;
  std::string actor;    // certificate serial, user id or "operator"
  std::string subject;  // whose data, which serial
  std::string source;   // peer address, terminal, hospital number (医療機関番号)
  // Flat facts, e.g. {"check", "crl"}. Keys are kebab- or snake-case.
  std::map<std::string, std::string> detail;
};

struct AuditRecord : AuditEvent {
  std::uint64_t seq = 0;  // 1 for the first record of a file
  TimePoint time;
  std::string prev;  // hex SHA-256 of the previous line
  std::string hash;  // hex SHA-256 of this line without its hash member
};

// Limits. Over-long text is cut (and marked) rather than refused, so that a
// security decision is never lost because a peer sent a long name.
inline constexpr std::size_t kMaxTextBytes = 1024;  // each string value
inline constexpr std::size_t kMaxNameBytes = 64;    // event name, detail key
inline constexpr std::size_t kMaxDetailEntries = 32;
inline constexpr std::size_t kMaxLineBytes = 1 << 20;  // readers refuse longer lines
inline constexpr std::string_view kTruncatedMark = "...(truncated)";
inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// A record and its line (without the trailing newline).
struct SealedRecord {
  AuditRecord record;
  std::string line;
};

// Builds record `seq` after `prev_hash`. Fails only for a programming error:
// an event name or detail key that is not kebab/snake case, or too many details.
// The returned record holds exactly what the line says (long text cut, invalid
// UTF-8 replaced by U+FFFD).
Result<SealedRecord> seal_record(std::uint64_t seq, TimePoint time, const AuditEvent& event,
                                 std::string_view prev_hash);

// Parses one line (without its newline). Checks the structure only; the error
// message is the reason, e.g. "malformed JSON" or "missing field \"seq\"".
Result<AuditRecord> parse_record_line(std::string_view line);

// True when `line` ends with `record.hash` as its last member and that hash is
// the SHA-256 of the rest of the line.
bool hash_matches(std::string_view line, const AuditRecord& record);

}  // namespace nanbyo::audit
