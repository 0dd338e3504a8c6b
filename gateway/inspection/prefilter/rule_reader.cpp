#include "gateway/inspection/prefilter/rule_reader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "gateway/inspection/prefilter/ascii.h"

namespace nanbyo::gw::prefilter {
namespace fs = std::filesystem;

namespace {

bool starts_with_ci(const std::string& s, const std::string& prefix) {
  return ascii_lowered(s.substr(0, prefix.size())) == prefix;
}

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

}  // namespace

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

Result<Builder> read_rules(const std::vector<Directive>& directives) {
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

}  // namespace nanbyo::gw::prefilter
