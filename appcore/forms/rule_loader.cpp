// Reading the rule language (rule.h) from YAML, checking that every field it
// names exists and that each operator fits the field's type.
#include <algorithm>

#include "appcore/forms/loader_detail.h"

namespace nanbyo::forms::detail {
namespace {

const std::pair<const char*, Condition::Op> kOps[] = {
    {"eq", Condition::Op::Eq}, {"ne", Condition::Op::Ne},  {"lt", Condition::Op::Lt},
    {"le", Condition::Op::Le}, {"gt", Condition::Op::Gt},  {"ge", Condition::Op::Ge},
    {"in", Condition::Op::In}, {"has", Condition::Op::Has}};

std::vector<Condition> read_list(MapReader& r, const char* key, const FormDefinition& def) {
  YAML::Node list = r.node(key, true);
  if (!list.IsSequence() || list.size() == 0)
    r.fail(key, "expected a non-empty list of conditions");
  std::vector<Condition> out;
  for (std::size_t i = 0; i < list.size(); ++i)
    out.push_back(
        read_condition(list[i], def, r.file(), r.path(key) + "[" + std::to_string(i) + "]"));
  return out;
}

void check_value(const FieldDef& f, const std::string& v, MapReader& r, const char* key) {
  if (f.choices.empty()) return;
  if (!f.choice(v)) r.fail(key, "\"" + v + "\" is not a choice of field " + f.id);
}

}  // namespace

Condition read_condition(const YAML::Node& n, const FormDefinition& def, const std::string& file,
                         const std::string& path) {
  MapReader r(n, file, path);
  Condition c;
  c.label = r.text("label", false);
  if (r.has("all") || r.has("any") || r.has("count")) {
    const char* key = r.has("all") ? "all" : r.has("any") ? "any" : "count";
    c.kind = r.has("all")   ? Condition::Kind::All
             : r.has("any") ? Condition::Kind::Any
                            : Condition::Kind::Count;
    c.children = read_list(r, key, def);
    if (c.kind == Condition::Kind::Count) {
      c.at_least = static_cast<std::size_t>(
          r.integer("at_least", true, 0, static_cast<long>(c.children.size())));
      if (r.has("at_most"))
        c.at_most = static_cast<std::size_t>(r.integer(
            "at_most", true, static_cast<long>(c.at_least), static_cast<long>(c.children.size())));
    }
  } else if (r.has("not")) {
    c.kind = Condition::Kind::Not;
    c.children.push_back(read_condition(r.node("not", true), def, file, r.path("not")));
  } else if (r.has("field")) {
    c.field = r.text("field", true);
    const FieldDef* f = def.field(c.field);
    if (!f) r.fail("field", "no field \"" + c.field + "\" in this form");
    if (r.has("filled")) {
      c.kind = Condition::Kind::Filled;
      c.filled = r.flag("filled", true);
    } else {
      c.kind = Condition::Kind::Compare;
      int found = 0;
      for (const auto& [name, op] : kOps) {
        if (!r.has(name)) continue;
        ++found;
        c.op = op;
        if (op == Condition::Op::In) {
          c.values = r.texts(name, true);
        } else {
          c.values.push_back(r.text(name, true));
        }
        for (const auto& v : c.values) check_value(*f, v, r, name);
        const bool multi = f->type == FieldType::MultiChoice;
        if ((op == Condition::Op::Has) != multi)
          r.fail(name, multi ? "a multiple-choice field is tested with has:"
                             : "has: tests multiple-choice fields only");
        if (f->type == FieldType::Table) r.fail(name, "a table is tested with filled: only");
      }
      if (found != 1)
        r.fail("field", "expected exactly one of eq, ne, lt, le, gt, ge, in, has, filled");
    }
  } else {
    raise(file, n.Mark(), path, "expected one of all, any, not, count, field");
  }
  r.finish();
  return c;
}

bool is_identifier(const std::string& s) {
  if (s.empty() || s.size() > 64 || s[0] < 'a' || s[0] > 'z') return false;
  return std::all_of(s.begin(), s.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
  });
}

}  // namespace nanbyo::forms::detail
