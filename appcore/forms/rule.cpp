// Evaluation and Japanese explanations of the rule language (rule.h).
#include "appcore/forms/rule.h"

#include <algorithm>
#include <charconv>

#include "appcore/forms/definition.h"

namespace nanbyo::forms {
namespace {

std::optional<double> number(const std::string& text) {
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

// Numbers compare as numbers (also numeric choice values such as Hoehn-Yahr
// stages); dates and other text compare as text (ISO dates sort correctly).
int compare(const std::string& a, const std::string& b) {
  auto x = number(a), y = number(b);
  if (x && y) return *x < *y ? -1 : (*x > *y ? 1 : 0);
  return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
}

bool compare_holds(const Condition& c, const FieldValue& v) {
  if (c.op == Condition::Op::Has)
    return std::find(v.items.begin(), v.items.end(), c.values.front()) != v.items.end();
  if (v.text.empty()) return false;
  if (c.op == Condition::Op::In)
    return std::find(c.values.begin(), c.values.end(), v.text) != c.values.end();
  const int r = compare(v.text, c.values.front());
  switch (c.op) {
    case Condition::Op::Eq:
      return r == 0;
    case Condition::Op::Ne:
      return r != 0;
    case Condition::Op::Lt:
      return r < 0;
    case Condition::Op::Le:
      return r <= 0;
    case Condition::Op::Gt:
      return r > 0;
    case Condition::Op::Ge:
      return r >= 0;
    default:
      return false;
  }
}

std::string quoted(const std::string& s) {
  return "「" + s + "」";
}

std::string value_label(const FormDefinition& def, const std::string& field,
                        const std::string& value) {
  if (const FieldDef* f = def.field(field)) {
    if (const ChoiceDef* c = f->choice(value)) return quoted(c->label);
    if (!f->unit.empty()) return value + f->unit;
  }
  return quoted(value);
}

std::string field_label(const FormDefinition& def, const std::string& field) {
  const FieldDef* f = def.field(field);
  return quoted(f ? f->label : field);
}

}  // namespace

bool evaluate(const Condition& c, const FormDefinition& def, const FormValues& values) {
  switch (c.kind) {
    case Condition::Kind::All:
      return std::all_of(c.children.begin(), c.children.end(),
                         [&](const Condition& x) { return evaluate(x, def, values); });
    case Condition::Kind::Any:
      return std::any_of(c.children.begin(), c.children.end(),
                         [&](const Condition& x) { return evaluate(x, def, values); });
    case Condition::Kind::Not:
      return !evaluate(c.children.front(), def, values);
    case Condition::Kind::Count: {
      auto n = static_cast<std::size_t>(
          std::count_if(c.children.begin(), c.children.end(),
                        [&](const Condition& x) { return evaluate(x, def, values); }));
      return n >= c.at_least && (!c.at_most || n <= *c.at_most);
    }
    case Condition::Kind::Filled: {
      auto it = values.find(c.field);
      const bool filled = it != values.end() && !it->second.empty();
      return filled == c.filled;
    }
    case Condition::Kind::Compare: {
      auto it = values.find(c.field);
      if (it == values.end()) return false;
      return compare_holds(c, it->second);
    }
  }
  return false;
}

std::string describe(const Condition& c, const FormDefinition& def) {
  if (!c.label.empty()) return c.label;
  auto joined = [&](const char* sep) {
    std::string out;
    for (const auto& x : c.children) out += (out.empty() ? "" : sep) + describe(x, def);
    return out;
  };
  switch (c.kind) {
    case Condition::Kind::All:
      return "（" + joined("、かつ") + "）";
    case Condition::Kind::Any:
      return "（" + joined("、又は") + "）";
    case Condition::Kind::Not:
      return "次に該当しない: " + describe(c.children.front(), def);
    case Condition::Kind::Count: {
      std::string text = "次のうち" + std::to_string(c.at_least) + "項目以上";
      if (c.at_most) text += std::to_string(*c.at_most) + "項目以下";
      return text + "に該当する: " + joined("、");
    }
    case Condition::Kind::Filled:
      return field_label(def, c.field) + (c.filled ? "が入力されている" : "が未入力である");
    case Condition::Kind::Compare:
      break;
  }
  const std::string f = field_label(def, c.field);
  const std::string v = c.values.empty() ? "" : value_label(def, c.field, c.values.front());
  switch (c.op) {
    case Condition::Op::Eq:
      return f + "が" + v + "である";
    case Condition::Op::Ne:
      return f + "が" + v + "でない";
    case Condition::Op::Lt:
      return f + "が" + v + "未満";
    case Condition::Op::Le:
      return f + "が" + v + "以下";
    case Condition::Op::Gt:
      return f + "が" + v + "を超える";
    case Condition::Op::Ge:
      return f + "が" + v + "以上";
    case Condition::Op::Has:
      return f + "で" + v + "が選択されている";
    case Condition::Op::In: {
      std::string list;
      for (const auto& x : c.values) list += value_label(def, c.field, x);
      return f + "で" + list + "のいずれかが選択されている";
    }
  }
  return f;
}

std::vector<std::string> explain(const Condition& c, const FormDefinition& def,
                                 const FormValues& values) {
  const bool holds = evaluate(c, def, values);
  std::vector<std::string> out;
  // A labelled condition is explained by its label; an unlabelled all or any by
  // its children that agree with it (a false all by its false children, a true
  // any by its true ones, a true all or a false any by every child, one line
  // each, as the ministry's screen lists 条件1, 条件8 …); anything else as a whole.
  if (c.label.empty() && (c.kind == Condition::Kind::All || c.kind == Condition::Kind::Any)) {
    for (const auto& x : c.children) {
      if (evaluate(x, def, values) != holds) continue;
      auto sub = explain(x, def, values);
      out.insert(out.end(), sub.begin(), sub.end());
    }
    if (!out.empty()) return out;
  }
  out.push_back(describe(c, def));
  return out;
}

}  // namespace nanbyo::forms
