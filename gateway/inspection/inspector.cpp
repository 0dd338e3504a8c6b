#include "gateway/inspection/inspector.h"

#include <modsecurity/intervention.h>
#include <modsecurity/modsecurity.h>
#include <modsecurity/rule_message.h>
#include <modsecurity/rules_set.h>
#include <modsecurity/transaction.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "gateway/inspection/prefilter/prefilter.h"
#include "gateway/inspection/rule_configuration.h"

#ifndef NANBYO_INSPECTION_RULES
#define NANBYO_INSPECTION_RULES "/usr/share/nanbyo/inspection/japanese-text.conf"
#endif

namespace nanbyo::gw {
namespace fs = std::filesystem;

struct Inspector::Engine {
  modsecurity::RulesSet rules;
  bool detection_only = false;
  std::shared_ptr<const prefilter::Prefilter> prefilter;  // null: every request to the engine
};

namespace {

std::string severity_name(int severity) {
  static const char* names[] = {"EMERGENCY", "ALERT",  "CRITICAL", "ERROR",
                                "WARNING",   "NOTICE", "INFO",     "DEBUG"};
  return severity >= 0 && severity < 8 ? names[severity] : "UNKNOWN";
}

// "... against variable `ARGS:q' (Value: ..." -> "ARGS:q"
std::string matched_variable(const std::string& match) {
  const std::string marker = "against variable `";
  auto start = match.find(marker);
  if (start == std::string::npos) return "";
  start += marker.size();
  auto end = match.find('\'', start);
  return match.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// "Matched Data: <x> found within ARGS:q: <value>" -> "ARGS:q" (libinjection's rules)
std::string data_variable(const std::string& data) {
  const std::string marker = " found within ";
  auto start = data.find(marker);
  if (start == std::string::npos) return "";
  start += marker.size();
  return data.substr(start, data.find(": ", start) - start);
}

// The engine's own log: everything it says is in the alerts, audited by the gateway.
void discard_engine_log(void*, const void*) {}

int total_score(const std::string& text) {
  const std::string marker = "Total Score: ";
  auto at = text.find(marker);
  return at == std::string::npos ? 0 : std::atoi(text.c_str() + at + marker.size());
}

}  // namespace

std::string alert_family(const std::vector<std::string>& tags) {
  static const std::pair<const char*, const char*> kFamilies[] = {
      {"attack-sqli", "sqli"},
      {"attack-xss", "xss"},
      {"attack-lfi", "lfi"},
      {"attack-rfi", "rfi"},
      {"attack-rce", "rce"},
      {"attack-injection-php", "php"},
      {"attack-injection-java", "java"},
      {"attack-protocol", "protocol"},
      {"attack-reputation-scanner", "scanner"},
      {"attack-generic", "other"}};
  for (const auto& [tag, family] : kFamilies) {
    if (std::find(tags.begin(), tags.end(), tag) != tags.end()) return family;
  }
  return "other";
}

Inspector::Inspector() : modsecurity_(std::make_unique<modsecurity::ModSecurity>()) {
  modsecurity_->setServerLogCb(discard_engine_log, modsecurity::RuleMessageLogProperty);
}
Inspector::~Inspector() = default;

Result<std::shared_ptr<const Inspector>> Inspector::build(
    const policy::Policy& policy, std::shared_ptr<const Inspector> previous) {
  if (!policy.inspection) return std::shared_ptr<const Inspector>();
  policy::Inspection section = *policy.inspection;
  if (section.local_rules.empty()) section.local_rules = NANBYO_INSPECTION_RULES;
  if (!fs::is_regular_file(section.local_rules)) {
    return fail("the project's inspection rules are missing: " + section.local_rules.string());
  }
  NANBYO_TRY(rule_files, rule_includes(section));
  const Settings base{section.mode, section.paranoia_level, {}};
  // Route settings that differ from the section; nullopt: inspection off on the route.
  std::vector<std::pair<const policy::Route*, std::optional<Settings>>> routes;
  std::string fingerprint = rule_file_stamps(section) + (section.prefilter ? "prefilter\n" : "") +
                            rule_configuration(section, base, rule_files);
  for (const auto& route : policy.routes) {
    const auto& in = route.inspection;
    if (!in.off && !in.mode && !in.paranoia_level && in.exclusions.empty()) continue;
    std::optional<Settings> s;
    if (!in.off) {
      s = Settings{in.mode.value_or(section.mode),
                   in.paranoia_level.value_or(section.paranoia_level), in.exclusions};
    }
    fingerprint += route.listener + " " + route.path_prefix + "\n" +
                   (s ? rule_configuration(section, *s, rule_files) : std::string("off\n"));
    routes.emplace_back(&route, std::move(s));
  }
  if (previous && previous->fingerprint_ == fingerprint) return previous;

  auto inspector = std::shared_ptr<Inspector>(new Inspector());
  inspector->fingerprint_ = std::move(fingerprint);
  // One prefilter per paranoia level: built without the exclusions (they only narrow what
  // the engine reads) and shared by the rule sets of every mode.
  std::map<int, std::shared_ptr<const prefilter::Prefilter>> prefilters;
  std::string summary;
  auto prefilter_for = [&](int level) -> std::shared_ptr<const prefilter::Prefilter> {
    if (!section.prefilter) return nullptr;
    if (auto it = prefilters.find(level); it != prefilters.end()) return it->second;
    const auto started = std::chrono::steady_clock::now();
    auto built = prefilter::Prefilter::build(
        rule_configuration(section, Settings{policy::InspectionMode::Blocking, level, {}},
                           rule_files),
        "/");
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::shared_ptr<const prefilter::Prefilter> made;
    if (built) {
      made = *built;
      const auto& f = made->figures();
      char line[256];
      std::snprintf(line, sizeof line,
                    "paranoia level %d: %zu rules can alert (%zu links scanned by Hyperscan, "
                    "%zu exact, %zu databases), built in %.1f s",
                    level, f.rules, f.scanned_links, f.exact_links, f.databases, seconds);
      summary += (summary.empty() ? "prefilter " : "; ") + std::string(line);
    } else {
      summary += (summary.empty() ? "" : "; ") + std::string("prefilter off at paranoia level ") +
                 std::to_string(level) + ": " + built.error().message;
    }
    prefilters.emplace(level, made);
    return made;
  };
  std::map<Settings, const Engine*> built;
  auto engine_for = [&](const Settings& s) -> Result<const Engine*> {
    if (auto it = built.find(s); it != built.end()) return it->second;
    auto engine = std::make_unique<Engine>();
    engine->detection_only = s.mode == policy::InspectionMode::Detection;
    if (engine->rules.load(rule_configuration(section, s, rule_files).c_str()) < 0) {
      return fail("inspection rules did not load: " + engine->rules.getParserError());
    }
    engine->prefilter = prefilter_for(s.paranoia_level);
    const Engine* raw = engine.get();
    inspector->engines_.push_back(std::move(engine));
    built.emplace(s, raw);
    return raw;
  };
  NANBYO_TRY(default_engine, engine_for(base));
  inspector->default_engine_ = default_engine;
  for (const auto& [route, s] : routes) {
    const Engine* engine = nullptr;
    if (s) {
      NANBYO_TRY(made, engine_for(*s));
      engine = made;
    }
    inspector->route_engines_[{route->listener, route->path_prefix}] = engine;
  }
  inspector->summary_ = section.prefilter ? summary : "prefilter off (policy)";
  return std::shared_ptr<const Inspector>(std::move(inspector));
}

InspectionResult Inspector::inspect(const Request& request, const std::string& peer,
                                    const policy::Route* route) const {
  InspectionResult result;
  const Engine* engine = default_engine_;
  if (route && !route_engines_.empty()) {
    const std::pair<std::string_view, std::string_view> key(route->listener, route->path_prefix);
    if (auto it = route_engines_.find(key); it != route_engines_.end()) {
      engine = it->second;
    }
  }
  if (!engine) return result;
  result.inspected = true;
  result.detection_only = engine->detection_only;

  const std::string address = peer.substr(0, peer.rfind(':'));
  if (engine->prefilter) {
    prefilter::HttpInput in;
    const auto method = request.method_string();
    const auto target = request.target();
    in.method = std::string_view(method.data(), method.size());
    in.target = std::string_view(target.data(), target.size());
    in.version = static_cast<int>(request.version());
    for (const auto& field : request) {
      const auto name = field.name_string();
      const auto value = field.value();
      in.headers.emplace_back(std::string_view(name.data(), name.size()),
                              std::string_view(value.data(), value.size()));
    }
    in.body = request.body();
    in.remote_address = address;
    if (!engine->prefilter->needs_engine(in)) {
      result.prefiltered = true;
      return result;
    }
  }
  modsecurity::Transaction t(modsecurity_.get(), const_cast<modsecurity::RulesSet*>(&engine->rules),
                             nullptr);
  const int port = std::atoi(peer.c_str() + peer.rfind(':') + 1);
  t.processConnection(address.c_str(), port, "127.0.0.1", 443);
  const std::string target(request.target());
  const std::string method(request.method_string());
  const std::string version = request.version() == 10 ? "1.0" : "1.1";
  t.processURI(target.c_str(), method.c_str(), version.c_str());
  for (const auto& field : request) {
    t.addRequestHeader(std::string(field.name_string()), std::string(field.value()));
  }
  t.processRequestHeaders();
  const std::string& body = request.body();
  if (!body.empty()) {
    t.appendRequestBody(reinterpret_cast<const unsigned char*>(body.data()), body.size());
  }
  t.processRequestBody();

  modsecurity::ModSecurityIntervention intervention;
  modsecurity::intervention::clean(&intervention);
  if (t.intervention(&intervention) && intervention.disruptive) result.blocked = true;
  if (intervention.log) result.anomaly_score = total_score(intervention.log);
  modsecurity::intervention::free(&intervention);

  for (const auto& message : t.m_rulesMessages) {
    if (message.m_ruleId == 949110 || message.m_ruleId == 980130) {
      result.anomaly_score = std::max(result.anomaly_score, total_score(message.m_message));
      continue;
    }
    std::vector<std::string> tags(message.m_tags.begin(), message.m_tags.end());
    std::string variable = matched_variable(message.m_match);
    if (variable.empty()) variable = data_variable(message.m_data);
    result.alerts.push_back({std::to_string(message.m_ruleId), alert_family(tags),
                             severity_name(message.m_severity), variable, message.m_message});
  }
  t.processLogging();
  return result;
}

}  // namespace nanbyo::gw
