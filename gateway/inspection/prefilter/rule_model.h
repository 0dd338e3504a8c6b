// The rules the prefilter must account for (issue 14 part 4), read from the same
// configuration the engine loads. Constant rules (the CRS set-up, paranoia-level and
// sampling switches, blocking evaluation over scores that nothing raised) are evaluated
// once here, with their skips; what remains are the rules that can alert on a request,
// each a chain of links over the request's variables.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "gateway/inspection/prefilter/operators.h"
#include "gateway/inspection/prefilter/request_view.h"
#include "gateway/inspection/prefilter/sec_lang.h"
#include "gateway/inspection/prefilter/transforms.h"
#include "pki/result.h"

namespace nanbyo::gw::prefilter {

struct Selector {
  Coll coll = Coll::Unknown;
  std::string name;        // the collection as the rule spells it, upper case ("ARGS")
  std::string key;         // lower case; "" for the whole collection
  bool key_regex = false;  // "/.../": read as the whole collection (a superset)
  bool count = false;      // "&ARGS"
  std::shared_ptr<const Regex> key_pattern;  // TX:/.../ compiled
  std::vector<std::string> constant_names;   // TX:/.../: the constants whose names match
  bool others_literal = false;  // TX:/.../: another rule sets a matching name per request
};

struct SetVar {
  std::string name;  // lower case, after "tx."; may hold macros
  char op = '=';     // '=', '+', '-', '!' (delete)
  std::string value;
};

struct Link {
  std::vector<Selector> targets;
  bool excludes = false;  // "!VAR" parts, ignored: more values only add matches; counts unknown
  OpKind op = OpKind::Unmodelled;
  bool negated = false;
  std::string param;           // macros of constant variables expanded
  bool runtime_param = false;  // still holds a macro of a request value
  std::shared_ptr<const Regex> regex;
  std::vector<std::string> phrases;  // @pm/@pmFromFile, lower case
  std::vector<Transform> transforms;
  bool capture = false;
  std::vector<SetVar> setvars;
  bool feeds_matched = false;  // a later link reads MATCHED_VAR(S): every match is kept
  // Set by the prefilter: the Hyperscan answer for this link. It decides the link when
  // `slot_decides`; otherwise a false answer (no value can match) still settles it.
  int scan_slot = -1;
  bool slot_decides = false;
  unsigned triggers = 0;  // the bytes on which the chain's dropped decodings would act
};

struct ModelRule {
  std::string id;
  std::vector<Link> links;
  bool always = false;  // a constant rule that alerts on every request
};

struct TxState {
  std::map<std::string, std::string> constants;
  // Variables set per request by rules outside the alerting chains' last links, by rule id.
  std::map<std::string, std::set<std::string>> runtime;
  std::vector<std::pair<std::string, std::string>> runtime_prefixes;  // names with macros
  // The rules that set names with macros, evaluated again when a TX:/pattern/ reads them.
  std::map<std::string, std::shared_ptr<const struct ModelRule>> setters;
};

struct RuleModel {
  std::vector<ModelRule> rules;
  TxState tx;
  std::size_t constant_rules = 0;  // evaluated once at build
  std::size_t skipped_rules = 0;   // behind a paranoia-level or other constant skip
};

// An error says which directive the prefilter cannot account for; the caller then runs
// the engine on every request.
Result<RuleModel> model_rules(const std::vector<Directive>& directives);

}  // namespace nanbyo::gw::prefilter
