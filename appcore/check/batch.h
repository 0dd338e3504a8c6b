// The encrypted batch of F-9: what nanbyo-check writes and the upload opens.
// Plaintext is JSON (docs/forms-xml.md):
//   {"format":"nanbyo-forms-batch","format_version":1,"tool_version":"1.0.0",
//    "user_id":"A0000001","created_at":"…Z","forms":[{"file","ref","definition","xml"}]}
// sealed with the user's key file (pki seal_with_key: AES-256-GCM, key id in
// the header), so the server finds the key, refuses a revoked one, and any
// flipped byte fails to open.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pki/clock.h"
#include "pki/result.h"
#include "pki/user_key_file.h"

namespace nanbyo::check {

// This tool's version, written into every batch. The server refuses batches
// from a version older than its minimum (naming the version needed).
inline constexpr const char* kToolVersion = "1.0.0";

struct BatchForm {
  std::string file;        // the XML file it came from
  std::string ref;         // the hospital system's reference
  std::string definition;  // form definition id
  std::string xml;         // the form re-written in the canonical layout
};

struct Batch {
  std::string tool_version = kToolVersion;
  std::string user_id;
  std::string created_at;
  std::vector<BatchForm> forms;
};

std::string encode_batch(const Batch& batch);
// Refuses anything but this format (bounded: at most kMaxBatchForms forms).
Result<Batch> decode_batch(std::string_view json);
inline constexpr std::size_t kMaxBatchForms = 100'000;

Result<std::string> seal_batch(const Batch& batch, const pki::UserKey& key, TimePoint now);

// Semantic version comparison "1.2.10" vs "1.10.0": <0, 0, >0; nullopt when unreadable.
std::optional<int> compare_versions(std::string_view a, std::string_view b);

}  // namespace nanbyo::check
