// The audit stage (issue 17, S-7, O-2): with audit.on_failure: refuse in the policy, a
// request gets 503 while the audit log cannot be written (full or read-only disk), the
// VPN's login included: no service that leaves no record. The default, continue, serves
// on and the writer keeps the records to retry them (pki/audit/queued_sink.h).
#pragma once

#include "gateway/stages/request_chain.h"

namespace nanbyo::gw {

class AuditStage final : public RequestStage {
 public:
  StageVerdict run(RequestView& view) const override;
};

}  // namespace nanbyo::gw
