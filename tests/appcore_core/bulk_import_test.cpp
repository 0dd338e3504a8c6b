// ID-2: bulk registration from CSV/TSV: every row gets a result, invalid rows
// are explained by line and column, re-uploading issues nothing twice.
#include <iconv.h>
#include <catch2/catch.hpp>

#include <set>

#include "core_fixture.h"

using namespace nanbyo::appcore;
using namespace nanbyo::appcore::testing;

namespace {

const std::string kHeader =
    "氏名,氏名カナ,医籍登録番号,指定医種別,医療機関番号,医療機関名称,医療機関所在地,診療科,"
    "指定年月日,指定有効期限,指定医番号\r\n";

std::string to_cp932(const std::string& utf8) {
  iconv_t cd = iconv_open("CP932", "UTF-8");
  std::string out(utf8.size() * 2, '\0');
  char* in = const_cast<char*>(utf8.data());
  std::size_t in_left = utf8.size(), out_left = out.size();
  char* dst = out.data();
  REQUIRE(iconv(cd, &in, &in_left, &dst, &out_left) != static_cast<std::size_t>(-1));
  iconv_close(cd);
  out.resize(out.size() - out_left);
  return out;
}

}  // namespace

TEST_CASE("ID-2: a UTF-8 file with BOM: issued, duplicate, invalid rows") {
  CoreFixture f;
  std::string csv =
      "\xEF\xBB\xBF" + kHeader +
      "山田 太郎,ヤマダ タロウ,100001,難病指定医,1310000001,千代田中央病院,東京都千代田区1-1,"
      "内科,2026/04/01,2031/03/31,13-1\r\n"
      "佐藤 次郎,サトウ ジロウ,100002,協力難病指定医,1310000001,,,外科,,,\r\n"
      "山田 太郎,ヤマダ タロウ,０１０００01,難病指定医,1310000001,,,,,,\r\n"
      ",,abc,歯科医,13100,,,,2026-13-01,,\r\n"
      "小児 三郎,,100003,小慢指定医,1310000099,,,,,,\r\n"
      "\"鈴木, 四郎\",,100004,小慢指定医,1310000001,,,,,,,余分\r\n";
  std::vector<std::pair<std::size_t, std::size_t>> progress;
  auto report = must(f.core->import_doctors(f.town, csv, [&](std::size_t done, std::size_t total) {
    progress.emplace_back(done, total);
  }));
  CHECK(report.encoding == "UTF-8");
  CHECK(report.delimiter == ',');
  REQUIRE(report.rows.size() == 6);
  CHECK(report.issued == 2);
  CHECK(report.already_registered == 1);
  CHECK(report.invalid == 3);

  CHECK(report.rows[0].status == RowStatus::Issued);
  CHECK(report.rows[0].user_id == "A0000001");
  CHECK(report.rows[0].initial_password.size() == 16);
  CHECK(report.rows[1].user_id == "B0000001");
  CHECK(report.rows[2].status == RowStatus::AlreadyRegistered);  // same number, other spelling
  CHECK(report.rows[2].user_id == "A0000001");

  const auto& bad = report.rows[3];
  CHECK(bad.line == 5);
  CHECK(bad.status == RowStatus::Invalid);
  std::set<std::string> columns;
  for (const auto& e : bad.errors) {
    CHECK(e.line == 5);
    columns.insert(e.column);
  }
  CHECK(columns ==
        std::set<std::string>{"氏名", "医籍登録番号", "指定医種別", "医療機関番号", "指定年月日"});
  REQUIRE(report.rows[4].errors.size() == 1);
  CHECK(report.rows[4].errors[0].column == "医療機関名称");  // unknown hospital, no name
  CHECK(report.rows[5].errors[0].reason.find("the row has 12 fields; the header has 11") !=
        std::string::npos);
  CHECK(progress.back() == std::pair<std::size_t, std::size_t>{6, 6});

  auto csv_report = report_csv(report);
  CHECK(csv_report.find("5,invalid,,,,") != std::string::npos);

  SECTION("re-uploading the same file issues nothing twice") {
    auto again = must(f.core->import_doctors(f.town, csv));
    CHECK(again.issued == 0);
    CHECK(again.already_registered == 3);
    CHECK(again.rows[0].user_id == "A0000001");
    CHECK(again.rows[0].initial_password.empty());
  }
  CHECK(f.audited("doctor-import", nanbyo::audit::Outcome::Allow));
}

TEST_CASE("ID-2: Shift_JIS (CP932) TSV as Excel saves it") {
  CoreFixture f;
  std::string tsv =
      "氏名\t医籍登録番号\t指定医種別\t医療機関番号\t医療機関名称\r\n"
      "髙橋 ①子\t200001\t難病指定医\t1310000001\t千代田中央病院\r\n";
  auto report = must(f.core->import_doctors(f.town, to_cp932(tsv)));
  CHECK(report.encoding == "CP932");
  CHECK(report.delimiter == '\t');
  REQUIRE(report.issued == 1);
  CHECK(must(f.core->user(f.town, report.rows[0].user_id)).name == "髙橋 ①子");
}

TEST_CASE("ID-2: file-level refusals name the problem") {
  CoreFixture f;
  auto msg = [&](const std::string& bytes) {
    auto r = f.core->import_doctors(f.town, bytes);
    REQUIRE(code_of(r) == Errc::InvalidInput);
    return std::string(error_text(r.error()));
  };
  CHECK(msg("").find("empty") != std::string::npos);
  CHECK(msg("\xFF\xFE\x30\x6C").find("UTF-16") != std::string::npos);
  CHECK(msg("\x80\x80\x80\xFF\xFF").find("neither UTF-8 nor Shift_JIS") != std::string::npos);
  CHECK(msg("氏名,医籍登録番号,指定医種別,医療機関番号,年齢\n").find("unknown column \"年齢\"") !=
        std::string::npos);
  CHECK(msg("氏名,指定医種別,医療機関番号\n").find("\"医籍登録番号\" is missing") !=
        std::string::npos);
  CHECK(msg(kHeader).find("no doctors") != std::string::npos);
  CHECK(msg(kHeader + "\"open,quote\r\n").find("line 2") != std::string::npos);
  // Another role may not import at all.
  auto cred = f.doctor("300");
  auto doc = f.activate(cred.user_id, cred.initial_password, kHospital);
  CHECK(code_of(f.core->import_doctors(doc, kHeader + "a,,1,難病指定医,1310000001,,,,,,\n")) ==
        Errc::Forbidden);
}

TEST_CASE("ID-2: rows a careful importer refuses, and a second designation for one person") {
  CoreFixture f;
  std::string csv =
      kHeader +
      // 2: issued (hiragana kana converted, half-width kana converted below)
      "山田 太郎,やまだ たろう,100001,難病指定医,1310000001,千代田中央病院,,内科,2026-04-01,"
      "2031-03-31,13-1\r\n"
      // 3: the same person, 小慢 from the same municipality: a second designation
      "山田　太郎,ﾔﾏﾀﾞ ﾀﾛｳ,100001,小慢指定医,1310000001,,,小児科,2026-04-01,2031-03-31,"
      "13-S1\r\n"
      // 4: the same number with another name: refused, naming line 2
      "山田 花子,,100001,小慢指定医,1310000001,,,,,,\r\n"
      // 5: fewer fields than the header
      "佐藤 次郎,,100002,難病指定医,1310000001\r\n"
      // 6: number 0, romaji kana, expiry equal to the designation date
      "鈴木 三郎,Suzuki,0,難病指定医,1310000001,,,,2026-04-01,2026-04-01,\r\n"
      // 7: a new hospital whose check digit is wrong: stored with a warning
      "高橋 四郎,タカハシ シロウ,100004,難病指定医,0110113718,札幌北病院,,,,,\r\n"
      // 8: 難病指定医 and 協力難病指定医 exclude each other
      "山田 太郎,,100001,協力難病指定医,1310000001,,,,,,13-9\r\n";
  auto report = must(f.core->import_doctors(f.town, csv));
  REQUIRE(report.rows.size() == 7);
  CHECK(report.issued == 2);
  CHECK(report.designation_added == 1);
  CHECK(report.invalid == 4);
  const auto& first = report.rows[0];
  CHECK(first.status == RowStatus::Issued);
  CHECK(report.rows[1].status == RowStatus::DesignationAdded);
  CHECK(report.rows[1].user_id == first.user_id);
  CHECK(report.rows[1].initial_password.empty());
  CHECK(report.rows[1].designation_id != first.designation_id);
  auto person = must(f.core->user(f.town, first.user_id));
  CHECK(person.kana == "ヤマダ\u3000タロウ");
  REQUIRE(person.designations.size() == 2);

  auto reason = [&](std::size_t i) {
    std::string all;
    for (const auto& e : report.rows[i].errors) all += e.column + ": " + e.reason + "\n";
    return all;
  };
  CHECK(reason(2).find("医籍登録番号: line 2 has the same number with another name") !=
        std::string::npos);
  CHECK(reason(3).find("the row has 5 fields; the header has 11") != std::string::npos);
  CHECK(reason(4).find("医籍登録番号: must be a positive number") != std::string::npos);
  CHECK(reason(4).find("氏名カナ: must be full-width katakana (Latin letters are refused)") !=
        std::string::npos);
  CHECK(reason(4).find("指定有効期限: must be after the designation date") != std::string::npos);
  CHECK(report.rows[5].status == RowStatus::Issued);
  REQUIRE(report.rows[5].warnings.size() == 1);
  CHECK(report.rows[5].warnings[0].column == "医療機関番号");
  CHECK(reason(6).find("指定医種別: the doctor already holds a valid designation of your "
                       "municipality under 難病法") != std::string::npos);
  CHECK(report_csv(report).find("検証番号") != std::string::npos);

  SECTION("another municipality adds its designation; a second one in a program is refused") {
    const std::string other =
        kHeader +
        "山田 太郎,,100001,難病指定医,2710000002,大阪病院,,,2026-05-01,2031-03-31,27-1\r\n";
    auto refused = must(f.core->import_doctors(f.other_town, other));
    REQUIRE(refused.invalid == 1);
    const std::string why = refused.rows[0].errors[0].reason;
    CHECK(why.find("from another municipality") != std::string::npos);
    CHECK(why.find("13-1") == std::string::npos);  // nothing of the other municipality's data
    CHECK(refused.rows[0].user_id.empty());
  }
}
