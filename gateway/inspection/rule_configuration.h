// The configuration text both the engine and the prefilter load for one inspection
// setting (issue 14): the engine's options, the CRS set-up, the paranoia level, the CRS
// rule files with the project's rules before the blocking evaluation, and a route's
// exclusions.
#pragma once

#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "pki/result.h"
#include "policy/policy.h"

namespace nanbyo::gw {

// The effective settings of a route: what a rule set is built from.
struct Settings {
  policy::InspectionMode mode;
  int paranoia_level;
  std::vector<policy::InspectionExclusion> exclusions;

  bool operator<(const Settings& o) const {
    auto key = [](const Settings& s) {
      std::vector<std::pair<std::string, std::string>> ex;
      for (const auto& e : s.exclusions) ex.emplace_back(e.rule, e.target);
      return std::tuple(static_cast<int>(s.mode), s.paranoia_level, ex);
    };
    return key(*this) < key(o);
  }
};

// The CRS rule files in order as Include lines, the project's rules just before the
// blocking evaluation (REQUEST-949), so that their scores count in the same request.
Result<std::string> rule_includes(const policy::Inspection& section);

// The whole configuration of one setting.
std::string rule_configuration(const policy::Inspection& section, const Settings& s,
                               const std::string& rule_includes);

// Each rule and data file's size and time: a reload after a package upgrade of the rules
// rebuilds the rule sets even when the policy is unchanged.
std::string rule_file_stamps(const policy::Inspection& section);

}  // namespace nanbyo::gw
