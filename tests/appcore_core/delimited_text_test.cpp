// The upload parser: encodings and CSV/TSV structure.
#include <catch2/catch.hpp>

#include "appcore/core/delimited_text.h"
#include "appcore/core/text_decoding.h"
#include "core_fixture.h"

using namespace nanbyo::appcore;
using namespace nanbyo::appcore::testing;

TEST_CASE("upload text: UTF-8 with and without BOM, CP932, refusals") {
  CHECK(must(decode_upload("\xEF\xBB\xBF氏名")).utf8 == "氏名");
  CHECK(must(decode_upload("氏名")).encoding == "UTF-8");
  auto sjis = must(decode_upload("\x8E\x81\x96\xBC"));  // 氏名 in Shift_JIS
  CHECK(sjis.encoding == "CP932");
  CHECK(sjis.utf8 == "氏名");
  CHECK(must(decode_upload("\x87\x40")).utf8 == "①");  // an NEC special character (CP932 only)
  CHECK(code_of(decode_upload("\xFF\xFE"
                              "a")) == Errc::InvalidInput);
  CHECK(code_of(decode_upload("")) == Errc::InvalidInput);
  CHECK(code_of(decode_upload("\x82")) == Errc::InvalidInput);              // truncated
  CHECK(code_of(decode_upload("\xEF\xBB\xBF\xFF")) == Errc::InvalidInput);  // BOM + garbage
}

TEST_CASE("upload text: quoting, line breaks in fields, delimiter detection") {
  auto t = must(parse_delimited("a,b,c\r\n1,\"x,\"\"y\"\"\",3\r\n\r\n4,\"two\nlines\",6\n7,8,9"));
  CHECK(t.delimiter == ',');
  REQUIRE(t.records.size() == 4);
  CHECK(t.records[1].fields[1] == "x,\"y\"");
  CHECK(t.records[2].line == 4);
  CHECK(t.records[2].fields[1] == "two\nlines");
  CHECK(t.records[3].line == 6);
  auto tsv = must(parse_delimited("a\tb,c\n1\t2,3\n"));
  CHECK(tsv.delimiter == '\t');
  CHECK(tsv.records[1].fields[1] == "2,3");
  auto bad = parse_delimited("a,b\n1,\"open\n");
  REQUIRE(code_of(bad) == Errc::InvalidInput);
  CHECK(std::string(error_text(bad.error())).starts_with("line 2:"));
}
