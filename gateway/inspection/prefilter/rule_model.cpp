#include "gateway/inspection/prefilter/rule_model.h"

#include <algorithm>
#include <fstream>

#include "gateway/inspection/prefilter/ascii.h"
#include "gateway/inspection/prefilter/chain_eval.h"

namespace nanbyo::gw::prefilter {
namespace fs = std::filesystem;

namespace {

bool starts_with_ci(const std::string& s, const std::string& prefix) {
  return ascii_lowered(s.substr(0, prefix.size())) == prefix;
}

// One SecRule or SecAction with the links chained to it.
struct Parsed {
  std::string id;
  int phase = 2;
  bool reportable = false;
  bool constant = true;  // every link reads only TX variables (SecAction: none)
  std::string skip_after;
  std::vector<Link> links;
  std::vector<std::vector<Action>> actions;  // per link
  std::size_t order = 0;
};

// A SecMarker, or a rule, in load order.
struct Item {
  std::string marker;
  std::size_t rule = 0;
};

int phase_of(const std::string& value) {
  if (value == "request") return 2;
  if (value == "response") return 4;
  if (value == "logging") return 5;
  return std::atoi(value.c_str());
}

// "REQUEST_HEADERS:User-Agent|!REQUEST_COOKIES:/__utm/|&ARGS"
std::vector<std::string> variable_parts(const std::string& text) {
  std::vector<std::string> parts;
  std::string current;
  bool in_regex = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (!in_regex && c == '|') {
      parts.push_back(current);
      current.clear();
      continue;
    }
    if (c == '/' && i > 0 && text[i - 1] == ':' && !in_regex) {
      in_regex = true;
    } else if (c == '/' && in_regex) {
      in_regex = false;
    }
    current += c;
  }
  if (!current.empty()) parts.push_back(current);
  return parts;
}

void read_variables(const std::string& text, Link& link) {
  for (std::string part : variable_parts(text)) {
    if (part.empty()) continue;
    if (part[0] == '!') {
      link.excludes = true;
      continue;
    }
    Selector sel;
    if (part[0] == '&') {
      sel.count = true;
      part.erase(0, 1);
    }
    const auto colon = part.find(':');
    sel.coll = collection_named(part.substr(0, colon));
    sel.name = part.substr(0, colon);
    for (auto& c : sel.name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (colon != std::string::npos) {
      std::string key = part.substr(colon + 1);
      if (key.size() >= 2 && key.front() == '\'' && key.back() == '\'') {
        key = key.substr(1, key.size() - 2);
      }
      if (key.size() >= 2 && key.front() == '/' && key.back() == '/') {
        sel.key_regex = true;
        key = key.substr(1, key.size() - 2);
      }
      sel.key = ascii_lowered(key);
      if (sel.key_regex && sel.coll == Coll::Tx) {
        std::string error;
        sel.key_pattern = Regex::compile(sel.key, &error);  // null: read as unknown
      }
    }
    link.targets.push_back(std::move(sel));
  }
}

SetVar parse_setvar(const std::string& text) {
  SetVar s;
  std::string body = text;
  if (!body.empty() && body[0] == '!') {
    s.op = '!';
    body.erase(0, 1);
  }
  const auto eq = body.find('=');
  s.name = ascii_lowered(body.substr(0, eq));
  if (eq != std::string::npos) {
    s.value = body.substr(eq + 1);
    if (s.op != '!' && !s.value.empty() && (s.value[0] == '+' || s.value[0] == '-')) {
      s.op = s.value[0];
      s.value.erase(0, 1);
    }
  } else if (s.op != '!') {
    s.value = "1";
  }
  return s;
}

Result<std::vector<std::string>> phrases_from_files(const std::string& names, const fs::path& dir) {
  std::vector<std::string> phrases;
  std::size_t start = 0;
  while (start < names.size()) {
    auto end = names.find(' ', start);
    if (end == std::string::npos) end = names.size();
    const std::string name = names.substr(start, end - start);
    start = end + 1;
    if (name.empty()) continue;
    fs::path path = name;
    if (path.is_relative()) path = dir / path;
    std::ifstream in(path);
    if (!in) return fail("cannot read the phrase file " + path.string());
    for (std::string line; std::getline(in, line);) {
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
      const auto first = line.find_first_not_of(' ');
      if (first == std::string::npos || line[first] == '#') continue;
      phrases.push_back(ascii_lowered(line.substr(first)));
    }
  }
  return phrases;
}

// Does `text` hold a macro of something other than a constant TX variable?
bool needs_request(const std::string& text, const TxState& tx) {
  for (std::size_t at = text.find("%{"); at != std::string::npos; at = text.find("%{", at + 2)) {
    const auto close = text.find('}', at);
    if (close == std::string::npos) return true;
    const std::string name = ascii_lowered(text.substr(at + 2, close - at - 2));
    if (name.rfind("tx.", 0) != 0) return true;
    const std::string var = name.substr(3);
    if (var.size() == 1 && std::isdigit(static_cast<unsigned char>(var[0])))
      return true;  // capture
    if (tx.runtime.count(var)) return true;
    for (const auto& [prefix, setter] : tx.runtime_prefixes) {
      if (name.compare(3, prefix.size(), prefix) == 0) return true;
    }
  }
  return false;
}

Result<Link> make_link(const std::string& variables, const std::string& op_text,
                       const std::vector<Action>& actions, const fs::path& dir) {
  Link link;
  read_variables(variables, link);
  std::string op = op_text;
  if (!op.empty() && op[0] == '!') {
    link.negated = true;
    op.erase(0, 1);
  }
  if (!op.empty() && op[0] == '@') {
    const auto space = op.find(' ');
    link.op =
        operator_named(op.substr(1, space == std::string::npos ? std::string::npos : space - 1));
    link.param = space == std::string::npos ? std::string() : op.substr(space + 1);
    if (link.op == OpKind::Pm) {
      if (starts_with_ci(op, "@pmfromfile") || starts_with_ci(op, "@pmf ")) {
        NANBYO_TRY(phrases, phrases_from_files(link.param, dir));
        link.phrases = std::move(phrases);
      } else {
        std::size_t start = 0;
        while (start < link.param.size()) {
          auto end = link.param.find(' ', start);
          if (end == std::string::npos) end = link.param.size();
          if (end > start)
            link.phrases.push_back(ascii_lowered(link.param.substr(start, end - start)));
          start = end + 1;
        }
      }
    }
  } else {
    link.op = OpKind::Rx;
    link.param = op;
  }
  for (const auto& a : actions) {
    const std::string name = ascii_lowered(a.name);
    if (name == "t") {
      if (ascii_lowered(a.value) == "none") {
        link.transforms.clear();
      } else {
        link.transforms.push_back(transform_named(a.value));
      }
    } else if (name == "capture") {
      link.capture = true;
    } else if (name == "setvar" &&
               (starts_with_ci(a.value, "tx.") || starts_with_ci(a.value, "!tx."))) {
      SetVar s = parse_setvar(a.value);
      s.name = s.name.substr(3);
      link.setvars.push_back(std::move(s));
    }
  }
  return link;
}

// Compiles the link's pattern once its parameter is final.
void compile(Link& link) {
  if (link.op != OpKind::Rx || link.runtime_param) return;
  std::string error;
  link.regex = Regex::compile(link.param, &error);
  if (!link.regex) link.op = OpKind::Unmodelled;
}

bool harmless(const std::string& name) {
  static const char* kPrefixes[] = {
      "secruleengine",      "secrequestbody",  "secresponsebody",      "secaudit",
      "secdebuglog",        "sectmpdir",       "secdatadir",           "secupload",
      "seccollection",      "seccomponent",    "secunicode",           "secpcrematchlimit",
      "secserversig",       "secstatusengine", "secwebappid",          "secgeolookupdb",
      "sechttpblkey",       "secconnengine",   "secxmlexternal",       "secruleremovebytag",
      "secruleremovebymsg", "seccookieformat", "secargumentseparator", "secdefaultaction"};
  const std::string lower = ascii_lowered(name);
  return std::any_of(std::begin(kPrefixes), std::end(kPrefixes),
                     [&](const char* p) { return lower.rfind(p, 0) == 0; });
}

// "941310", "9000-9999", "1 2 3" -> does `id` fall in any?
bool in_ranges(const std::vector<std::string>& args, const std::string& id) {
  const long n = std::atol(id.c_str());
  for (const auto& arg : args) {
    std::size_t start = 0;
    while (start < arg.size()) {
      auto end = arg.find_first_of(" ,", start);
      if (end == std::string::npos) end = arg.size();
      const std::string item = arg.substr(start, end - start);
      start = end + 1;
      if (item.empty()) continue;
      const auto dash = item.find('-');
      if (dash == std::string::npos) {
        if (item == id) return true;
      } else if (n >= std::atol(item.substr(0, dash).c_str()) &&
                 n <= std::atol(item.substr(dash + 1).c_str())) {
        return true;
      }
    }
  }
  return false;
}

struct Builder {
  std::vector<Parsed> rules;
  std::vector<Item> items;
  std::vector<std::vector<std::string>> removals;
  std::vector<std::pair<std::vector<std::string>, std::string>> target_updates;
};

Result<Builder> collect(const std::vector<Directive>& directives) {
  Builder b;
  Parsed* open_chain = nullptr;
  for (const auto& d : directives) {
    const std::string name = ascii_lowered(d.name);
    const fs::path dir = d.file.empty() ? fs::path() : d.file.parent_path();
    if (name == "secrule" || name == "secaction") {
      const bool is_action = name == "secaction";
      if (is_action ? d.args.size() > 1 : (d.args.size() < 2 || d.args.size() > 3)) {
        return fail("a " + d.name + " the prefilter cannot read in " + d.file.string());
      }
      const std::string actions_text = d.args.empty() ? "" : d.args.back();
      const auto actions = split_actions(is_action || d.args.size() == 3 ? actions_text : "");
      NANBYO_TRY(link, is_action ? make_link("", "@unconditionalMatch", actions, dir)
                                 : make_link(d.args[0], d.args[1], actions, dir));
      Parsed* rule = open_chain;
      if (!rule) {
        b.rules.emplace_back();
        rule = &b.rules.back();
        b.items.push_back({"", b.rules.size() - 1});
        bool nolog = false;
        for (const auto& a : actions) {
          const std::string an = ascii_lowered(a.name);
          if (an == "id") rule->id = a.value;
          if (an == "phase") rule->phase = phase_of(ascii_lowered(a.value));
          if (an == "nolog") nolog = true;
          if (an == "skipafter") rule->skip_after = a.value;
          if (an == "deny" || an == "drop" || an == "block" || an == "redirect" || an == "proxy") {
            rule->reportable = true;
          }
        }
        if (!nolog) rule->reportable = true;
      }
      for (const auto& sel : link.targets) {
        if (sel.coll != Coll::Tx || sel.key.empty() || sel.key_regex) rule->constant = false;
      }
      rule->links.push_back(std::move(link));
      rule->actions.push_back(actions);
      const bool chained = std::any_of(actions.begin(), actions.end(), [](const Action& a) {
        return ascii_lowered(a.name) == "chain";
      });
      open_chain = chained ? rule : nullptr;
      continue;
    }
    if (open_chain) return fail("a chain ends without its rule in " + d.file.string());
    if (name == "secmarker") {
      if (d.args.size() != 1) return fail("a SecMarker without one name");
      b.items.push_back({d.args[0], 0});
    } else if (name == "secruleremovebyid") {
      b.removals.push_back(d.args);
    } else if (name == "secruleupdatetargetbyid") {
      if (d.args.size() != 2) return fail("a SecRuleUpdateTargetById the prefilter cannot read");
      b.target_updates.push_back({{d.args[0]}, d.args[1]});
    } else if (name == "secargumentseparator") {
      if (d.args.size() != 1 || d.args[0] != "&") {
        return fail("an argument separator other than '&'");
      }
    } else if (name == "secdefaultaction") {
      for (const auto& a : split_actions(d.args.empty() ? "" : d.args[0])) {
        if (ascii_lowered(a.name) == "t" && ascii_lowered(a.value) != "none") {
          return fail("a SecDefaultAction with transformations");
        }
      }
    } else if (!harmless(name)) {
      return fail("the directive " + d.name + " (in " + d.file.string() + ")");
    }
  }
  if (open_chain) return fail("the rules end inside a chain");
  return b;
}

// The runtime TX variables: what request-dependent rules set, except in the last link of an
// alerting rule (which runs only when the rule alerts, and then the engine runs anyway).
void mark_runtime(const Parsed& rule, TxState& tx) {
  // A rule whose first link reads only what a body fills never matches a modelled request.
  const auto& first = rule.links.front().targets;
  if (!first.empty() && std::all_of(first.begin(), first.end(), [](const Selector& s) {
        return s.coll == Coll::Empty && !s.count;
      })) {
    return;
  }
  for (std::size_t i = 0; i < rule.links.size(); ++i) {
    if (rule.reportable && i + 1 == rule.links.size()) break;
    for (const auto& set : rule.links[i].setvars) {
      // CRS names per-match variables "%{rule.id}-OWASP_CRS/...": the id is known here.
      std::string name = set.name;
      for (auto at = name.find("%{rule.id}"); at != std::string::npos;
           at = name.find("%{rule.id}")) {
        name.replace(at, 10, rule.id);
      }
      const auto macro = name.find("%{");
      if (macro == std::string::npos) {
        tx.runtime[name].insert(rule.id);
      } else {
        tx.runtime_prefixes.emplace_back(name.substr(0, macro), rule.id);
      }
    }
  }
}

// Applies a constant rule's setvar actions to the constants.
void apply_constant_setvars(const Parsed& rule, TxState& tx, const Overlay& overlay) {
  static const RequestView kNoRequest = *RequestView::of({"GET", "/", 11, {}, {}, {}});
  for (const auto& link : rule.links) {
    for (const auto& set : link.setvars) {
      Scope scope{tx, kNoRequest, rule.id, &overlay};
      auto name = expand(set.name, scope);
      if (!name) {
        tx.runtime_prefixes.emplace_back("", rule.id);
        continue;
      }
      const std::string key = ascii_lowered(*name);
      if (set.op == '!') {
        tx.constants.erase(key);
        continue;
      }
      auto value = needs_request(set.value, tx) ? std::nullopt : expand(set.value, scope);
      if (!value) {
        tx.constants.erase(key);
        tx.runtime[key].insert(rule.id);
        continue;
      }
      if (set.op == '=') {
        tx.constants[key] = *value;
      } else {
        const long old = std::atol(tx.constants[key].c_str());
        const long delta = std::atol(value->c_str());
        tx.constants[key] = std::to_string(set.op == '+' ? old + delta : old - delta);
      }
    }
  }
}

// One evaluation of the rules in the engine's order, with `runtime` as the variables that
// request-dependent rules set; `active` gets whether each rule ran (was not skipped).
RuleModel evaluate_pass(Builder b, const TxState& runtime, std::vector<bool>& active,
                        std::set<std::string>& effective_constants) {
  RuleModel model;
  TxState& tx = model.tx;
  tx = runtime;
  for (auto& rule : b.rules) {
    if (!rule.constant) continue;
    for (const auto& link : rule.links) {
      for (const auto& sel : link.targets) {
        if (tx.runtime.count(sel.key)) rule.constant = false;
      }
    }
  }
  static const RequestView kNoRequest = *RequestView::of({"GET", "/", 11, {}, {}, {}});
  active.assign(b.rules.size(), false);
  // The engine runs phase by phase, each in load order; skipAfter jumps within a phase.
  for (int phase : {1, 2, 5}) {
    std::string skipping;
    for (const auto& item : b.items) {
      if (!item.marker.empty()) {
        if (item.marker == skipping) skipping.clear();
        continue;
      }
      Parsed& rule = b.rules[item.rule];
      if (rule.phase != phase) continue;
      if (!skipping.empty()) {
        ++model.skipped_rules;
        continue;
      }
      active[item.rule] = true;
      for (auto& link : rule.links) {
        link.runtime_param = needs_request(link.param, tx);
        if (!link.runtime_param && link.param.find("%{") != std::string::npos) {
          Scope scope{tx, kNoRequest, rule.id};
          link.param = expand(link.param, scope).value_or(link.param);
        }
        compile(link);
      }
      if (!rule.constant) {
        const bool sets_patterns =
            std::any_of(tx.runtime_prefixes.begin(), tx.runtime_prefixes.end(),
                        [&](const auto& p) { return p.second == rule.id; });
        if (sets_patterns) {
          tx.setters[rule.id] = std::make_shared<const ModelRule>(ModelRule{rule.id, rule.links});
        }
        if (rule.reportable) model.rules.push_back({rule.id, std::move(rule.links), false});
        continue;
      }
      ++model.constant_rules;
      ModelRule probe{rule.id, rule.links, false};
      Overlay overlay;
      const Tri verdict = evaluate_rule(probe, tx, kNoRequest, nullptr, &overlay);
      if (verdict == Tri::False) continue;
      if (rule.reportable) model.rules.push_back({rule.id, rule.links, true});
      if (verdict == Tri::Unknown) {
        mark_runtime(rule, tx);  // effects not followed; the skip not taken
        continue;
      }
      apply_constant_setvars(rule, tx, overlay);
      effective_constants.insert(rule.id);
      if (!rule.skip_after.empty()) skipping = rule.skip_after;
    }
  }
  return model;
}

// A link that reads only constant TX variables (none set by an earlier link of its rule)
// has one answer for every request: a false one drops the rule, a true one the link.
void fold_constant_links(RuleModel& model) {
  static const RequestView kNoRequest = *RequestView::of({"GET", "/", 11, {}, {}, {}});
  std::vector<ModelRule> kept;
  for (auto& rule : model.rules) {
    if (rule.always) {
      kept.push_back(std::move(rule));
      continue;
    }
    std::set<std::string> set_earlier;
    bool dropped = false;
    std::vector<Link> links;
    for (auto& link : rule.links) {
      const bool constant =
          !link.targets.empty() && !link.runtime_param &&
          std::all_of(link.targets.begin(), link.targets.end(),
                      [&](const Selector& s) {
                        return s.coll == Coll::Tx && !s.key.empty() && !s.key_regex &&
                               !set_earlier.count(s.key) && !model.tx.runtime.count(s.key) &&
                               !std::isdigit(static_cast<unsigned char>(s.key[0]));
                      }) &&
          std::none_of(model.tx.runtime_prefixes.begin(), model.tx.runtime_prefixes.end(),
                       [&](const auto& p) {
                         return std::any_of(link.targets.begin(), link.targets.end(),
                                            [&](const Selector& s) {
                                              return s.key.compare(0, p.first.size(), p.first) == 0;
                                            });
                       });
      for (const auto& set : link.setvars) set_earlier.insert(set.name);
      if (link.capture) set_earlier.insert("0");
      if (!constant || link.capture || !link.setvars.empty()) {
        links.push_back(std::move(link));
        continue;
      }
      ModelRule single{rule.id, {link}, false};
      const Tri answer = evaluate_rule(single, model.tx, kNoRequest, nullptr, nullptr);
      if (answer == Tri::False) {
        dropped = true;
        break;
      }
      if (answer == Tri::Unknown) links.push_back(std::move(link));
    }
    if (dropped) continue;
    if (links.empty()) {
      rule.always = true;  // every link is constantly true
    }
    rule.links = std::move(links);
    kept.push_back(std::move(rule));
  }
  model.rules = std::move(kept);
}

bool covers(const TxState& used, const TxState& needed) {
  for (const auto& [name, setters] : needed.runtime) {
    auto it = used.runtime.find(name);
    if (it == used.runtime.end()) return false;
    for (const auto& s : setters) {
      if (!it->second.count(s)) return false;
    }
  }
  for (const auto& p : needed.runtime_prefixes) {
    if (std::find(used.runtime_prefixes.begin(), used.runtime_prefixes.end(), p) ==
        used.runtime_prefixes.end()) {
      return false;
    }
  }
  return true;
}

}  // namespace

Result<RuleModel> model_rules(const std::vector<Directive>& directives) {
  NANBYO_TRY(b, collect(directives));
  // Variables set by rules that read the request are never constants. Which of those rules
  // run depends on the constant skips, which depend on the constants: start from every
  // rule, then narrow to the rules that ran, while the narrower set still covers them.
  std::vector<bool> all(b.rules.size(), true);
  auto runtime_of = [&](const std::vector<bool>& active) {
    TxState tx;
    for (std::size_t i = 0; i < b.rules.size(); ++i) {
      if (active[i] && !b.rules[i].constant) mark_runtime(b.rules[i], tx);
    }
    return tx;
  };
  TxState used = runtime_of(all);
  std::vector<bool> active;
  std::set<std::string> effective_constants;
  RuleModel model = evaluate_pass(b, used, active, effective_constants);
  for (int round = 0; round < 4; ++round) {
    TxState narrower = runtime_of(active);
    if (covers(narrower, used)) break;  // nothing left to narrow
    std::vector<bool> next_active;
    std::set<std::string> next_effective;
    RuleModel next = evaluate_pass(b, narrower, next_active, next_effective);
    if (!covers(narrower, runtime_of(next_active))) break;  // keep the wider, sound result
    model = std::move(next);
    active = std::move(next_active);
    effective_constants = std::move(next_effective);
    used = std::move(narrower);
  }
  fold_constant_links(model);
  for (auto& rule : model.rules) {
    for (auto& link : rule.links) {
      for (auto& sel : link.targets) {
        if (sel.coll != Coll::Tx || !sel.key_pattern) continue;
        for (const auto& [name, value] : model.tx.constants) {
          if (sel.key_pattern->search(name) != Tri::False) sel.constant_names.push_back(name);
        }
        for (const auto& [name, setters] : model.tx.runtime) {
          const bool other = setters.size() > 1 || !setters.count(rule.id);
          if (other && sel.key_pattern->search(name) != Tri::False) sel.others_literal = true;
        }
      }
    }
  }
  for (auto& rule : model.rules) {
    for (std::size_t j = 1; j < rule.links.size(); ++j) {
      const auto& t = rule.links[j].targets;
      if (std::any_of(t.begin(), t.end(), [](const Selector& s) {
            return s.coll == Coll::MatchedVars || s.coll == Coll::MatchedVar;
          })) {
        for (std::size_t i = 0; i < j; ++i) rule.links[i].feeds_matched = true;
      }
    }
  }
  for (const auto& ids : b.removals) {
    for (const auto& id : effective_constants) {
      if (in_ranges(ids, id)) return fail("SecRuleRemoveById removes the set-up rule " + id);
    }
    std::erase_if(model.rules, [&](const ModelRule& r) { return in_ranges(ids, r.id); });
  }
  for (const auto& [ids, targets] : b.target_updates) {
    Link extra;
    read_variables(targets, extra);
    for (const auto& id : effective_constants) {
      if (in_ranges(ids, id) && !extra.targets.empty()) {
        return fail("SecRuleUpdateTargetById adds targets to the set-up rule " + id);
      }
    }
    for (auto& r : model.rules) {
      if (!in_ranges(ids, r.id) || r.links.empty()) continue;
      Link& first = r.links.front();
      first.excludes = first.excludes || extra.excludes;
      first.targets.insert(first.targets.end(), extra.targets.begin(), extra.targets.end());
    }
  }
  return model;
}

}  // namespace nanbyo::gw::prefilter
