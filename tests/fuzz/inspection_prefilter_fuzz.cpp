// Differential fuzzing of the inspection prefilter (issue 14 part 4): a request the
// prefilter clears must not raise a single alert in the engine. The input is a request as
// text: "METHOD TARGET" on the first line, "Name: value" lines, a blank line, the body.
#include <modsecurity/modsecurity.h>
#include <modsecurity/rule_message.h>
#include <modsecurity/rules_set.h>
#include <modsecurity/transaction.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "gateway/inspection/prefilter/prefilter.h"
#include "gateway/inspection/rule_configuration.h"

namespace {

using namespace nanbyo::gw;
namespace policy = nanbyo::policy;

struct Rules {
  std::string text;
  modsecurity::ModSecurity engine;
  modsecurity::RulesSet rules;
  std::shared_ptr<const prefilter::Prefilter> prefilter;

  Rules() {
    policy::Inspection section;
    section.local_rules = NANBYO_SOURCE_DIR "/packaging/inspection/japanese-text.conf";
    auto includes = rule_includes(section);
    if (!includes) std::abort();
    text = rule_configuration(section, {policy::InspectionMode::Blocking, 1, {}}, *includes);
    if (rules.load(text.c_str()) < 0) std::abort();
    engine.setServerLogCb([](void*, const void*) {}, modsecurity::RuleMessageLogProperty);
    auto built = prefilter::Prefilter::build(text, "/");
    if (!built) std::abort();
    prefilter = *built;
  }
};

Rules& rules() {
  static Rules instance;
  return instance;
}

std::string_view next_line(std::string_view& rest) {
  const auto end = rest.find('\n');
  std::string_view line = rest.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  const std::string_view first = next_line(rest);
  const auto space = first.find(' ');
  if (space == std::string_view::npos) return 0;
  prefilter::HttpInput in;
  in.method = first.substr(0, space);
  in.target = first.substr(space + 1);
  in.remote_address = "127.0.0.1";
  while (!rest.empty()) {
    const std::string_view line = next_line(rest);
    if (line.empty()) break;
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    in.headers.emplace_back(line.substr(0, colon), value);
  }
  in.body = rest;
  Rules& r = rules();
  if (r.prefilter->needs_engine(in)) return 0;
  // Cleared: the engine must agree that nothing alerts.
  modsecurity::Transaction t(&r.engine, &r.rules, nullptr);
  t.processConnection("127.0.0.1", 40000, "127.0.0.1", 443);
  const std::string target(in.target), method(in.method);
  t.processURI(target.c_str(), method.c_str(), "1.1");
  for (const auto& [name, value] : in.headers)
    t.addRequestHeader(std::string(name), std::string(value));
  t.processRequestHeaders();
  t.processRequestBody();
  if (!t.m_rulesMessages.empty()) {
    std::fprintf(stderr, "prefilter cleared a request the engine alerts on: rule %lld\n",
                 static_cast<long long>(t.m_rulesMessages.front().m_ruleId));
    std::abort();
  }
  return 0;
}
