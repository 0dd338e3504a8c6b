#include "gateway/inspection/prefilter/rule_model.h"

#include <algorithm>

#include "gateway/inspection/prefilter/ascii.h"
#include "gateway/inspection/prefilter/chain_eval.h"
#include "gateway/inspection/prefilter/rule_reader.h"

namespace nanbyo::gw::prefilter {

namespace {

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

// Compiles the link's pattern once its parameter is final.
void compile(Link& link) {
  if (link.op != OpKind::Rx || link.runtime_param) return;
  std::string error;
  link.regex = Regex::compile(link.param, &error);
  if (!link.regex) link.op = OpKind::Unmodelled;
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
  NANBYO_TRY(b, read_rules(directives));
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
