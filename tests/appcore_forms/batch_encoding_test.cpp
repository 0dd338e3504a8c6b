// The .nbx batch's JSON (F-9): written without a JSON document (a batch holds
// up to 100,000 forms), byte for byte what nlohmann's dump() wrote before, and
// read back by the upload.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "appcore/check/batch.h"

using namespace nanbyo::check;

namespace {

std::string dumped_by_nlohmann(const Batch& batch) {
  nlohmann::json forms = nlohmann::json::array();
  for (const auto& f : batch.forms)
    forms.push_back(
        {{"file", f.file}, {"ref", f.ref}, {"definition", f.definition}, {"xml", f.xml}});
  return nlohmann::json{{"format", "nanbyo-forms-batch"},     {"format_version", 1},
                        {"tool_version", batch.tool_version}, {"user_id", batch.user_id},
                        {"created_at", batch.created_at},     {"forms", std::move(forms)}}
      .dump();
}

}  // namespace

TEST_CASE("F-9: the batch JSON is what a JSON library writes, and reads back", "[unit]") {
  Batch batch;
  batch.user_id = "A0000001";
  batch.created_at = "2026-12-03T12:00:00Z";
  batch.forms.push_back(
      {"export 001.xml", "HIS-1", "nanbyo-006",
       "<forms>\n\t<nanbyo-006 ref=\"HIS-1\">\\ 佐藤 花子</nanbyo-006>\r\n</forms>"});
  batch.forms.push_back({"b.xml", "", "shoman-5-091", std::string("ctl \x01\x1f\x7f end\b\f")});
  CHECK(encode_batch(batch) == dumped_by_nlohmann(batch));
  auto back = decode_batch(encode_batch(batch));
  REQUIRE(back);
  REQUIRE(back->forms.size() == 2);
  CHECK(back->forms[0].xml == batch.forms[0].xml);
  CHECK(back->forms[1].xml == batch.forms[1].xml);
  CHECK(back->user_id == "A0000001");

  Batch empty;
  empty.user_id = "A0000002";
  CHECK(encode_batch(empty) == dumped_by_nlohmann(empty));
}

TEST_CASE("F-9: a name that is not UTF-8 is refused as before", "[unit]") {
  for (const char* bad : {"\xff", "\xc3", "\xe0\x80\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80"}) {
    Batch batch;
    batch.forms.push_back({std::string("file-") + bad + ".xml", "", "nanbyo-006", "<forms/>"});
    CHECK_THROWS_AS(encode_batch(batch), nlohmann::json::type_error);
    CHECK_THROWS_AS(dumped_by_nlohmann(batch), nlohmann::json::type_error);
  }
}
