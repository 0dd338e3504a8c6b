// Everything a route handler sees of one request: the gateway's identity, the
// session's principal (checked by the dispatcher), the parsed input, and what
// the response should add (cookies). Handlers run on the worker pool.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "appcore/core/app_core.h"
#include "appcore/web/app_metrics.h"
#include "appcore/web/asio.h"
#include "appcore/web/form.h"
#include "appcore/web/gateway_identity.h"
#include "appcore/web/gateway_link.h"
#include "appcore/web/mailer.h"

namespace nanbyo::appcore {
class FormService;
}
namespace nanbyo::console {
class AuditIndex;
}
namespace nanbyo::audit {
class AuditSink;
}

namespace nanbyo::web {

class ImportJobs;

// When each session was issued, for the X-Nanbyo-Session header the gateway
// compares with user revocations. The core keeps no login time in the
// Principal, so the web layer remembers it from login(); a session older than
// this process counts as issued at start-up: every revocation before start-up
// already ended it in the core, and every later one is later than that.
class SessionIssueTimes {
 public:
  explicit SessionIssueTimes(int64_t started) : started_(started) {}
  void remember(const std::string& session_id_hash, int64_t issued);
  void forget(const std::string& session_id_hash);
  int64_t issued(const std::string& session_id_hash) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, int64_t> issued_;
  int64_t started_;
};

struct Services {
  appcore::AppCore& core;
  Mailer& mailer;
  GatewayLink& gateway;
  ImportJobs& imports;
  SessionIssueTimes& sessions;
  const Clock& clock;
  appcore::FormService* forms = nullptr;  // issue 6; null when the definitions did not load
  AppMetrics* metrics = nullptr;          // issue 17; null in tests that do not look
  // The auditor's console (issue 17): the logs' index, and where its own actions are recorded.
  console::AuditIndex* audit_index = nullptr;
  audit::AuditSink* audit = nullptr;
};

struct RequestContext {
  RequestContext(Services& s, const Request& r, GatewayIdentity g, std::string p, std::string q)
      : services(s), request(r), gateway(std::move(g)), path(std::move(p)), query(std::move(q)) {}

  Services& services;
  const Request& request;
  GatewayIdentity gateway;
  std::string path, query;
  std::map<std::string, std::string> params;  // from the route pattern
  bool api = false;                           // /api/...: JSON in and out

  std::string session_token;  // cookie, "" when none
  std::string csrf_token;     // to embed in forms (cookie; see cookies.h)
  std::optional<appcore::Principal> principal;
  appcore::SetupStep setup_step = appcore::SetupStep::None;

  std::optional<FormData> form;  // urlencoded body
  nlohmann::json json;           // JSON body (an object) for /api
  std::vector<std::string> set_cookies;

  appcore::Terminal terminal() const;
  // An input field from the form or the JSON object ("" when absent; JSON
  // numbers and booleans as their text).
  std::string field(const std::string& name) const;
  const std::string& param(const std::string& name) const { return params.at(name); }
  std::string query_value(const std::string& name) const;
  const appcore::Principal& who() const { return *principal; }
};

}  // namespace nanbyo::web
