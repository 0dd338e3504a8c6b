// F-3: automatic calculations (BMI, 肥満度, sums, scores).
#include <charconv>
#include <cmath>
#include <cstdio>
#include <optional>

#include "appcore/forms/engine.h"
#include "appcore/forms/standard_weight.h"

namespace nanbyo::forms {
namespace {

std::optional<double> number_of(const FormValues& values, const std::string& id) {
  auto it = values.find(id);
  if (it == values.end() || it->second.text.empty()) return std::nullopt;
  const std::string& t = it->second.text;
  double v = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || end != t.data() + t.size()) return std::nullopt;
  return v;
}

std::string text_of(const FormValues& values, const std::string& id) {
  auto it = values.find(id);
  return it == values.end() ? std::string() : it->second.text;
}

std::string format(double v, int decimals) {
  // Round half away from zero at the definition's precision, as done by hand.
  const double scale = std::pow(10.0, decimals);
  double r = std::round(v * scale) / scale;
  if (r == 0) r = 0;  // no "-0.0"
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, r);
  return buf;
}

std::string label_of(const FormDefinition& def, const std::string& id) {
  const FieldDef* f = def.field(id);
  return "「" + (f ? f->label : id) + "」";
}

CalculationResult run(const FormDefinition& def, const CalculationDef& c, const FormValues& v) {
  CalculationResult r{c.id, c.target, c.label, std::nullopt, ""};
  auto need = [&](const std::string& key) -> std::optional<double> {
    auto x = number_of(v, c.inputs.at(key));
    if (!x && r.note.empty()) r.note = label_of(def, c.inputs.at(key)) + "を入力してください。";
    return x;
  };
  switch (c.kind) {
    case CalculationDef::Kind::Bmi: {
      auto w = need("weight"), h = need("height");
      if (w && h && *h > 0) r.value = format(*w / ((*h / 100) * (*h / 100)), c.decimals);
      break;
    }
    case CalculationDef::Kind::ObesityDegree: {
      auto h = need("height"), w = need("weight");
      auto age = age_in_years(text_of(v, c.inputs.at("birth_date")),
                              text_of(v, c.inputs.at("measured_on")));
      const std::string sex = text_of(v, c.inputs.at("sex"));
      if (!h || !w) break;
      if (!age) {
        r.note = label_of(def, c.inputs.at("birth_date")) + "と" +
                 label_of(def, c.inputs.at("measured_on")) + "を正しく入力してください。";
        break;
      }
      if (sex != "male" && sex != "female") {
        r.note = label_of(def, c.inputs.at("sex")) + "を選択してください。";
        break;
      }
      auto degree = obesity_degree(sex == "male" ? Sex::Male : Sex::Female, *age, *h, *w);
      if (!degree) {
        r.note = "この年齢・身長の標準体重は定義されていません（1〜17歳）。";
        break;
      }
      r.value = format(*degree, c.decimals);
      break;
    }
    case CalculationDef::Kind::Sum: {
      double total = 0;
      for (const auto& t : c.terms) total += number_of(v, t).value_or(0);
      r.value = format(total, c.decimals);
      break;
    }
    case CalculationDef::Kind::Score: {
      double total = 0;
      for (const auto& item : c.items)
        if (evaluate(item.when, def, v)) total += item.points;
      r.value = format(total, c.decimals);
      break;
    }
  }
  return r;
}

}  // namespace

std::vector<CalculationResult> calculate(const FormDefinition& def, const FormValues& values) {
  std::vector<CalculationResult> out;
  out.reserve(def.calculations.size());
  // Later calculations may use earlier targets (a score feeding a sum): apply as
  // we go, on a copy made only when a later calculation could see a new value
  // (every save, check and upload runs this: most forms have one calculation or none).
  std::optional<FormValues> working;
  for (std::size_t i = 0; i < def.calculations.size(); ++i) {
    const CalculationDef& c = def.calculations[i];
    out.push_back(run(def, c, working ? *working : values));
    if (!out.back().value || i + 1 == def.calculations.size()) continue;
    if (!working) working = values;
    (*working)[c.target] = text_value(*out.back().value);
  }
  return out;
}

void apply_calculations(const FormDefinition& def, FormValues& values) {
  for (const auto& r : calculate(def, values))
    if (r.value) values[r.target] = text_value(*r.value);
}

}  // namespace nanbyo::forms
