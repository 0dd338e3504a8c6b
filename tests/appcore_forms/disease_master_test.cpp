// The disease master has every 指定難病 and 小慢 disease of the NANDO lists.
#include "appcore/forms/disease_master.h"
#include "form_cases.h"

using namespace nanbyo::forms;
using namespace nanbyo::forms::testing;

TEST_CASE("the master counts what the NANDO lists hold", "[unit]") {
  auto m = must(DiseaseMaster::load(source_disease_master()));
  CHECK(m.version() == "nando-9af59ee-2024-07-23");
  CHECK(m.disease_count("nanbyo") == 333);                     // 告示番号 1–333
  CHECK(m.disease_count("shoman") == 807);                     // distinct (疾患群, 番号)
  CHECK(m.shoman("2", 9)->name_ja == "常染色体優性多嚢胞腎");  // listed only as a sub-row
  std::size_t nanbyo_rows = 0, shoman_rows = 0;
  for (const auto& e : m.entries()) (e.kind == "nanbyo" ? nanbyo_rows : shoman_rows)++;
  CHECK(nanbyo_rows == 1007);  // with subtypes
  CHECK(shoman_rows == 1025);
}

TEST_CASE("lookups by 告示番号 and by (疾患群, 番号)", "[unit]") {
  auto m = must(DiseaseMaster::load(source_disease_master()));
  CHECK(m.nanbyo(6)->name_ja == "パーキンソン病");
  CHECK(m.nanbyo(97)->name_ja == "潰瘍性大腸炎");
  CHECK(m.nanbyo(333).has_value());
  CHECK_FALSE(m.nanbyo(334).has_value());
  auto pws = m.shoman("5", 91);
  REQUIRE(pws.has_value());
  CHECK(pws->name_ja == "プラダー・ウィリ症候群");
  CHECK(pws->group_name == "内分泌疾患");
  // Numbers restart per group: 番号 1 exists in several groups with different diseases.
  CHECK(m.shoman("1", 1)->name_ja != m.shoman("5", 1)->name_ja);
  // Each shipped definition names a disease of the master.
  for (const auto& d : catalog()->definitions()) {
    auto e = d.kind == "nanbyo" ? m.nanbyo(d.notice_no) : m.shoman(d.group, d.notice_no);
    REQUIRE(e.has_value());
    CHECK(e->name_ja == d.title);
  }
}
