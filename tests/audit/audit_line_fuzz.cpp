// libFuzzer target: the audit record line parser (a log file may have been
// tampered with, and verification must survive whatever it holds).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "pki/audit/audit_record.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view line(reinterpret_cast<const char*>(data), size);
  auto record = nanbyo::audit::parse_record_line(line);
  if (!record) return 0;
  // Anything accepted re-seals into a line that parses back to the same chain position.
  auto sealed = nanbyo::audit::seal_record(record->seq, record->time, *record, record->prev);
  if (sealed && (sealed->record.seq != record->seq || sealed->record.prev != record->prev)) {
    std::abort();
  }
  (void)nanbyo::audit::hash_matches(line, *record);
  return 0;
}
