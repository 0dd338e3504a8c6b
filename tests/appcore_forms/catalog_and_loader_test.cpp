// Definitions load strictly: every shipped file is valid, and a broken file is
// refused with file:line:column and the key path of the first error.
#include "form_cases.h"

using namespace nanbyo::forms;
using namespace nanbyo::forms::testing;

namespace {

std::string error_of(const std::string& yaml) {
  auto r = parse_definition(yaml, "bad.yaml");
  REQUIRE_FALSE(r.ok());
  return r.error().message;
}

const char* kHeader = R"(id: nanbyo-006
kind: nanbyo
notice_no: 6
form_type: 臨床調査個人票
version: "1"
title: t
sources: [s]
)";

}  // namespace

TEST_CASE("the shipped catalog holds the five sample diseases", "[unit]") {
  auto c = catalog();
  REQUIRE(c->nanbyo(6) != nullptr);
  REQUIRE(c->nanbyo(2) != nullptr);
  REQUIRE(c->nanbyo(49) != nullptr);
  REQUIRE(c->nanbyo(97) != nullptr);
  const FormDefinition* pws = c->shoman("5", 91);
  REQUIRE(pws != nullptr);
  CHECK(pws->form_type == "医療意見書");
  CHECK(c->nanbyo(6)->form_type == "臨床調査個人票");
  // Shared sections are spliced in: basic information comes first, doctor last.
  const auto& pd = *c->nanbyo(6);
  CHECK(pd.sections.front().id == "application");
  CHECK(pd.sections.back().id == "doctor");
  for (const auto& d : c->definitions()) CHECK_FALSE(d.sources.empty());
}

TEST_CASE("a minimal definition with a conditional requirement loads", "[unit]") {
  auto def = must(parse_definition(std::string(kHeader) + R"(sections:
  - id: s
    title: S
    fields:
      - {id: a, label: A, type: yes-no}
      - {id: b, label: B, type: text, required_when: {field: a, eq: "yes"}}
)",
                                   "ok.yaml"));
  REQUIRE(def.field("b")->required_when.has_value());
}

TEST_CASE("loader errors name file, line, column and key path", "[unit]") {
  const std::string sections = "sections:\n  - id: s\n    title: S\n    fields:\n";
  CHECK(error_of(std::string(kHeader) + sections + "      - {id: a, label: A, type: txt}\n") ==
        "bad.yaml:12:33: sections[0].fields[0].type: unknown type \"txt\"");
  CHECK(error_of(std::string(kHeader) + sections +
                 "      - {id: a, label: A, type: text, colour: red}\n")
            .starts_with("bad.yaml:12:39: sections[0].fields[0].colour: unknown key"));
  CHECK(error_of(std::string(kHeader) + sections +
                 "      - {id: a, label: A, type: text, required_when: {field: zz, eq: x}}\n") ==
        "bad.yaml:12:62: sections[0].fields[0].required_when.field: no field \"zz\" in this form");
  CHECK(error_of(std::string(kHeader) + sections +
                 "      - {id: a, label: A, type: yes-no, required_when: {field: a, eq: maybe}}\n")
            .find("\"maybe\" is not a choice of field a") != std::string::npos);
  CHECK(error_of(std::string(kHeader) + sections + "      - {id: A-1, label: A, type: text}\n")
            .find("expected [a-z][a-z0-9_]*") != std::string::npos);
  CHECK(error_of("id: nanbyo-006\nkind: nanbyo\n").find("missing required key \"notice_no\"") !=
        std::string::npos);
  CHECK(error_of("id: x\nkind: [\n").starts_with("bad.yaml:"));
  CHECK(error_of(std::string(kHeader) + sections + "      - {id: a, label: A, type: number}\n" +
                 "judgments:\n  - id: j\n    label: J\n    outcomes:\n      - value: x\n" +
                 "        label: X\n      - value: y\n        label: Y\n        when: {field: a, "
                 "gt: \"1\"}\n")
            .find("only the last outcome may have no condition") != std::string::npos);
}
