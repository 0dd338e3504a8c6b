// Evaluates a rule's chain of links on a request view, as the engine would but answering
// Unknown wherever it cannot be sure (issue 14 part 4). A rule can alert unless some link
// is certainly false; captures and setvar of earlier links feed the later ones.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/inspection/prefilter/rule_model.h"

namespace nanbyo::gw::prefilter {

// TX values set by the links evaluated so far; nullopt: set, but to a value not known.
struct Overlay {
  std::map<std::string, std::optional<std::string>> values;
  std::optional<std::string> groups[10];  // TX:0..TX:9 from `capture`
  bool groups_set = false;
  bool tainted = false;               // a link that sets variables answered Unknown
  std::vector<std::string> prefixes;  // names set with a macro not followed: their known start
  std::vector<std::string> matched;   // MATCHED_VARS so far
  bool matched_known = true;          // false: some link's matches were not all seen
};

// What the rules that set TX names with macros set on this request, worked out once per
// request when a TX:/pattern/ needs it.
struct RequestMemo {
  bool computed = false;
  bool unknown = false;  // some setter's effects are not known
  std::vector<std::pair<std::string, std::optional<std::string>>> names;
  std::vector<std::string> prefixes;  // names only partly known
};

struct Scope {
  const TxState& tx;
  const RequestView& view;
  const std::string& rule_id;
  const Overlay* overlay = nullptr;
  const std::string* matched = nullptr;       // MATCHED_VAR while acting on one value
  const std::string* matched_name = nullptr;  // MATCHED_VAR_NAME ("ARGS:q")
  RequestMemo* memo = nullptr;
  const std::vector<Tri>* slots = nullptr;  // the Hyperscan answers, by Link::scan_slot
  int depth = 0;                            // > 0 inside another rule's evaluation
};

// %{tx.name}, %{request_headers.name}, %{remote_addr}, %{matched_var} expanded; nullopt
// when a macro names what the scope cannot tell.
std::optional<std::string> expand(std::string_view text, const Scope& scope);

// The rule's verdict. `slots`: the Hyperscan answers of the links the prefilter scanned
// (Link::scan_slot); null to evaluate every link exactly.
Tri evaluate_rule(const ModelRule& rule, const TxState& tx, const RequestView& view,
                  const std::vector<Tri>* slots, Overlay* overlay, RequestMemo* memo = nullptr,
                  int depth = 0);

// The rule's links in order, as the engine runs them, until one is false: the variables
// its matching links set are then in `overlay` (the verdict is the same).
Tri run_rule(const ModelRule& rule, const TxState& tx, const RequestView& view,
             const std::vector<Tri>* slots, Overlay& overlay);

}  // namespace nanbyo::gw::prefilter
