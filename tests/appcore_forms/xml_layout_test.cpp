// The XML layout and its generated XSD: round trip, partial forms, schema
// violations located per form and field, malformed input, XXE refused.
#include "appcore/forms/xml.h"
#include "disease_cases.h"
#include "form_cases.h"

using namespace nanbyo::forms;
using namespace nanbyo::forms::testing;

namespace {

std::shared_ptr<const XmlFormReader> reader() {
  static auto r = must(XmlFormReader::create(catalog()));
  return r;
}

}  // namespace

TEST_CASE("a form written as XML reads back to the same values", "[unit]") {
  std::vector<std::pair<std::string, FormValues>> samples{{"nanbyo-006", parkinson_definite()},
                                                          {"nanbyo-002", als_definite()},
                                                          {"nanbyo-049", sle_definite()},
                                                          {"nanbyo-097", uc_severe()},
                                                          {"shoman-5-091", prader_willi()}};
  for (auto& sample : specific_disease_samples()) samples.push_back(std::move(sample));
  for (auto [id, values] : samples) {
    const auto& def = definition(id);
    values["address"] = text_value("東京都 <千代田区> & \"霞が関\"");
    if (id.starts_with("shoman-")) values.erase("address"), values["address"] = text_value("a&b");
    const std::string xml = write_form_xml(def, values, "REF-1");
    auto forms = must(reader()->read(xml));
    REQUIRE(forms.size() == 1);
    CHECK(forms[0].definition == id);
    CHECK(forms[0].ref == "REF-1");
    INFO(xml);
    CHECK(forms[0].issues.empty());
    CHECK(forms[0].values == values);
  }
}

TEST_CASE("partial item sets are valid XML, the check reports what is missing", "[unit]") {
  auto forms = must(reader()->read(
      "<forms><nanbyo-006 ref=\"a\"><patient_name>山田 太郎</patient_name><height_cm/>"
      "<hoehn_yahr></hoehn_yahr></nanbyo-006></forms>"));
  REQUIRE(forms.size() == 1);
  // <height_cm/> is not a field of 006: a schema issue; empty hoehn_yahr is fine.
  REQUIRE(forms[0].issues.size() == 1);
  CHECK(forms[0].issues[0].field == "height_cm");
  CHECK(forms[0].values.size() == 1);
  auto m = check(definition("nanbyo-006"), forms[0].values);
  CHECK_FALSE(has_errors(m));
  CHECK(m.size() > 10);  // Missing required items
}

TEST_CASE("schema violations are attached to their form and field", "[unit]") {
  auto forms = must(reader()->read(R"(<?xml version="1.0" encoding="UTF-8"?>
<forms>
  <nanbyo-097 ref="ok"><stools_per_day>8</stools_per_day></nanbyo-097>
  <nanbyo-097 ref="bad">
    <stools_per_day>eight</stools_per_day>
    <visible_blood>lots</visible_blood>
  </nanbyo-097>
  <nanbyo-999 ref="unknown"/>
</forms>)"));
  REQUIRE(forms.size() == 3);
  CHECK(forms[0].issues.empty());
  REQUIRE(forms[1].issues.size() == 2);
  CHECK(forms[1].issues[0].field == "stools_per_day");
  CHECK(forms[1].issues[0].line == 5);
  CHECK(forms[1].issues[1].field == "visible_blood");
  CHECK_FALSE(forms[2].issues.empty());
}

TEST_CASE("an item given twice is refused whether grouped or not and known or not", "[unit]") {
  auto forms = must(reader()->read(R"(<forms>
  <nanbyo-006 ref="flat"><patient_name>山田</patient_name><patient_name>田中</patient_name></nanbyo-006>
  <nanbyo-006 ref="grouped"><基本情報><patient_name>山田</patient_name></基本情報>
    <基本情報><patient_name>田中</patient_name></基本情報></nanbyo-006>
  <nanbyo-006 ref="unknown"><nickname>a</nickname><nickname>b</nickname></nanbyo-006>
  <nanbyo-006 ref="once"><patient_name>  山田 太郎
  </patient_name><address><![CDATA[a<b]]> 東京</address></nanbyo-006>
</forms>)"));
  REQUIRE(forms.size() == 4);
  for (int i : {0, 1}) {
    INFO(forms[i].ref);
    REQUIRE(forms[i].issues.size() == 1);
    CHECK(forms[i].issues[0].field == "patient_name");
    CHECK(forms[i].issues[0].message == "Element 'patient_name': given more than once.");
    CHECK(forms[i].values.at("patient_name").text == "山田");  // the first is kept
  }
  // An unknown element is the XSD's to report; given twice, it is reported twice more.
  CHECK(std::count_if(forms[2].issues.begin(), forms[2].issues.end(), [](const auto& issue) {
          return issue.message.find("given more than once") != std::string::npos;
        }) == 1);
  // Text is trimmed, CDATA and text read together.
  CHECK(forms[3].issues.empty());
  CHECK(forms[3].values.at("patient_name").text == "山田 太郎");
  CHECK(forms[3].values.at("address").text == "a<b 東京");
}

TEST_CASE("malformed and unsafe documents are refused before anything is read", "[unit]") {
  auto msg = [](const std::string& xml) {
    auto r = reader()->read(xml);
    REQUIRE_FALSE(r.ok());
    return r.error().message;
  };
  CHECK(msg("<forms><nanbyo-006>").starts_with("malformed XML at line 1"));
  CHECK(msg("<other/>") == "the root element must be <forms>");
  CHECK(msg(std::string("\xFF\xFE<\0f\0", 6)) == "the file must be UTF-8 (UTF-16 is not accepted)");
  // XXE: an external entity would read a local file.
  CHECK(
      msg("<?xml version=\"1.0\"?>\n<!DOCTYPE forms [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
          "<forms><nanbyo-006><address>&x;</address></nanbyo-006></forms>")
          .find("external entities are refused") != std::string::npos);
  // Entity expansion (billion laughs) and external DTDs are refused the same way.
  CHECK(
      msg("<!DOCTYPE forms SYSTEM \"http://example.invalid/forms.dtd\"><forms/>").find("DOCTYPE") !=
      std::string::npos);
  CHECK(msg("<forms>&x;</forms>").starts_with("malformed XML"));
}

TEST_CASE("the XSD names every definition and field", "[unit]") {
  const std::string xsd = generate_xsd(*catalog());
  for (const auto& d : catalog()->definitions()) {
    CHECK(xsd.find("<xs:element name=\"" + d.id + "\"") != std::string::npos);
    for (const auto& f : d.fields) CHECK(xsd.find("name=\"" + f.id + "\"") != std::string::npos);
  }
}
