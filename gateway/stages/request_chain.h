// The stages a request passes at the gateway's HTTP edge, in order, each a small unit with
// its own tests (issue 14). The session loop runs two chains and knows no check itself:
//   edge:  the audit log's health (audit.on_failure: refuse), HTTP hygiene, then the
//          source's request rate, for every request (the VPN's login and tunnel too);
//   proxy: route and hospital, inspection (IDS/IPS), then the identity headers, for a
//          request to an upstream.
// A new stage is one more RequestStage in a chain here.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "gateway/connection_registry.h"
#include "gateway/inspection/inspector.h"
#include "gateway/ips/ips.h"
#include "gateway/stages/verdict.h"
#include "gateway/upstream_pool.h"
#include "pki/audit/audit_sink.h"
#include "policy/policy.h"

namespace nanbyo::gw {

// One request as the stages see it; stages may change the request (headers, target).
struct RequestView {
  Request& request;
  const policy::Policy& policy;
  const policy::Listener& listener;
  const PeerIdentity& identity;
  const std::string& peer;  // "address:port" of the client
  const std::string& request_id;
  // Header lines ("Name: value\r\n") the request gets on its way to the upstream: the
  // verified identity (identity stage). Laid out once, in a buffer the connection reuses,
  // instead of a field node each.
  std::string& added_fields;
  const Inspector* inspector = nullptr;  // the Runtime's; null without an inspection section
  const policy::Route* route = nullptr;  // set by the route stage
  std::vector<std::string> dropped;      // header names removed: one audit record per request
  InspectionResult inspection;           // set by the inspection stage: one audit record
  ips::Ips* ips = nullptr;               // the per-source request rate (rate-limit stage)
  const ips::Settings* ips_settings = nullptr;
  const audit::AuditSink* audit = nullptr;  // audit.on_failure: refuse (audit stage)
};

class RequestStage {
 public:
  virtual ~RequestStage() = default;
  virtual StageVerdict run(RequestView& view) const = 0;
};

class RequestChain {
 public:
  explicit RequestChain(std::vector<std::unique_ptr<const RequestStage>> stages);
  // Runs the stages until one refuses.
  StageVerdict run(RequestView& view) const;

  static const RequestChain& edge();
  static const RequestChain& proxy();

 private:
  std::vector<std::unique_ptr<const RequestStage>> stages_;
};

}  // namespace nanbyo::gw
