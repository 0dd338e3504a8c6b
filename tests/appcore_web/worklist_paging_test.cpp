// The doctor's work lists in pages (issue 18 item 6, F-6, F-12): the approvals
// list (承認待ち一覧) and a form's history show 10 to 100 rows a page
// (表示件数/頁) with the total; 一括承認 registers the ticked forms of the
// page shown and nothing on the other pages.
#include <catch2/catch.hpp>

#include <cstdio>
#include <regex>

#include "../appcore_forms/form_cases.h"
#include "appcore/web/forms_view.h"
#include "web_fixture.h"

using namespace nanbyo;
using namespace nanbyo::web;
using namespace nanbyo::web::testing;
namespace ft = nanbyo::forms::testing;

namespace {

struct Worklist {
  WebFixture f;
  std::string doctor_id;
  Client doctor = f.active_doctor("530001", &doctor_id);
  Client clerk = f.active_clerk(doctor_id, "事務 一郎", "ジム イチロウ");
  // A complete form drafted by `c` for the patient `kana`.
  std::string draft(Client& c, const std::string& kana) {
    auto values = values_to_json(ft::parkinson_definite());
    values["patient_kana"] = kana;
    auto r = c.post_json("/api/forms", {{"definition", "nanbyo-006"}, {"values", values}});
    INFO(r.body());
    REQUIRE(r.status == 201);
    return r.json()["form"]["form_id"];
  }
};

// A patient's kana of its own for the i-th form (the check wants katakana only).
std::string kana_of(int i) {
  static const char* const kLetters[] = {"ア", "イ", "ウ", "エ", "オ", "カ", "キ", "ク",
                                         "ケ", "コ", "サ", "シ", "ス", "セ", "ソ", "タ",
                                         "チ", "ツ", "テ", "ト", "ナ", "ニ", "ヌ", "ネ"};
  return std::string("カンジャ ") + kLetters[i];
}

std::string two_digits(int n) {
  char text[8];
  std::snprintf(text, sizeof text, "%02d", n);
  return text;
}

// The form ids of the approvals list's check boxes, in the order shown.
std::vector<std::string> ticked_forms(const std::string& html) {
  std::vector<std::string> ids;
  const std::regex box("name=\"form\\.(F[0-9a-f]+)\"");
  for (std::sregex_iterator it(html.begin(), html.end(), box), end; it != end; ++it)
    ids.push_back((*it)[1]);
  return ids;
}

bool has(const std::string& html, const std::string& text) {
  return html.find(text) != std::string::npos;
}

}  // namespace

TEST_CASE(
    "F-6 F-12 the approvals list pages by 表示件数 and bulk approval takes the page's ticked forms",
    "[forms]") {
  Worklist w;
  std::vector<std::string> sent;  // sent[i] is the form of kana_of(i), sent a minute later
  for (int i = 0; i < 23; ++i) {
    sent.push_back(w.draft(w.clerk, kana_of(i)));
    REQUIRE(w.clerk
                .post_form("/forms/" + sent.back() + "/submit",
                           {{"doctor", w.doctor_id}, {"comment", "確認願います"}})
                .status == 303);
    w.f.clock.advance(std::chrono::seconds(60));
  }

  // Page 1 of 10, newest first: the 23rd form sent … the 14th.
  auto first = w.doctor.get("/forms/approvals?per_page=10").body();
  CHECK(has(first, "承認待ち 23件"));
  CHECK(has(first, "<option value=\"10\" selected>10</option>"));
  CHECK(has(first, "ほかのページの個人票は承認されません"));
  auto page1 = ticked_forms(first);
  REQUIRE(page1.size() == 10);
  for (int i = 0; i < 10; ++i) CHECK(page1[i] == sent[22 - i]);
  CHECK(has(first, kana_of(22)));
  CHECK(has(first, "aria-current=\"page\">1<"));
  CHECK(has(first, "rel=\"next\""));

  // Page 2: the 13th … the 4th; page 3: the first three.
  auto second = w.doctor.get("/forms/approvals?per_page=10&page=2").body();
  auto page2 = ticked_forms(second);
  REQUIRE(page2.size() == 10);
  CHECK(page2.front() == sent[12]);
  CHECK(page2.back() == sent[3]);
  CHECK(has(second, "aria-current=\"page\">2<"));
  CHECK(has(second, "rel=\"prev\""));
  auto third = w.doctor.get("/api/forms/approvals?per_page=10&page=3").json();
  CHECK(third["total"] == 23);
  REQUIRE(third["forms"].size() == 3);
  CHECK(third["forms"][2]["form_id"] == sent[0]);
  // Oldest first on request; 20 rows when 表示件数 is not one offered.
  auto oldest = ticked_forms(w.doctor.get("/forms/approvals?order=asc&per_page=7").body());
  REQUIRE(oldest.size() == 20);
  CHECK(oldest.front() == sent[0]);

  // 一括承認 of page 1 as the browser posts it: the ten ticked forms, no other.
  std::map<std::string, std::string> ticked;
  for (const auto& id : page1) ticked["form." + id] = "1";
  auto done = w.doctor.post_form("/forms/approve-all", ticked);
  INFO(done.body());
  REQUIRE(done.status == 200);
  CHECK(has(done.body(), "登録しました"));
  auto after = w.doctor.get("/forms/approvals?per_page=10").body();
  CHECK(has(after, "承認待ち 13件"));
  CHECK(ticked_forms(after).front() == sent[12]);
  CHECK(w.doctor.get("/api/forms/" + sent[22]).json()["form"]["status"] == "registered");
  CHECK(w.doctor.get("/api/forms/" + sent[12]).json()["form"]["status"] == "submitted");
}

TEST_CASE("F-6 a form's history pages by 表示件数, newest first", "[forms]") {
  Worklist w;
  const auto id = w.draft(w.doctor, "リレキ タロウ");
  for (int i = 1; i <= 24; ++i) {
    w.f.clock.advance(std::chrono::seconds(10));
    REQUIRE(
        w.doctor
            .post_json("/api/forms/" + id + "/comment", {{"comment", "コメント " + two_digits(i)}})
            .status == 200);
  }
  // 25 entries: the draft and 24 comments.
  auto first = w.doctor.get("/forms/" + id + "/history?per_page=10");
  REQUIRE(first.status == 200);
  CHECK(has(first.body(), "履歴 25件（新しい順）"));
  CHECK(has(first.body(), "<option value=\"10\" selected>10</option>"));
  CHECK(has(first.body(), "コメント 24"));
  CHECK(has(first.body(), "コメント 15"));
  CHECK_FALSE(has(first.body(), "コメント 14"));
  CHECK(has(first.body(), "id=\"history-pages\""));
  auto second = w.doctor.get("/forms/" + id + "/history?per_page=10&page=2").body();
  CHECK(has(second, "コメント 14"));
  CHECK(has(second, "コメント 05"));
  CHECK_FALSE(has(second, "コメント 15"));
  CHECK_FALSE(has(second, "コメント 04"));
  CHECK(has(second, "aria-current=\"page\">2<"));
  // Oldest first: the draft's creation opens the list.
  auto oldest = w.doctor.get("/forms/" + id + "/history?per_page=10&order=asc").body();
  CHECK(has(oldest, "履歴 25件（古い順）"));
  CHECK(has(oldest, "コメント 09"));
  CHECK_FALSE(has(oldest, "コメント 10"));

  auto api = w.doctor.get("/api/forms/" + id + "/history?per_page=10&page=3").json();
  CHECK(api["total"] == 25);
  CHECK(api["page"] == 3);
  REQUIRE(api["history"].size() == 5);
  CHECK(api["history"][0]["comment"] == "コメント 04");
  CHECK(api["history"][4]["status"] == "draft");
  CHECK(w.doctor.get("/api/forms/" + id + "/history").json()["history"].size() == 25);

  // The form screen shows the newest ten and links to the rest.
  auto screen = w.doctor.get("/forms/" + id).body();
  CHECK(has(screen, "履歴をすべて表示（25件）"));
  CHECK(has(screen, "コメント 15"));
  CHECK_FALSE(has(screen, "コメント 14"));
  // The municipality, without the access key, finds no such form.
  CHECK(w.f.town_admin().get("/forms/" + id + "/history").status == 404);
}
