// Reading the rule configuration into rules (issue 14 part 4): each SecRule or SecAction
// with the links chained to it, the markers, and the directives that remove rules or
// change their targets. rule_model.cpp evaluates what this reads.
#pragma once

#include <string>
#include <vector>

#include "gateway/inspection/prefilter/rule_model.h"
#include "gateway/inspection/prefilter/sec_lang.h"
#include "pki/result.h"

namespace nanbyo::gw::prefilter {

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

struct Builder {
  std::vector<Parsed> rules;
  std::vector<Item> items;
  std::vector<std::vector<std::string>> removals;
  std::vector<std::pair<std::vector<std::string>, std::string>> target_updates;
};

// The rules, markers, removals and target updates of the directives, in load order; an
// error names a directive the prefilter cannot account for.
Result<Builder> read_rules(const std::vector<Directive>& directives);

// Adds the selectors of a variable list ("ARGS|!REQUEST_COOKIES:/__utm/|&ARGS") to `link`.
void read_variables(const std::string& text, Link& link);

// "941310", "9000-9999", "1 2 3": does `id` fall in any?
bool in_ranges(const std::vector<std::string>& args, const std::string& id);

}  // namespace nanbyo::gw::prefilter
