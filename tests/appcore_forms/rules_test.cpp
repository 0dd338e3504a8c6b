// Every rule type of the rule language, conditional required-ness and the
// explanations judgments show.
#include "form_cases.h"

using namespace nanbyo::forms;
using namespace nanbyo::forms::testing;

namespace {

FormDefinition rules_form() {
  return must(parse_definition(R"(id: nanbyo-001
kind: nanbyo
notice_no: 1
form_type: 臨床調査個人票
version: "1"
title: rules
sources: [test]
sections:
  - id: s
    title: S
    fields:
      - {id: n, label: 数値, type: number, unit: mg}
      - {id: c, label: 選択, type: choice, choices: [{value: a, label: エー}, {value: b, label: ビー}]}
      - {id: m, label: 複数, type: multi-choice, choices: [{value: x, label: X}, {value: y, label: Y}]}
      - {id: d, label: 日付, type: date}
      - {id: yn, label: 有無, type: yes-no}
      - {id: detail, label: 詳細, type: text, required_when: {all: [{field: yn, eq: "yes"}, {field: n, ge: "10"}]}}
)",
                               "rules.yaml"));
}

Condition parse_condition(const FormDefinition& def, const std::string& yaml) {
  // Reuse the loader: a judgment with one outcome carries the condition.
  std::string text = R"(id: nanbyo-001
kind: nanbyo
notice_no: 1
form_type: 臨床調査個人票
version: "1"
title: rules
sources: [test]
sections:
  - id: s
    title: S
    fields:
      - {id: n, label: 数値, type: number, unit: mg}
      - {id: c, label: 選択, type: choice, choices: [{value: a, label: エー}, {value: b, label: ビー}]}
      - {id: m, label: 複数, type: multi-choice, choices: [{value: x, label: X}, {value: y, label: Y}]}
      - {id: d, label: 日付, type: date}
      - {id: yn, label: 有無, type: yes-no}
judgments:
  - id: j
    label: J
    outcomes:
      - value: hit
        label: Hit
        when: )" + yaml +
                     "\n      - value: miss\n        label: Miss\n";
  (void)def;
  auto parsed = must(parse_definition(text, "cond.yaml"));
  return *parsed.judgments.front().outcomes.front().when;
}

bool holds(const std::string& yaml, const FormValues& v) {
  auto def = rules_form();
  return evaluate(parse_condition(def, yaml), def, v);
}

FormValues values() {
  FormValues v;
  v["n"] = text_value("12.5");
  v["c"] = text_value("b");
  v["d"] = text_value("2026-04-01");
  v["yn"] = text_value("yes");
  FieldValue m;
  m.items = {"y"};
  v["m"] = m;
  return v;
}

}  // namespace

TEST_CASE("comparisons: numbers compare as numbers, dates as ISO text", "[unit]") {
  auto v = values();
  CHECK(holds(R"({field: n, eq: "12.5"})", v));
  CHECK(holds(R"({field: n, ne: "3"})", v));
  CHECK(holds(R"({field: n, gt: "9"})", v));  // text comparison would say "12.5" < "9"
  CHECK(holds(R"({field: n, ge: "12.5"})", v));
  CHECK(holds(R"({field: n, lt: "100"})", v));
  CHECK(holds(R"({field: n, le: "12.5"})", v));
  CHECK_FALSE(holds(R"({field: n, lt: "12.5"})", v));
  CHECK(holds(R"({field: d, ge: "2026-01-01"})", v));
  CHECK(holds(R"({field: c, in: [a, b]})", v));
  CHECK_FALSE(holds(R"({field: c, in: [a]})", v));
  CHECK(holds(R"({field: m, has: y})", v));
  CHECK_FALSE(holds(R"({field: m, has: x})", v));
}

TEST_CASE("an unset value makes a comparison false, filled tests presence", "[unit]") {
  FormValues empty;
  CHECK_FALSE(holds(R"({field: n, lt: "5"})", empty));
  CHECK_FALSE(holds(R"({field: n, ne: "5"})", empty));
  CHECK(holds(R"({field: n, filled: false})", empty));
  CHECK(holds(R"({field: m, filled: true})", values()));
}

TEST_CASE("all, any, not and count combine conditions", "[unit]") {
  auto v = values();
  CHECK(holds(R"({all: [{field: yn, eq: "yes"}, {field: c, eq: b}]})", v));
  CHECK_FALSE(holds(R"({all: [{field: yn, eq: "yes"}, {field: c, eq: a}]})", v));
  CHECK(holds(R"({any: [{field: c, eq: a}, {field: n, gt: "10"}]})", v));
  CHECK(holds(R"({not: {field: c, eq: a}})", v));
  const std::string three = R"([{field: c, eq: b}, {field: yn, eq: "yes"}, {field: n, gt: "100"}])";
  CHECK(holds("{count: " + three + ", at_least: 2}", v));
  CHECK_FALSE(holds("{count: " + three + ", at_least: 3}", v));
  CHECK_FALSE(holds("{count: " + three + ", at_least: 0, at_most: 1}", v));
}

TEST_CASE("a field is required only while its condition holds", "[unit]") {
  auto def = rules_form();
  auto v = values();  // yn = yes, n = 12.5 >= 10
  auto messages = check(def, v);
  REQUIRE(messages.size() == 1);
  CHECK(messages[0].field == "detail");
  CHECK(messages[0].severity == CheckMessage::Severity::Missing);
  CHECK(messages[0].text.starts_with("「詳細」を入力してください。"));
  v["n"] = text_value("3");
  CHECK(check(def, v).empty());
}

TEST_CASE("explanations name the conditions that fail", "[unit]") {
  auto def = rules_form();
  auto c = parse_condition(
      def, R"({all: [{field: n, ge: "20"}, {field: c, eq: b}, {field: yn, eq: "no"}]})");
  auto lines = explain(c, def, values());
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] == "「数値」が20mg以上");
  CHECK(lines[1] == "「有無」が「いいえ」である");
}

TEST_CASE("a true all and a false any are explained child by child", "[unit]") {
  auto def = rules_form();
  auto v = values();  // c = b, yn = yes, n = 12.5
  auto met = parse_condition(def, R"({all: [{field: c, eq: b}, {field: yn, eq: "yes"}]})");
  auto lines = explain(met, def, v);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] == "「選択」が「ビー」である");
  CHECK(lines[1] == "「有無」が「はい」である");
  auto unmet = parse_condition(
      def, R"({any: [{field: n, ge: "20"}, {all: [{field: c, eq: a}, {field: yn, eq: "no"}]}]})");
  lines = explain(unmet, def, v);
  REQUIRE(lines.size() == 3);  // the nested false all names its two false children
  CHECK(lines[0] == "「数値」が20mg以上");
  CHECK(lines[1] == "「選択」が「エー」である");
  CHECK(lines[2] == "「有無」が「いいえ」である");
  // A label still stands for its whole condition.
  auto labelled =
      parse_condition(def, R"({label: 条件X, all: [{field: c, eq: b}, {field: yn, eq: "yes"}]})");
  lines = explain(labelled, def, v);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0] == "条件X");
}
