// Anchors (issue 17, S-7, O-2): the end of the chain (file, seq, last hash)
// exported where an intruder who edits the audit files cannot rewrite it, the
// systemd journal. Verifying against anchors catches what the chain alone
// cannot: records cut off the end, and a set rewritten with fresh hashes.
//
// The writer sends one journal entry per anchor, at a fixed interval and on
// every rotation, with MESSAGE_ID=kAnchorMessageId and the fields
// NANBYO_AUDIT_FILE, NANBYO_AUDIT_SEQ, NANBYO_AUDIT_HASH, NANBYO_AUDIT_REASON.
// An operator hands them back to the verifier:
//   journalctl -o json MESSAGE_ID=<kAnchorMessageId> | nanbyoctl audit verify DIR --anchors -
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pki/audit/audit_log.h"
#include "pki/result.h"

namespace nanbyo::audit {

inline constexpr std::string_view kAnchorMessageId = "8d1c6e0a4f7b4d2e9a35c0f1b6e27d49";

struct Anchor {
  std::uint64_t seq = 0;  // 0: unknown (an anchor given as a bare hash)
  std::string hash;       // 64 lower-case hex digits
  std::string file;       // the live file's name when exported; informative
};

// Reads anchors, one a line: a `journalctl -o json` object carrying the
// NANBYO_AUDIT_* fields (other objects are skipped), "SEQ HASH", or a bare
// HASH. Blank lines and lines starting with '#' are skipped. Errors name the line.
Result<std::vector<Anchor>> parse_anchors(std::string_view text);

// Lower-cases `text` and checks it is a SHA-256 in hex.
Result<std::string> parse_anchor_hash(std::string_view text);

// Where a writer sends its anchors. A seam: the journal in production, a list in tests.
class AnchorExporter {
 public:
  virtual ~AnchorExporter() = default;
  // `reason`: "interval", "rotation", "start" or "stop".
  virtual void export_anchor(const ChainPosition& position, std::string_view reason) = 0;
};

// Sends anchors to the systemd journal (sd_journal_send) as `program`.
std::unique_ptr<AnchorExporter> make_journal_anchor_exporter(std::string program);

}  // namespace nanbyo::audit
