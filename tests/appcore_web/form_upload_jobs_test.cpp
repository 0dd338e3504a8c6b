// Issue 18, item 7: the XML batch upload (F-9) and the paper import (F-11) run
// as background jobs: 202 with a job id, progress on GET /api/imports/{id}, a
// result per file (a bad file gets its error, the others are imported), the
// result as formula-safe CSV, and only the uploader's session sees the running
// job; its result is kept for the uploader at that hospital, across a restart
// of the web process, for 30 days, sealed like the forms (item 7).
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <catch2/catch.hpp>

#include "../appcore_forms/form_cases.h"
#include "appcore/check/batch.h"
#include "appcore/forms/xml.h"
#include "pki/clock.h"
#include "pki/user_key_file.h"
#include "web_fixture.h"

using namespace nanbyo;
using namespace nanbyo::web;
using namespace nanbyo::web::testing;
using appcore::testing::kChosenPassword;
using appcore::testing::kHospital;
using appcore::testing::must;
namespace ft = nanbyo::forms::testing;

namespace {

// A doctor who kept the key file of the first login, logged in on the web.
struct UploadingDoctor {
  WebFixture f;
  std::string user_id, key_file;
  Client web = f.client(kHospital);

  UploadingDoctor() {
    auto cred = f.doctor("510001");
    user_id = cred.user_id;
    auto r =
        must(f.core->login(user_id, cred.initial_password, appcore::Terminal{kHospital, "pc-01"}));
    must(f.core->register_email(r.principal, user_id + "@example.jp"));
    key_file = must(f.core->issue_key_file(r.principal)).key_file;
    must(f.core->complete_first_login(r.principal, "質問", "答え", kChosenPassword));
    REQUIRE(web.api_login(user_id, kChosenPassword) == "active");
  }
  // What nanbyo-check would write for these files, sealed with the doctor's key.
  std::string sealed(const std::vector<check::BatchForm>& forms) {
    auto key = must(pki::parse_key_file(key_file));
    check::Batch batch;
    batch.user_id = key.user_id;
    batch.created_at = format_utc(f.clock.now());
    batch.forms = forms;
    return must(check::seal_batch(batch, key, f.clock.now()));
  }
};

check::BatchForm parkinson_file(const std::string& file, const std::string& ref) {
  const auto& def = ft::definition("nanbyo-006");
  return {file, ref, def.id, forms::write_form_xml(def, ft::parkinson_definite(), ref)};
}

}  // namespace

TEST_CASE("F-9 upload job: 202, progress, a result per file, formula-safe CSV", "[unit][forms]") {
  UploadingDoctor d;
  auto broken = parkinson_file("broken.xml", "HIS-2");
  broken.xml = "<forms><nanbyo-006 ref=\"HIS-2\"><patient_name>";  // cut off
  const std::string batch =
      d.sealed({parkinson_file("a.xml", "HIS-1"), broken, parkinson_file("=1+2.xml", "HIS-3")});

  auto start =
      d.web.request(http::verb::post, "/api/forms/imports", batch, "application/octet-stream");
  INFO(start.body());
  REQUIRE(start.status == 202);
  const std::string job = start.json()["job_id"];
  CHECK(job.size() == 32);
  CHECK(start.json()["result_url"] == "/forms/import-results/" + job);

  auto state = d.web.wait_for_job(job);
  INFO(state.dump());
  REQUIRE(state["state"] == "done");
  CHECK(state["rows_total"] == 3);
  CHECK(state["rows_done"] == 3);
  CHECK(state["imported"] == 2);
  CHECK(state["failed"] == 1);

  // The per-file result: the broken file has its error, the others are imported.
  auto result = d.web.get("/api/forms/import-results/" + job);
  REQUIRE(result.status == 200);
  const auto items = result.json()["items"];
  REQUIRE(items.size() == 3);
  CHECK(items[0]["imported"] == true);
  CHECK(items[0]["patient_name"] == "難病 花子");
  CHECK(items[0]["written_on"] == "2026-05-01");
  CHECK(items[0]["disease"] == ft::definition("nanbyo-006").title);
  CHECK(items[1]["imported"] == false);
  CHECK(items[1]["file"] == "broken.xml");
  CHECK(items[1]["result"] == "エラー");
  CHECK_FALSE(items[1]["reasons"].empty());
  CHECK(items[2]["imported"] == true);
  CHECK(d.web.get("/api/forms/" + items[2]["form_id"].get<std::string>()).status == 200);

  auto page = d.web.get("/forms/import-results/" + job);
  REQUIRE(page.status == 200);
  for (const char* text : {"患者氏名", "病名", "ファイル名", "記載年月日", "結果", "broken.xml",
                           "難病 花子", "2026-05-01", "エラー"})
    CHECK(page.body().find(text) != std::string::npos);

  auto csv = d.web.get("/forms/import-results/" + job + "/result.csv");
  REQUIRE(csv.status == 200);
  CHECK(csv.header("Content-Disposition").find("attachment") == 0);
  CHECK(csv.body().starts_with("\xEF\xBB\xBF患者氏名,病名,ファイル名,記載年月日,結果"));
  CHECK(csv.body().find("'=1+2.xml") != std::string::npos);  // never a formula
  CHECK(csv.body().find(",=1+2.xml") == std::string::npos);

  // The same file again: nothing twice.
  auto again =
      d.web.request(http::verb::post, "/api/forms/imports", batch, "application/octet-stream");
  REQUIRE(again.status == 202);
  auto second = d.web.wait_for_job(again.json()["job_id"]);
  CHECK(second["imported"] == 0);
  CHECK(second["already"] == 2);
}

TEST_CASE("an upload's progress is its session's and its result the uploader's only",
          "[unit][forms]") {
  UploadingDoctor d;
  auto start =
      d.web.request(http::verb::post, "/api/forms/imports",
                    d.sealed({parkinson_file("a.xml", "HIS-1")}), "application/octet-stream");
  REQUIRE(start.status == 202);
  const std::string job = start.json()["job_id"];
  REQUIRE(d.web.wait_for_job(job)["state"] == "done");
  // The same doctor in another session sees the result, not the progress.
  Client again = d.f.client(kHospital);
  REQUIRE(again.api_login(d.user_id, kChosenPassword) == "active");
  CHECK(again.get("/api/imports/" + job).status == 404);
  CHECK(again.get("/api/forms/import-results/" + job).status == 200);
  // Another doctor of the hospital, the municipality: not found.
  Client other = d.f.active_doctor("510002");
  Client town = d.f.town_admin();
  for (Client* c : {&other, &town}) {
    CHECK(c->get("/api/imports/" + job).status == 404);
    CHECK(c->get("/api/forms/import-results/" + job).status == 404);
    CHECK(c->get("/forms/import-results/" + job).status == 404);
    CHECK(c->get("/forms/import-results/" + job + "/result.csv").status == 404);
  }
  // A forms job is not a doctors' bulk registration either.
  CHECK(town.get("/imports/" + job).status == 404);
  // The uploader's own session still sees it.
  CHECK(d.web.get("/forms/import-results/" + job).status == 200);
}

TEST_CASE("F-9 an upload's results outlive a restart, listed for 30 days, sealed at rest",
          "[unit][forms]") {
  UploadingDoctor d;
  auto broken = parkinson_file("broken.xml", "HIS-2");
  broken.xml = "<forms>";
  auto start = d.web.request(http::verb::post, "/api/forms/imports?file=his-batch.nbx",
                             d.sealed({parkinson_file("a.xml", "HIS-1"), broken}),
                             "application/octet-stream");
  REQUIRE(start.status == 202);
  const std::string job = start.json()["job_id"];
  REQUIRE(d.web.wait_for_job(job)["state"] == "done");

  // The web process restarts: its sessions' memory and the jobs are gone.
  d.f.restart_web();
  Client later = d.f.client(kHospital);
  REQUIRE(later.api_login(d.user_id, kChosenPassword) == "active");
  auto kept = later.get("/api/forms/import-results/" + job);
  INFO(kept.body());
  REQUIRE(kept.status == 200);
  CHECK(kept.json()["imported"] == 1);
  CHECK(kept.json()["failed"] == 1);
  CHECK(kept.json()["file_name"] == "his-batch.nbx");
  const auto items = kept.json()["items"];
  REQUIRE(items.size() == 2);
  CHECK(items[0]["patient_name"] == "難病 花子");
  CHECK(items[0]["result"] == "登録");
  CHECK(items[1]["file"] == "broken.xml");
  CHECK(items[1]["result"] == "エラー");
  auto page = later.get("/forms/import-results/" + job);
  REQUIRE(page.status == 200);
  for (const char* text : {"難病 花子", "broken.xml", "エラー", "閲覧</a>"})
    CHECK(page.body().find(text) != std::string::npos);
  CHECK(later.get("/forms/import-results/" + job + "/result.csv").status == 200);
  CHECK(d.f.audited("form-import-result", audit::Outcome::Allow));
  // The upload screen lists it.
  auto screen = later.get("/forms/imports/new").body();
  CHECK(screen.find("最近の取込結果") != std::string::npos);
  CHECK(screen.find("/forms/import-results/" + job) != std::string::npos);
  CHECK(screen.find("his-batch.nbx") != std::string::npos);
  // Still nobody else's.
  CHECK(d.f.active_doctor("510003").get("/api/forms/import-results/" + job).status == 404);
  CHECK(d.f.town_admin().get("/forms/import-results/" + job).status == 404);

  // Patients' names, file names and access keys are sealed in the database (S-5).
  {
    SQLite::Database db(d.f.config.database.string(), SQLite::OPEN_READONLY);
    CHECK(db.execAndGet("SELECT count(*) FROM form_upload_items WHERE job_id='" + job + "'")
              .getInt() == 2);
    SQLite::Statement q(db,
                        "SELECT item_enc FROM form_upload_items UNION ALL "
                        "SELECT detail_enc FROM form_upload_jobs");
    while (q.executeStep()) {
      const std::string blob(static_cast<const char*>(q.getColumn(0).getBlob()),
                             static_cast<std::size_t>(q.getColumn(0).getBytes()));
      CHECK(blob.find("難病") == std::string::npos);
      CHECK(blob.find("broken.xml") == std::string::npos);
      CHECK(blob.find("his-batch") == std::string::npos);
    }
  }

  // After 30 days it is gone, and the next upload forgets it in the database too.
  d.f.clock.advance(std::chrono::hours(24 * 31));
  Client month = d.f.client(kHospital);
  REQUIRE(month.api_login(d.user_id, kChosenPassword) == "active");
  CHECK(month.get("/api/forms/import-results/" + job).status == 404);
  auto next =
      month.request(http::verb::post, "/api/forms/imports",
                    d.sealed({parkinson_file("c.xml", "HIS-3")}), "application/octet-stream");
  REQUIRE(next.status == 202);
  REQUIRE(month.wait_for_job(next.json()["job_id"])["state"] == "done");
  SQLite::Database db(d.f.config.database.string(), SQLite::OPEN_READONLY);
  CHECK(
      db.execAndGet("SELECT count(*) FROM form_upload_jobs WHERE job_id='" + job + "'").getInt() ==
      0);
  CHECK(
      db.execAndGet("SELECT count(*) FROM form_upload_items WHERE job_id='" + job + "'").getInt() ==
      0);
  CHECK(db.execAndGet("SELECT count(*) FROM form_upload_jobs").getInt() == 1);
}

TEST_CASE("an upload job that cannot open the file fails with the reason", "[unit][forms]") {
  UploadingDoctor d;
  auto start = d.web.request(http::verb::post, "/api/forms/imports", "not a batch",
                             "application/octet-stream");
  REQUIRE(start.status == 202);
  auto state = d.web.wait_for_job(start.json()["job_id"]);
  CHECK(state["state"] == "failed");
  CHECK(state["code"] == "invalid-input");
  CHECK(state["error"].get<std::string>().find("nanbyo-check") != std::string::npos);
  CHECK(d.f.audited("form-import", audit::Outcome::Deny));
  CHECK(d.web.request(http::verb::post, "/api/forms/imports", "", "application/octet-stream")
            .status == 400);
}
