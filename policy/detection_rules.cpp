#include "policy/detection_rules.h"

#include <yaml-cpp/yaml.h>

#include <cctype>

#include "pki/atomic_file.h"
#include "policy/schema.h"

namespace nanbyo::policy {
namespace {

using namespace schema;

constexpr std::size_t kMaxRulesBytes = 64 * 1024;

// An audit event name as the records write it: kebab-case, at most 64 bytes.
Result<void> check_event_name(std::string_view text) {
  bool kebab = !text.empty() && text.size() <= 64 && text.front() != '-' && text.back() != '-' &&
               text.find("--") == std::string_view::npos;
  for (char c : text)
    kebab = kebab && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-');
  if (!kebab) {
    return fail("expected an audit event name (a-z, 0-9 and single '-'), got \"" +
                std::string(text) + "\"");
  }
  return {};
}

// "HH:MM", 00:00 to 24:00.
Result<void> check_clock_time(std::string_view text) {
  const bool shaped = text.size() == 5 && text[2] == ':' && std::isdigit(text[0]) &&
                      std::isdigit(text[1]) && std::isdigit(text[3]) && std::isdigit(text[4]);
  if (!shaped) return fail("expected a time of day as HH:MM, got \"" + std::string(text) + "\"");
  const int hours = (text[0] - '0') * 10 + (text[1] - '0');
  const int minutes = (text[3] - '0') * 10 + (text[4] - '0');
  if (hours > 24 || minutes > 59 || (hours == 24 && minutes != 0)) {
    return fail("no such time of day: \"" + std::string(text) + "\"");
  }
  return {};
}

std::chrono::minutes clock_time(const YAML::Node& n) {
  const std::string text = n.Scalar();
  return std::chrono::minutes(((text[0] - '0') * 10 + (text[1] - '0')) * 60 + (text[3] - '0') * 10 +
                              (text[4] - '0'));
}

const Type& rules_schema() {
  static const TypeRef burst = map({
      optional("count", integer(0, 100'000)),
      optional("window_s", integer(1, 7 * 86'400)),
  });
  static const TypeRef rules = map({
      optional("access_key_lookups", burst),
      optional("forms_touched", burst),
      optional("new_terminal", boolean()),
      optional("working_hours", map({
                                    optional("start", string(check_clock_time)),
                                    optional("end", string(check_clock_time)),
                                    optional("weekends_off", boolean()),
                                })),
      optional("bulk_events", list(string(check_event_name))),
      optional("failed_logins_across_accounts", burst),
      optional("old_session_after_forced_logout", burst),
  });
  return *rules;
}

void read_burst(const YAML::Node& root, const char* key, audit::DetectionRules::Burst& burst) {
  const YAML::Node n = root[key];
  if (!n) return;
  if (const YAML::Node count = n["count"]) burst.count = count.as<unsigned>();
  if (const YAML::Node window = n["window_s"]) {
    burst.window = std::chrono::seconds(window.as<long>());
  }
}

}  // namespace

Result<audit::DetectionRules> parse_detection_rules(std::string_view text, std::string_view name) {
  if (text.size() > kMaxRulesBytes) {
    return fail(std::string(name) + ": larger than the 64 KiB a rules file may be");
  }
  try {
    const std::vector<YAML::Node> documents = YAML::LoadAll(std::string(text));
    audit::DetectionRules rules;
    if (documents.empty() || documents.front().IsNull()) return rules;  // all built in
    if (documents.size() > 1) {
      return located(name, documents[1].Mark(), "",
                     "expected one YAML document, found " + std::to_string(documents.size()));
    }
    const YAML::Node& root = documents.front();
    NANBYO_TRY_VOID(validate(root, rules_schema(), name));
    read_burst(root, "access_key_lookups", rules.access_key_lookups);
    read_burst(root, "forms_touched", rules.forms_touched);
    read_burst(root, "failed_logins_across_accounts", rules.failed_logins_across_accounts);
    read_burst(root, "old_session_after_forced_logout", rules.old_session_after_forced_logout);
    if (const YAML::Node n = root["new_terminal"]) rules.new_terminal = n.as<bool>();
    if (const YAML::Node hours = root["working_hours"]) {
      if (const YAML::Node n = hours["start"]) rules.work_start = clock_time(n);
      if (const YAML::Node n = hours["end"]) rules.work_end = clock_time(n);
      if (const YAML::Node n = hours["weekends_off"]) rules.weekends_are_off_hours = n.as<bool>();
      if (rules.work_end <= rules.work_start) {
        return located(name, hours.Mark(), "working_hours",
                       "the end of the working day must come after its start");
      }
    }
    if (const YAML::Node events = root["bulk_events"]) {
      rules.bulk_events.clear();
      for (const auto& event : events) rules.bulk_events.push_back(event.Scalar());
    }
    return rules;
  } catch (const YAML::Exception& e) {
    return located(name, e.mark, "", "invalid YAML: " + e.msg);
  }
}

Result<audit::DetectionRules> load_detection_rules(const std::filesystem::path& file,
                                                   std::string_view shown_as) {
  const std::string name = shown_as.empty() ? file.string() : std::string(shown_as);
  auto text = read_file(file, kMaxRulesBytes);
  if (!text) return fail(name + ": " + text.error().message);
  return parse_detection_rules(*text, name);
}

}  // namespace nanbyo::policy
