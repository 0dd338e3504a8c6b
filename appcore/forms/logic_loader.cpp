// Reading calculations (F-3) and judgments (F-4) of a definition.
#include <set>

#include "appcore/forms/loader_detail.h"

namespace nanbyo::forms::detail {
namespace {

const FieldDef& number_field(MapReader& r, const char* key, const std::string& id,
                             const FormDefinition& def) {
  const FieldDef* f = def.field(id);
  if (!f) r.fail(key, "no field \"" + id + "\" in this form");
  return *f;
}

void read_inputs(MapReader& r, CalculationDef& c, const FormDefinition& def,
                 const std::vector<std::pair<const char*, FieldType>>& wanted) {
  MapReader in(r.node("inputs", true), r.file(), r.path("inputs"));
  for (const auto& [name, type] : wanted) {
    const std::string id = in.text(name, true);
    const FieldDef& f = number_field(in, name, id, def);
    if (f.type != type)
      in.fail(name, "field " + id + " is " + std::string(to_string(f.type)) + ", expected " +
                        std::string(to_string(type)));
    c.inputs[name] = id;
  }
  in.finish();
}

}  // namespace

void read_calculations(const YAML::Node& n, FormDefinition& def, const std::string& file) {
  if (!n.IsDefined() || n.IsNull()) return;
  if (!n.IsSequence()) raise(file, n.Mark(), "calculations", "expected a list");
  std::set<std::string> targets;
  for (std::size_t i = 0; i < n.size(); ++i) {
    const std::string path = "calculations[" + std::to_string(i) + "]";
    MapReader r(n[i], file, path);
    CalculationDef c;
    c.id = r.text("id", true);
    c.label = r.text("label", false, c.id);
    c.target = r.text("target", true);
    c.decimals = static_cast<int>(r.integer("decimals", false, 0, 4, 1));
    const std::string kind = r.text("kind", true);
    if (kind == "bmi") {
      c.kind = CalculationDef::Kind::Bmi;
      read_inputs(r, c, def, {{"weight", FieldType::Number}, {"height", FieldType::Number}});
    } else if (kind == "obesity-degree") {
      c.kind = CalculationDef::Kind::ObesityDegree;
      read_inputs(r, c, def,
                  {{"sex", FieldType::Choice},
                   {"birth_date", FieldType::Date},
                   {"measured_on", FieldType::Date},
                   {"height", FieldType::Number},
                   {"weight", FieldType::Number}});
    } else if (kind == "sum") {
      c.kind = CalculationDef::Kind::Sum;
      c.terms = r.texts("terms", true);
      for (const auto& t : c.terms)
        if (number_field(r, "terms", t, def).type != FieldType::Number)
          r.fail("terms", "field " + t + " is not a number");
    } else if (kind == "score") {
      c.kind = CalculationDef::Kind::Score;
      YAML::Node items = r.node("items", true);
      if (!items.IsSequence() || items.size() == 0) r.fail("items", "expected a non-empty list");
      for (std::size_t k = 0; k < items.size(); ++k) {
        MapReader ir(items[k], file, r.path("items") + "[" + std::to_string(k) + "]");
        ScoreItem item;
        item.points = ir.number("points").value_or(0);
        if (!ir.has("points")) ir.fail("points", "missing required key \"points\"");
        item.when = read_condition(ir.node("when", true), def, file, ir.path("when"));
        ir.finish();
        c.items.push_back(std::move(item));
      }
    } else {
      r.fail("kind", "expected one of bmi, obesity-degree, sum, score, got \"" + kind + "\"");
    }
    auto idx = def.index.find(c.target);
    if (idx == def.index.end()) r.fail("target", "no field \"" + c.target + "\" in this form");
    FieldDef& target = def.fields[idx->second];
    if (target.type != FieldType::Number) r.fail("target", "the target must be a number field");
    if (!targets.insert(c.target).second) r.fail("target", "another calculation fills this field");
    target.calculated_by = c.id;
    r.finish();
    def.calculations.push_back(std::move(c));
  }
}

void read_judgments(const YAML::Node& n, FormDefinition& def, const std::string& file) {
  if (!n.IsDefined() || n.IsNull()) return;
  if (!n.IsSequence()) raise(file, n.Mark(), "judgments", "expected a list");
  for (std::size_t i = 0; i < n.size(); ++i) {
    MapReader r(n[i], file, "judgments[" + std::to_string(i) + "]");
    JudgmentDef j;
    j.id = r.text("id", true);
    j.label = r.text("label", true);
    j.entered = r.text("entered", false);
    const FieldDef* entered = nullptr;
    if (!j.entered.empty()) {
      entered = def.field(j.entered);
      if (!entered || entered->type != FieldType::Choice)
        r.fail("entered", "\"" + j.entered + "\" is not a single-choice field of this form");
    }
    YAML::Node outcomes = r.node("outcomes", true);
    if (!outcomes.IsSequence() || outcomes.size() == 0)
      r.fail("outcomes", "expected a non-empty list");
    for (std::size_t k = 0; k < outcomes.size(); ++k) {
      MapReader o(outcomes[k], file, r.path("outcomes") + "[" + std::to_string(k) + "]");
      OutcomeDef out;
      out.value = o.text("value", true);
      const ChoiceDef* choice = entered ? entered->choice(out.value) : nullptr;
      if (entered && !choice)
        o.fail("value", "\"" + out.value + "\" is not a choice of " + j.entered);
      out.label = o.text("label", choice == nullptr, choice ? choice->label : "");
      if (o.has("when"))
        out.when = read_condition(o.node("when", true), def, file, o.path("when"));
      else
        (void)o.node("when", false);
      if (!out.when && k + 1 != outcomes.size())
        o.fail("value", "only the last outcome may have no condition (the fallback)");
      o.finish();
      j.outcomes.push_back(std::move(out));
    }
    r.finish();
    def.judgments.push_back(std::move(j));
  }
}

}  // namespace nanbyo::forms::detail
