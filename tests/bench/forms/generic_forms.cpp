#include "tests/bench/forms/generic_forms.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <numeric>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "appcore/forms/engine.h"
#include "appcore/forms/rule.h"
#include "tests/bench/forms/sample_forms.h"

namespace nanbyo::bench {
namespace {

using forms::Condition;
using forms::FieldDef;
using forms::FieldType;
using forms::FieldValue;
using forms::FormDefinition;
using forms::FormValues;
using forms::text_value;

// Free text as doctors write it in findings, course and treatment items.
constexpr std::array<const char*, 8> kPhrases{
    "経過観察中",         "症状は緩徐に進行",     "前回と比べ著変なし", "治療により改善傾向",
    "外来にて定期受診中", "入院加療後に症状安定", "詳細は別紙のとおり", "特記事項なし"};

// Fills one definition's items from a seeded generator.
class DefinitionFiller {
 public:
  DefinitionFiller(const FormDefinition& def, std::uint32_t seed, std::size_t patient)
      : def_(def), rng_(seed), patient_(patient) {}

  FormValues fill(const GenericFormOptions& options) {
    // The birth date first: the other dates of the form come after it.
    birth_year_ = def_.kind == "shoman" ? pick(2009, 2022) : pick(1940, 2000);
    for (const auto& f : def_.fields)
      if (fillable(f) && (f.required || chance(options.optional_items))) v_[f.id] = value_for(f);
    if (!def_.judgments.empty() && !def_.judgments.front().outcomes.empty() &&
        chance(options.aim_first_outcome)) {
      const auto& first = def_.judgments.front().outcomes.front();
      if (first.when) steer(*first.when, true);
    }
    // What a required_when made required (twice: one may switch on another).
    for (int pass = 0; pass < 2; ++pass)
      for (const auto& f : def_.fields)
        if (fillable(f) && f.required_when && !filled(f.id) &&
            forms::evaluate(*f.required_when, def_, v_))
          v_[f.id] = value_for(f);
    // Half of the hospital systems fill the calculated items themselves.
    if (chance(0.5)) forms::apply_calculations(def_, v_);
    // The doctor enters what the criteria give (category, severity, ...).
    for (const auto& j : forms::judge(def_, v_))
      for (const auto& jd : def_.judgments)
        if (jd.id == j.id && !jd.entered.empty() && !j.computed.empty())
          v_[jd.entered] = text_value(j.computed);
    return std::move(v_);
  }

 private:
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  template <typename T>
  const T& one_of(const std::vector<T>& v) {
    return v[static_cast<std::size_t>(pick(0, static_cast<int>(v.size()) - 1))];
  }
  const PersonName& one_name(std::span<const PersonName> names) {
    return names[static_cast<std::size_t>(pick(0, static_cast<int>(names.size()) - 1))];
  }
  static bool fillable(const FieldDef& f) { return !f.from_designation && f.calculated_by.empty(); }
  bool filled(const std::string& id) const {
    auto it = v_.find(id);
    return it != v_.end() && !it->second.empty();
  }

  FieldValue value_for(const FieldDef& f) {
    FieldValue v;
    if (f.type == FieldType::MultiChoice) {
      for (const auto& c : f.choices)
        if (chance(0.4)) v.items.push_back(c.value);
      if (v.items.empty() && !f.choices.empty()) v.items.push_back(one_of(f.choices).value);
    } else if (f.type == FieldType::Table) {
      const int rows = pick(1, static_cast<int>(std::min<std::size_t>(3, f.max_rows)));
      for (int r = 0; r < rows; ++r) {
        std::map<std::string, std::string> row;
        for (const auto& c : f.columns) row[c.id] = scalar(c);
        v.rows.push_back(std::move(row));
      }
    } else {
      v.text = scalar(f);
    }
    return v;
  }

  std::string date(int y0, int y1) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", pick(y0, y1), pick(1, 12), pick(1, 28));
    return buf;
  }

  std::string number(const FieldDef& f) {
    const int decimals = f.decimals < 0 ? 1 : std::min(f.decimals, 2);
    const double scale = std::pow(10.0, decimals);
    const double lo = f.min.value_or(0), hi = f.max.value_or(lo + 100);
    const auto a = static_cast<long long>(std::ceil(lo * scale));
    const auto b = static_cast<long long>(std::floor(hi * scale));
    const long long k = a > b ? a : std::uniform_int_distribution<long long>(a, b)(rng_);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, static_cast<double>(k) / scale);
    return buf;
  }

  std::string digits(std::size_t n) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s += static_cast<char>('0' + pick(0, 9));
    return s;
  }

  std::string text(const FieldDef& f) {
    const PersonName& family = one_name(family_names());
    const PersonName& given = one_name(given_names(chance(0.5)));
    std::string s;
    if (f.id == "patient_name" || f.id.ends_with("_name"))
      s = std::string(family.kanji) + " " + given.kanji;
    else if (f.id == "insured_number")  // distinct per patient, as in a real batch
      s = std::to_string(patient_);
    else if (f.id.find("phone") != std::string::npos)
      s = "03-" + digits(4) + "-" + digits(4);
    else if (f.id.find("address") != std::string::npos)
      s = "東京都千代田区霞が関" + std::to_string(pick(1, 3)) + "-" + std::to_string(pick(1, 20));
    else if (f.max_length <= 20)
      s = digits(std::min<std::size_t>(f.max_length, 8));
    else
      s = kPhrases[pick(0, kPhrases.size() - 1)];
    return forms::utf8_length(s) <= f.max_length ? s
                                                 : digits(std::min<std::size_t>(f.max_length, 8));
  }

  std::string scalar(const FieldDef& f) {
    switch (f.type) {
      case FieldType::Kana: {
        std::string s = std::string(one_name(family_names()).kana) + " " +
                        one_name(given_names(chance(0.5))).kana;
        return forms::utf8_length(s) <= f.max_length ? s : "ア";
      }
      case FieldType::Date:
        if (f.id == "birth_date") return date(birth_year_, birth_year_);
        if (f.id == "written_on") return date(2026, 2026);
        return date(std::max(birth_year_ + 1, 2000), 2025);
      case FieldType::Number:
        return number(f);
      case FieldType::Choice:
      case FieldType::YesNo:
        return f.choices.empty() ? std::string(chance(0.5) ? "yes" : "no")
                                 : one_of(f.choices).value;
      default:
        return text(f);
    }
  }

  // Values that make `c` come out as `want`, on the items it names.
  void steer(const Condition& c, bool want) {
    const auto n = c.children.size();
    switch (c.kind) {
      case Condition::Kind::All:
      case Condition::Kind::Any:
        if ((c.kind == Condition::Kind::All) == want) {
          for (const auto& x : c.children) steer(x, want);
        } else if (n > 0) {
          steer(c.children[static_cast<std::size_t>(pick(0, static_cast<int>(n) - 1))], want);
        }
        return;
      case Condition::Kind::Not:
        steer(c.children.front(), !want);
        return;
      case Condition::Kind::Count: {
        const std::size_t hi = std::min(n, c.at_most.value_or(n));
        std::size_t k = 0;
        if (want)
          k = static_cast<std::size_t>(
              pick(static_cast<int>(std::min(c.at_least, hi)), static_cast<int>(hi)));
        else if (c.at_least > 0)
          k = static_cast<std::size_t>(pick(0, static_cast<int>(c.at_least) - 1));
        else
          k = std::min(n, hi + 1);
        std::vector<std::size_t> order(n);
        std::iota(order.begin(), order.end(), 0);
        std::shuffle(order.begin(), order.end(), rng_);
        for (std::size_t i = 0; i < n; ++i) steer(c.children[order[i]], i < k);
        return;
      }
      case Condition::Kind::Filled:
        if (want == c.filled) {
          if (const FieldDef* f = def_.field(c.field); f && !filled(c.field))
            v_[c.field] = value_for(*f);
        } else {
          v_.erase(c.field);
        }
        return;
      case Condition::Kind::Compare:
        steer_compare(c, want);
        return;
    }
  }

  void steer_compare(const Condition& c, bool want) {
    const FieldDef* f = def_.field(c.field);
    if (!f || c.values.empty()) return;
    if (c.op == Condition::Op::Has) {
      auto& items = v_[c.field].items;
      const auto it = std::find(items.begin(), items.end(), c.values.front());
      if (want && it == items.end()) items.push_back(c.values.front());
      if (!want && it != items.end()) items.erase(it);
      return;
    }
    // Candidates: the choices, or the operands and numbers around them.
    std::vector<std::string> candidates;
    for (const auto& choice : f->choices) candidates.push_back(choice.value);
    if (f->type == FieldType::Number) {
      for (int i = 0; i < 6; ++i) candidates.push_back(number(*f));
      for (const auto& operand : c.values) {
        candidates.push_back(operand);
        const double x = std::strtod(operand.c_str(), nullptr);
        for (double d : {-1.0, 1.0}) {
          const double y = x + d;
          if ((!f->min || y >= *f->min) && (!f->max || y <= *f->max))
            candidates.push_back(std::to_string(static_cast<long long>(y)));
        }
      }
    } else if (f->choices.empty()) {
      candidates = c.values;
    }
    std::vector<std::string> fitting;
    for (const auto& candidate : candidates) {
      FormValues trial{{c.field, text_value(candidate)}};
      if (forms::evaluate(c, def_, trial) == want) fitting.push_back(candidate);
    }
    if (!fitting.empty()) v_[c.field] = text_value(one_of(fitting));
  }

  const FormDefinition& def_;
  std::mt19937 rng_;
  std::size_t patient_;
  int birth_year_ = 1970;
  FormValues v_;
};

}  // namespace

std::optional<forms::FormValues> generic_form(const forms::FormDefinition& def, std::size_t patient,
                                              const GenericFormOptions& options) {
  for (std::uint32_t attempt = 0; attempt < 32; ++attempt) {
    DefinitionFiller filler(def, static_cast<std::uint32_t>(patient * 2654435761u) + attempt,
                            patient);
    FormValues values = filler.fill(options);
    if (forms::check(def, values).empty()) return values;
  }
  return std::nullopt;
}

FirstJudgment first_judgment(const forms::FormDefinition& def, const forms::FormValues& values) {
  if (def.judgments.empty() || def.judgments.front().outcomes.empty()) return {};
  const auto results = forms::judge(def, values);
  FirstJudgment out;
  out.outcome = results.front().computed;
  out.first = out.outcome == def.judgments.front().outcomes.front().value;
  return out;
}

}  // namespace nanbyo::bench
