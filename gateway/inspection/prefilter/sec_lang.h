// The subset of ModSecurity's configuration language the prefilter reads (issue 14 part 4):
// directives split into their arguments, backslash-continued lines joined, quoted arguments
// unescaped, and `Include` followed. It reads the same text the engine loads, so the
// prefilter and the engine see one rule set.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "pki/result.h"

namespace nanbyo::gw::prefilter {

struct Directive {
  std::string name;  // "SecRule", "SecAction", "SecMarker", ...
  std::vector<std::string> args;
  std::filesystem::path file;  // where it was read ("" for the inline text)
};

// The directives of `text` in load order, with every Include expanded in place (relative
// paths against `base`). An error names the file and what was wrong.
Result<std::vector<Directive>> read_directives(const std::string& text,
                                               const std::filesystem::path& base);

// One `name:value` action of a rule's action list; quotes around the value removed.
struct Action {
  std::string name;
  std::string value;
};

// "id:1,phase:2,setvar:'tx.a=b,c'" -> {id,1} {phase,2} {setvar,tx.a=b,c}
std::vector<Action> split_actions(const std::string& text);

}  // namespace nanbyo::gw::prefilter
