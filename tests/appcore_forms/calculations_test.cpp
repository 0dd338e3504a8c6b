// F-3 calculations against values computed by hand.
#include <cmath>

#include "appcore/forms/standard_weight.h"
#include "form_cases.h"

using namespace nanbyo::forms;
using namespace nanbyo::forms::testing;

namespace {

std::string calc(const FormDefinition& def, const FormValues& v, const std::string& id) {
  for (const auto& r : calculate(def, v))
    if (r.id == id) return r.value.value_or("(" + r.note + ")");
  return "(none)";
}

}  // namespace

TEST_CASE("school-age standard weight uses the 2000 coefficients", "[unit]") {
  // 10-year-old boy, 130 cm: 0.752 × 130 − 70.461 = 27.299 kg.
  CHECK(standard_weight(Sex::Male, 10, 130).value() == Approx(27.299));
  // 12-year-old girl, 150 cm: 0.796 × 150 − 76.934 = 42.466 kg.
  CHECK(standard_weight(Sex::Female, 12, 150).value() == Approx(42.466));
  // 17-year-old boy, 170 cm: 0.672 × 170 − 53.642 = 60.598 kg.
  CHECK(standard_weight(Sex::Male, 17, 170).value() == Approx(60.598));
  // 5-year-old girl, 110 cm: 0.377 × 110 − 22.750 = 18.72 kg.
  CHECK(standard_weight(Sex::Female, 5, 110).value() == Approx(18.72));
}

TEST_CASE("pre-school standard weight uses the quadratic height formula", "[unit]") {
  // 3-year-old girl, 95 cm: 0.00249 × 9025 − 0.1858 × 95 + 9.0360 = 13.85725 kg.
  CHECK(standard_weight(Sex::Female, 3, 95).value() == Approx(13.85725));
  // 2-year-old boy, 85 cm: 0.00206 × 7225 − 0.1166 × 85 + 6.5273 = 11.4998 kg.
  CHECK(standard_weight(Sex::Male, 2, 85).value() == Approx(11.4998));
  CHECK_FALSE(standard_weight(Sex::Male, 0, 60).has_value());
  CHECK_FALSE(standard_weight(Sex::Male, 18, 170).has_value());
  CHECK_FALSE(standard_weight(Sex::Male, 3, 130).has_value());  // outside 70–120 cm
}

TEST_CASE("age is counted in completed years", "[unit]") {
  CHECK(age_in_years("2015-06-10", "2026-06-09").value() == 10);
  CHECK(age_in_years("2015-06-10", "2026-06-10").value() == 11);
  CHECK_FALSE(age_in_years("2027-01-01", "2026-01-01").has_value());
}

TEST_CASE("BMI and 肥満度 of the 小慢 form match hand computation", "[unit]") {
  const auto& def = definition("shoman-5-091");
  auto v = prader_willi();  // boy born 2015-06-10, measured 2026-04-20 (10 y), 130 cm, 40 kg
  // BMI = 40 / 1.30² = 23.669 → 23.7
  CHECK(calc(def, v, "bmi") == "23.7");
  // 肥満度 = (40 − 27.299) / 27.299 × 100 = 46.53 % → 46.5
  CHECK(calc(def, v, "obesity_degree") == "46.5");
  apply_calculations(def, v);
  CHECK(v["obesity_degree"].text == "46.5");
  v.erase("weight_kg");
  CHECK(calc(def, v, "bmi") == "(「体重」を入力してください。)");
}

TEST_CASE("scores and counts: SLEDAI and the ACR item count", "[unit]") {
  const auto& def = definition("nanbyo-049");
  auto v = sle_definite();
  CHECK(calc(def, v, "acr_count") == "4");
  CHECK(calc(def, v, "sledai_total") == "8");  // arthritis 4 + low complement 2 + anti-DNA 2
  v["sd_seizure"] = text_value("yes");
  v["sd_fever"] = text_value("yes");
  CHECK(calc(def, v, "sledai_total") == "17");
}

TEST_CASE("a sum adds the numbers that are filled", "[unit]") {
  auto def = must(parse_definition(R"(id: nanbyo-001
kind: nanbyo
notice_no: 1
form_type: 臨床調査個人票
version: "1"
title: sum
sources: [test]
sections:
  - id: s
    title: S
    fields:
      - {id: a, label: A, type: number}
      - {id: b, label: B, type: number}
      - {id: total, label: 合計, type: number}
calculations:
  - {id: total, kind: sum, target: total, terms: [a, b], decimals: 2}
)",
                                   "sum.yaml"));
  FormValues v;
  v["a"] = text_value("1.25");
  v["b"] = text_value("2.5");
  CHECK(calc(def, v, "total") == "3.75");
}
