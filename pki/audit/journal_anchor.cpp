// The journal half of anchor.h: one structured entry per anchor.
#include <systemd/sd-journal.h>

#include <string>

#include "pki/audit/anchor.h"

namespace nanbyo::audit {
namespace {

class JournalAnchorExporter final : public AnchorExporter {
 public:
  explicit JournalAnchorExporter(std::string program) : program_(std::move(program)) {}

  void export_anchor(const ChainPosition& position, std::string_view reason) override {
    const std::string file = position.file.filename().string();
    const std::string seq = std::to_string(position.seq);
    const std::string why(reason);
    const std::string message =
        "audit anchor: " + file + " seq " + seq + " hash " + position.hash + " (" + why + ")";
    // Without a journal (tests, containers) the entry is lost; the chain is not.
    sd_journal_send("MESSAGE=%s", message.c_str(), "MESSAGE_ID=%s",
                    std::string(kAnchorMessageId).c_str(), "PRIORITY=6", "SYSLOG_IDENTIFIER=%s",
                    program_.c_str(), "NANBYO_AUDIT_FILE=%s", position.file.c_str(),
                    "NANBYO_AUDIT_SEQ=%s", seq.c_str(), "NANBYO_AUDIT_HASH=%s",
                    position.hash.c_str(), "NANBYO_AUDIT_REASON=%s", why.c_str(), nullptr);
  }

 private:
  const std::string program_;
};

}  // namespace

std::unique_ptr<AnchorExporter> make_journal_anchor_exporter(std::string program) {
  return std::make_unique<JournalAnchorExporter>(std::move(program));
}

}  // namespace nanbyo::audit
