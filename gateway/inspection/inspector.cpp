#include "gateway/inspection/inspector.h"

#include <modsecurity/intervention.h>
#include <modsecurity/modsecurity.h>
#include <modsecurity/rule_message.h>
#include <modsecurity/rules_set.h>
#include <modsecurity/transaction.h>

#include <algorithm>
#include <filesystem>

namespace nanbyo::gw {
namespace fs = std::filesystem;

struct Inspector::Engine {
  modsecurity::RulesSet rules;
  bool detection_only = false;
};

namespace {

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

#ifndef NANBYO_INSPECTION_RULES
#define NANBYO_INSPECTION_RULES "/usr/share/nanbyo/inspection/japanese-text.conf"
#endif

// The CRS rule files in order, the project's rules just before the blocking evaluation
// (REQUEST-949), so that their scores count in the same request.
Result<std::string> includes(const policy::Inspection& section) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(section.crs_rules, ec)) {
    if (entry.path().extension() == ".conf") files.push_back(entry.path());
  }
  if (ec || files.empty()) {
    return fail("no CRS rules in " + section.crs_rules.string() +
                (ec ? ": " + ec.message() : std::string()));
  }
  std::sort(files.begin(), files.end());
  std::string text;
  bool placed = false;
  for (const auto& file : files) {
    if (!placed && file.filename().string() >= "REQUEST-949") {
      if (!section.local_rules.empty())
        text += "Include \"" + section.local_rules.string() + "\"\n";
      placed = true;
    }
    text += "Include \"" + file.string() + "\"\n";
  }
  return text;
}

std::string configuration(const policy::Inspection& section, const Settings& s,
                          const std::string& rule_files) {
  std::string text;
  text += s.mode == policy::InspectionMode::Detection ? "SecRuleEngine DetectionOnly\n"
                                                      : "SecRuleEngine On\n";
  // The gateway bounds bodies itself (limits.max_body_bytes); the engine sees them whole.
  text +=
      "SecRequestBodyAccess On\n"
      "SecRequestBodyLimit 1073741824\n"
      "SecRequestBodyNoFilesLimit 1073741824\n"
      "SecResponseBodyAccess Off\n"
      "SecAuditEngine Off\n"
      "SecArgumentSeparator &\n"
      "SecRule REQUEST_HEADERS:Content-Type \"@rx (?:application(?:/soap\\+|/)|text/)xml\" "
      "\"id:9400100,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=XML\"\n"
      "SecRule REQUEST_HEADERS:Content-Type \"@rx application/json\" "
      "\"id:9400101,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=JSON\"\n";
  text += "Include \"" + section.crs_setup.string() + "\"\n";
  text += "SecAction \"id:9400000,phase:1,nolog,pass,t:none,setvar:tx.paranoia_level=" +
          std::to_string(s.paranoia_level) + "\"\n";
  text += rule_files;
  for (const auto& e : s.exclusions) {
    text += "SecRuleUpdateTargetById " + e.rule + " \"!" + e.target + "\"\n";
  }
  return text;
}

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

Result<std::shared_ptr<const Inspector>> Inspector::build(const policy::Policy& policy) {
  if (!policy.inspection) return std::shared_ptr<const Inspector>();
  policy::Inspection section = *policy.inspection;
  if (section.local_rules.empty()) section.local_rules = NANBYO_INSPECTION_RULES;
  if (!fs::is_regular_file(section.local_rules)) {
    return fail("the project's inspection rules are missing: " + section.local_rules.string());
  }
  NANBYO_TRY(rule_files, includes(section));
  auto inspector = std::shared_ptr<Inspector>(new Inspector());
  std::map<Settings, const Engine*> built;
  auto engine_for = [&](const Settings& s) -> Result<const Engine*> {
    if (auto it = built.find(s); it != built.end()) return it->second;
    auto engine = std::make_unique<Engine>();
    engine->detection_only = s.mode == policy::InspectionMode::Detection;
    if (engine->rules.load(configuration(section, s, rule_files).c_str()) < 0) {
      return fail("inspection rules did not load: " + engine->rules.getParserError());
    }
    const Engine* raw = engine.get();
    inspector->engines_.push_back(std::move(engine));
    built.emplace(s, raw);
    return raw;
  };
  const Settings base{section.mode, section.paranoia_level, {}};
  NANBYO_TRY(default_engine, engine_for(base));
  inspector->default_engine_ = default_engine;
  for (const auto& route : policy.routes) {
    const auto& in = route.inspection;
    if (in.off) {
      inspector->route_engines_[{route.listener, route.path_prefix}] = nullptr;
      continue;
    }
    if (!in.mode && !in.paranoia_level && in.exclusions.empty()) continue;
    Settings s{in.mode.value_or(section.mode), in.paranoia_level.value_or(section.paranoia_level),
               in.exclusions};
    NANBYO_TRY(engine, engine_for(s));
    inspector->route_engines_[{route.listener, route.path_prefix}] = engine;
  }
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

  modsecurity::Transaction t(modsecurity_.get(), const_cast<modsecurity::RulesSet*>(&engine->rules),
                             nullptr);
  const std::string address = peer.substr(0, peer.rfind(':'));
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
