#include "gateway/inspection/prefilter/chain_eval.h"

#include <algorithm>

#include "gateway/inspection/prefilter/ascii.h"

namespace nanbyo::gw::prefilter {

namespace {

// A value a link reads, with the name the engine gives it (MATCHED_VAR_NAME).
struct Named {
  std::string name;
  std::string value;
};

bool set_by_other_rule(const TxState& tx, const std::string& name, const std::string& rule_id) {
  auto it = tx.runtime.find(name);
  if (it != tx.runtime.end() && (it->second.size() > 1 || it->second.count(rule_id) == 0)) {
    return true;
  }
  for (const auto& [prefix, setter] : tx.runtime_prefixes) {
    if (setter != rule_id && name.compare(0, prefix.size(), prefix) == 0) return true;
  }
  return false;
}

// Could the key pattern `regex` match a name that starts with `prefix`? Decided for a
// pattern anchored on a literal start ("^header_name_"); any other might.
bool may_name(const std::string& regex, const std::string& prefix) {
  if (regex.empty() || regex[0] != '^') return true;
  std::size_t n = 1;
  while (n < regex.size() && (std::isalnum(static_cast<unsigned char>(regex[n])) ||
                              regex[n] == '_' || regex[n] == '-')) {
    ++n;
  }
  const std::string literal = regex.substr(1, n - 1);
  const std::size_t common = std::min(literal.size(), prefix.size());
  return literal.compare(0, common, prefix, 0, common) == 0;
}

// One TX variable: its value, absent (nullopt inside), or not known (outer nullopt).
std::optional<std::optional<std::string>> tx_value(const Scope& scope, const std::string& name) {
  if (scope.overlay) {
    if (scope.overlay->tainted) return std::nullopt;
    for (const auto& prefix : scope.overlay->prefixes) {
      if (name.compare(0, prefix.size(), prefix) == 0) return std::nullopt;
    }
    if (name.size() == 1 && name[0] >= '0' && name[0] <= '9' && scope.overlay->groups_set) {
      const auto& g = scope.overlay->groups[name[0] - '0'];
      if (!g) return std::nullopt;
      return std::optional<std::string>(*g);
    }
    if (auto it = scope.overlay->values.find(name); it != scope.overlay->values.end()) {
      if (!it->second) return std::nullopt;
      return std::optional<std::string>(*it->second);
    }
  }
  if (set_by_other_rule(scope.tx, name, scope.rule_id)) return std::nullopt;
  if (auto it = scope.tx.constants.find(name); it != scope.tx.constants.end()) {
    return std::optional<std::string>(it->second);
  }
  return std::optional<std::string>();
}

// Runs every rule that sets TX names with macros, once per request, for their names.
void work_out_names(const Scope& scope) {
  RequestMemo& memo = *scope.memo;
  memo.computed = true;
  for (const auto& [id, setter] : scope.tx.setters) {
    Overlay set;
    const Tri r = run_rule(*setter, scope.tx, scope.view, scope.slots, set);
    if (r == Tri::Unknown || set.tainted) memo.unknown = true;
    for (auto& [name, v] : set.values) {
      memo.names.emplace_back(name, v);
    }
    memo.prefixes.insert(memo.prefixes.end(), set.prefixes.begin(), set.prefixes.end());
  }
}

// TX:/pattern/: the variables whose names match, from the constants, this rule's earlier
// links and, when their names could match, what other rules set on this request.
bool resolve_tx_pattern(const Selector& sel, const Link& link, const Scope& scope,
                        std::vector<Named>& out) {
  if (!sel.key_regex || !scope.overlay || scope.overlay->tainted || !sel.key_pattern ||
      (sel.count && link.excludes)) {
    return false;
  }
  bool known = true;
  const bool others = std::any_of(
      scope.tx.runtime_prefixes.begin(), scope.tx.runtime_prefixes.end(),
      [&](const auto& p) { return p.second != scope.rule_id && may_name(sel.key, p.first); });
  if (others) {
    if (!scope.memo || scope.depth > 0) return false;
    if (!scope.memo->computed) work_out_names(scope);
    if (scope.memo->unknown) return false;
    for (const auto& prefix : scope.memo->prefixes) {
      if (may_name(sel.key, prefix)) return false;
    }
  }
  for (const auto& prefix : scope.overlay->prefixes) {
    if (may_name(sel.key, prefix)) return false;
  }
  if (sel.others_literal) return false;
  std::size_t n = 0;
  auto consider = [&](const std::string& name, const std::optional<std::string>& v) {
    const Tri m = sel.key_pattern->search(name);
    if (m == Tri::Unknown || (m == Tri::True && !v)) known = false;
    if (m != Tri::True || !v) return;
    ++n;
    if (!sel.count) out.push_back({"TX:" + name, *v});
  };
  if (others) {
    for (const auto& [name, v] : scope.memo->names) consider(name, v);
  }
  for (const auto& [name, v] : scope.overlay->values) consider(name, v);
  for (const auto& name : sel.constant_names) {
    if (!scope.overlay->values.count(name)) consider(name, scope.tx.constants.at(name));
  }
  if (sel.count) out.push_back({"&TX", std::to_string(n)});
  return known;
}

bool resolve_tx(const Selector& sel, const Link& link, const Scope& scope,
                std::vector<Named>& out) {
  if (sel.key.empty() || sel.key_regex) return resolve_tx_pattern(sel, link, scope, out);
  auto v = tx_value(scope, sel.key);
  if (!v) return false;
  if (sel.count) {
    out.push_back({"&TX", *v ? "1" : "0"});
  } else if (*v) {
    out.push_back({"TX:" + sel.key, **v});
  }
  return true;
}

bool resolve_matched(const Selector& sel, const Scope& scope, std::vector<Named>& out) {
  if (!scope.overlay || !scope.overlay->matched_known || sel.key_regex || !sel.key.empty()) {
    return false;
  }
  const auto& m = scope.overlay->matched;
  const bool last_only = sel.coll == Coll::MatchedVar;
  if (sel.count) {
    out.push_back({"&" + sel.name,
                   std::to_string(last_only ? std::min<std::size_t>(m.size(), 1) : m.size())});
  } else if (last_only) {
    if (!m.empty()) out.push_back({sel.name, m.back()});
  } else {
    for (const auto& v : m) out.push_back({sel.name, v});
  }
  return true;
}

bool resolve_request(const Selector& sel, const Link& link, const Scope& scope,
                     std::vector<Named>& out) {
  const auto& items = scope.view.in(sel.coll);
  if (sel.count) {
    if (sel.key_regex || link.excludes) return false;
    std::size_t n = 0;
    for (const auto& item : items) {
      if (sel.key.empty() || ascii_iequals(item.key, sel.key)) ++n;
    }
    out.push_back({"&" + sel.name, std::to_string(n)});
    return true;
  }
  for (const auto& item : items) {
    if (sel.key.empty() || sel.key_regex || ascii_iequals(item.key, sel.key)) {
      out.push_back({item.key.empty() ? sel.name : sel.name + ":" + item.key, item.value});
    }
  }
  return true;
}

// The values a link reads; false when some are not known.
bool resolve(const Link& link, const Scope& scope, std::vector<Named>& out) {
  bool known = true;
  for (const auto& sel : link.targets) {
    switch (sel.coll) {
      case Coll::Unknown:
        known = false;
        break;
      case Coll::Empty:
        if (sel.count) out.push_back({"&" + sel.name, "0"});
        break;
      case Coll::MatchedVars:
      case Coll::MatchedVar:
        known = resolve_matched(sel, scope, out) && known;
        break;
      case Coll::Tx:
        known = resolve_tx(sel, link, scope, out) && known;
        break;
      default:
        known = resolve_request(sel, link, scope, out) && known;
    }
  }
  return known;
}

// The link's setvar actions after a match on one value, into the overlay.
void act(const Link& link, const Scope& scope, const Named& matched, Overlay& overlay) {
  Scope here = scope;
  here.matched = &matched.value;
  here.matched_name = &matched.name;
  for (const auto& set : link.setvars) {
    auto name = expand(set.name, here);
    if (!name) {
      // Keep what is known of the name: its text before the first macro not followed.
      std::string known_start = set.name.substr(0, set.name.find("%{"));
      if (set.name.rfind("%{rule.id}", 0) == 0) {
        const std::string rest = set.name.substr(10);
        known_start = scope.rule_id + rest.substr(0, rest.find("%{"));
      }
      overlay.prefixes.push_back(ascii_lowered(known_start));
      continue;
    }
    const std::string key = ascii_lowered(*name);
    if (set.op == '!') {
      overlay.values.erase(key);
      continue;
    }
    auto value = expand(set.value, here);
    if (!value || set.op != '=') {
      overlay.values[key] = std::nullopt;  // arithmetic on per-request values: not followed
      continue;
    }
    overlay.values[key] = *value;
  }
}

Tri evaluate_link(const Link& link, const Scope& scope, Overlay& overlay) {
  std::string param = link.param;
  if (link.runtime_param) {
    auto expanded = expand(link.param, scope);
    if (!expanded || link.op == OpKind::Rx) return Tri::Unknown;
    param = *expanded;
  }
  std::vector<Named> values;
  const bool known = resolve(link, scope, values);
  if (link.op == OpKind::Unconditional && link.targets.empty()) values.emplace_back();  // SecAction
  const bool acts = link.capture || !link.setvars.empty() || link.feeds_matched;
  bool unknown = !known;
  bool matched = false;
  std::size_t captured = 0;
  std::vector<std::string> groups;
  for (auto& named : values) {
    if (!apply_transforms(link.transforms, named.value)) {
      unknown = true;
      continue;
    }
    Tri r = apply_operator(link.op, param, link.regex.get(), link.phrases, named.value,
                           link.capture ? &groups : nullptr);
    if (link.negated) r = negate(r);
    if (r == Tri::Unknown) unknown = true;
    if (r != Tri::True) continue;
    matched = true;
    if (!acts) break;
    if (link.feeds_matched) overlay.matched.push_back(named.value);
    if (link.capture) {
      ++captured;
      overlay.groups_set = true;
      for (std::size_t i = 0; i < 10; ++i) {
        overlay.groups[i] = i < groups.size() ? groups[i] : std::string();
      }
    }
    act(link, scope, named, overlay);  // with this value's groups
  }
  if (captured > 1) {
    // Which value's groups the engine leaves for the next link is not followed.
    for (auto& g : overlay.groups) g.reset();
  }
  if (acts && unknown) {
    overlay.tainted = true;
    overlay.matched_known = false;
  }
  if (matched) return Tri::True;
  return unknown ? Tri::Unknown : Tri::False;
}

}  // namespace

std::optional<std::string> expand(std::string_view text, const Scope& scope) {
  std::string out;
  std::size_t at = 0;
  while (true) {
    const auto open = text.find("%{", at);
    if (open == std::string_view::npos) break;
    const auto close = text.find('}', open);
    if (close == std::string_view::npos) break;
    out.append(text.substr(at, open - at));
    const std::string name = ascii_lowered(text.substr(open + 2, close - open - 2));
    if (name.rfind("tx.", 0) == 0) {
      auto v = tx_value(scope, name.substr(3));
      if (!v) return std::nullopt;
      if (*v) out += **v;
    } else if (name.rfind("request_headers.", 0) == 0) {
      const std::string* h = scope.view.header(name.substr(16));
      if (h) out += *h;
    } else if (name == "remote_addr" && !scope.view.in(Coll::RemoteAddr).empty()) {
      out += scope.view.in(Coll::RemoteAddr).front().value;
    } else if (name == "rule.id") {
      out += scope.rule_id;
    } else if (name == "matched_var" && scope.matched) {
      out += *scope.matched;
    } else if (name == "matched_var_name" && scope.matched_name && !scope.matched_name->empty()) {
      out += *scope.matched_name;
    } else {
      return std::nullopt;
    }
    at = close + 1;
  }
  out.append(text.substr(at));
  return out;
}

namespace {

Tri run_links(const ModelRule& rule, Scope& scope, Overlay& o) {
  if (!o.values.empty() || o.tainted || !o.prefixes.empty() || !o.matched.empty() ||
      !o.matched_known || o.groups_set) {
    o = Overlay{};
  }
  Tri verdict = Tri::True;
  for (const auto& link : rule.links) {
    Tri r;
    const bool scanned = scope.slots && link.scan_slot >= 0;
    const Tri slot =
        scanned ? (*scope.slots)[static_cast<std::size_t>(link.scan_slot)] : Tri::Unknown;
    if (scanned && (slot == Tri::False || link.slot_decides)) {
      r = slot;
    } else {
      r = evaluate_link(link, scope, o);
    }
    if (r == Tri::False) return Tri::False;
    if (r == Tri::Unknown) verdict = Tri::Unknown;
  }
  return verdict;
}

}  // namespace

Tri evaluate_rule(const ModelRule& rule, const TxState& tx, const RequestView& view,
                  const std::vector<Tri>* slots, Overlay* overlay, RequestMemo* memo, int depth) {
  if (rule.always) return Tri::True;
  // A chain is an AND: one scanned link that cannot match settles it before any work.
  if (slots) {
    for (const auto& link : rule.links) {
      if (link.scan_slot >= 0 && (*slots)[static_cast<std::size_t>(link.scan_slot)] == Tri::False) {
        return Tri::False;
      }
    }
  }
  Overlay local;
  Scope scope{tx, view, rule.id, nullptr};
  Overlay& o = overlay ? *overlay : local;
  scope.overlay = &o;
  scope.memo = memo;
  scope.slots = slots;
  scope.depth = depth;
  return run_links(rule, scope, o);
}

Tri run_rule(const ModelRule& rule, const TxState& tx, const RequestView& view,
             const std::vector<Tri>* slots, Overlay& overlay) {
  if (rule.always) return Tri::True;
  Scope scope{tx, view, rule.id, &overlay};
  scope.slots = slots;
  scope.depth = 1;
  return run_links(rule, scope, overlay);
}

}  // namespace nanbyo::gw::prefilter
