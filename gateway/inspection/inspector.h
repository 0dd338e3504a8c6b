// HTTP inspection (IDS/IPS, S-3, issue 14): each request's line, headers and body through
// libmodsecurity with Debian's OWASP CRS 3.3 at the policy's paranoia level, plus the
// project's own rules that keep Japanese clinical text from false alarms
// (packaging/inspection/japanese-text.conf; docs/inspection.md). One rule set per distinct
// route setting (mode, paranoia level, exclusions), built with the Runtime snapshot, read
// by every worker; a Transaction per request.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gateway/upstream_pool.h"
#include "pki/result.h"
#include "policy/policy.h"

namespace modsecurity {
class ModSecurity;
class RulesSet;
}  // namespace modsecurity

namespace nanbyo::gw {

struct InspectionAlert {
  std::string rule_id;
  std::string family;    // sqli | xss | lfi | rfi | rce | php | java | protocol | scanner | other
  std::string severity;  // CRITICAL | ERROR | WARNING | NOTICE
  std::string variable;  // the matched variable ("ARGS:q")
  std::string message;
};

struct InspectionResult {
  bool inspected = false;    // false: inspection is off for this request
  bool prefiltered = false;  // the prefilter showed that no rule could alert: engine skipped
  bool blocked = false;      // a blocking rule set decided to refuse
  bool detection_only = false;
  int anomaly_score = 0;
  std::vector<InspectionAlert> alerts;
};

class Inspector {
 public:
  // Loads the rule sets the policy needs; an error names the file that did not load.
  // `previous` is returned as it is when the policy and the rule files are unchanged (a CRL
  // change or a reload of other sections must not pay for the rule sets again).
  static Result<std::shared_ptr<const Inspector>> build(
      const policy::Policy& policy, std::shared_ptr<const Inspector> previous = nullptr);
  ~Inspector();

  // One line for the start record: the prefilter's figures, or why it is off.
  const std::string& summary() const { return summary_; }

  InspectionResult inspect(const Request& request, const std::string& peer,
                           const policy::Route* route) const;

 private:
  struct Engine;
  Inspector();
  std::unique_ptr<modsecurity::ModSecurity> modsecurity_;
  std::vector<std::unique_ptr<Engine>> engines_;  // distinct settings
  const Engine* default_engine_ = nullptr;        // the section's own settings
  // Routes that differ from the section, by (listener, path_prefix); null: inspection off.
  // Looked up per request with views of the route's names: no copies on the hot path.
  struct RouteKeyLess {
    using is_transparent = void;
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      using Key = std::pair<std::string_view, std::string_view>;
      return Key(a.first, a.second) < Key(b.first, b.second);
    }
  };
  std::map<std::pair<std::string, std::string>, const Engine*, RouteKeyLess> route_engines_;
  std::string fingerprint_;  // the configuration texts and the rule files' sizes and times
  std::string summary_;
};

// The family of an alert from its CRS tags ("attack-sqli" -> "sqli").
std::string alert_family(const std::vector<std::string>& tags);

}  // namespace nanbyo::gw
