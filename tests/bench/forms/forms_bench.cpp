// Benchmark of issue 6 (clinical forms), run by ../run_forms_bench.sh, never by
// ctest: (a) latency of check + calculation + judgment per form, (b) bulk
// import of 10,000 XML forms end to end (nanbyo-check + upload, goal < 10 s),
// (c, --upload-job) the same upload as a background job while another user
// works (issue 18). --catalog (issue 18): a and b over every definition and
// the common templates of all master diseases, b with 100,000 forms in files
// of 1,000 through nanbyo-check and the upload job, xmllint beside it.
// A temporary appliance: its own SQLite database, master key, the real
// hash-chained audit log, production Argon2id, and a designated doctor who went
// through first login and holds a real key file.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "appcore/core/app_core.h"
#include "appcore/core/forms_api.h"
#include "tests/bench/appcore_bench_support.h"
#include "tests/bench/forms/bulk_import.h"
#include "tests/bench/forms/catalog_bulk.h"
#include "tests/bench/forms/catalog_latency.h"
#include "tests/bench/forms/latency.h"
#include "tests/bench/forms/upload_job.h"

using namespace nanbyo;
using namespace nanbyo::appcore;
using nanbyo::bench::die;
using nanbyo::bench::must;

namespace {

constexpr const char* kHospital = "1310000001";

struct Doctor {
  Principal principal;
  std::string key_file;  // text of the .nbkey issued at first login
};

// A designated doctor registered by the municipality, logged in from a
// hospital PC, through first login (e-mail, key file, password). Also a
// 小慢指定医: the forms of both kinds are registered only by a doctor designated
// for their program (a 難病指定医 alone keeps a 医療意見書 as a draft).
Doctor designated_doctor(AppCore& core, const Principal& town) {
  DoctorInput input{"鈴木 和也",
                    "スズキ カズヤ",
                    "123456",
                    Role::NanbyoDoctor,
                    kHospital,
                    "霞が関中央病院",
                    "東京都千代田区霞が関1-2-2",
                    "神経内科",
                    "2026-04-01",
                    "2031-03-31",
                    "13-0001"};
  auto reg = must(core.register_doctor(town, input));
  input.kind = Role::PediatricDoctor;
  input.doctor_number = "13-P001";
  must(core.register_doctor(town, input));
  auto r =
      must(core.login(reg.user_id, reg.credential.initial_password, Terminal{kHospital, "pc-01"}));
  must(core.register_email(r.principal, "suzuki@example.jp"));
  Doctor d{r.principal, must(core.issue_key_file(r.principal)).key_file};
  must(core.complete_first_login(r.principal, "質問", "答え", "Bench-Password-2026"));
  return d;
}

// A clerk of the doctor's hospital, logged in at another PC: the other user.
bench::OtherUser hospital_clerk(AppCore& core, const Principal& doctor) {
  auto cred = must(core.create_clerk(doctor, "事務 花子", "ジム ハナコ"));
  const Terminal pc{kHospital, "pc-02"};
  auto first = must(core.login(cred.user_id, cred.initial_password, pc));
  auto step = first.next_step;
  if (step == SetupStep::RegisterEmail)
    step = must(core.register_email(first.principal, "jimu@example.jp"));
  if (step == SetupStep::IssueKey) must(core.issue_key_file(first.principal));
  must(core.complete_first_login(first.principal, "質問", "答え", "Bench-Password-2026"));
  auto r = must(core.login(cred.user_id, "Bench-Password-2026", pc));
  return {r.session_token, pc, r.principal};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"forms benchmark (issue 6)"};
  bench::LatencyOptions latency;
  bench::BulkOptions bulk;
  bench::CatalogLatencyOptions catalog_latency;
  bench::CatalogBulkOptions catalog_bulk;
  bool keep = false, skip_latency = false, skip_bulk = false, upload_job = false, catalog = false;
  app.add_option("--check-tool", bulk.check_tool, "the built nanbyo-check")->required();
  app.add_option("--forms", bulk.forms, "XML files of the bulk import");
  app.add_option("--iterations", latency.iterations, "timed evaluations per form");
  app.add_option("--warmup", latency.warmup, "untimed evaluations per form first");
  app.add_flag("--keep", keep, "keep the temporary folder");
  app.add_flag("--no-latency", skip_latency, "only the bulk import");
  app.add_flag("--no-bulk", skip_bulk, "only the latency");
  app.add_flag("--upload-job", upload_job,
               "part c instead of b's direct upload: the upload as a job beside another user");
  app.add_flag("--catalog", catalog,
               "issue 18: latency over every definition, and the end-to-end run over the master");
  app.add_option("--catalog-forms", catalog_bulk.forms, "forms of the catalog run (100,000)");
  app.add_option("--forms-per-file", catalog_bulk.forms_per_file, "forms per XML file (1,000)");
  app.add_option("--xmllint", catalog_bulk.xmllint, "the peer's xmllint (catalog run)");
  app.add_option("--calls-per-form", catalog_latency.calls_per_form,
                 "timed evaluations per form (catalog run)");
  app.add_option("--common-diseases", catalog_latency.common_diseases,
                 "master diseases per kind on the common template (0: all)");
  CLI11_PARSE(app, argc, argv);

  bench::BenchAppliance appliance("forms-bench");
  const std::filesystem::path& dir = appliance.dir;
  auto& core = appliance.core;
  const CoreConfig& config = appliance.config;
  const Doctor doctor = designated_doctor(*core, appliance.town);
  bulk.key_file = dir / "doctor.nbkey";
  std::ofstream(bulk.key_file) << doctor.key_file;
  bulk.work_dir = dir;
  auto forms = must(FormService::open(config, FormServiceConfig{forms::source_definitions_dir()},
                                      appliance.clock, *appliance.sink));

  bool ok = true;
  if (catalog) {
    catalog_bulk.check_tool = bulk.check_tool;
    catalog_bulk.key_file = bulk.key_file;
    catalog_bulk.work_dir = dir;
    if (!skip_latency) ok = bench::run_catalog_latency(*forms, catalog_latency) && ok;
    if (!skip_bulk)
      ok =
          bench::run_catalog_bulk(*core, *forms, doctor.principal, "bench-session", catalog_bulk) &&
          ok;
  }
  const bool bulk_ran = !skip_bulk;
  if (catalog) skip_latency = skip_bulk = true;
  if (!skip_latency) ok = bench::run_latency(*forms, latency) && ok;
  std::string sealed;
  std::size_t expected = 0;
  if (!skip_bulk && upload_job) {
    bulk.sealed_out = &sealed;
    bulk.expected_imported_out = &expected;
  }
  if (!skip_bulk) {
    ok = bench::run_bulk_import(*forms, doctor.principal, bulk) && ok;
    if (ok && upload_job)
      ok = bench::run_upload_job(*core, *forms, doctor.principal, "bench-session", sealed,
                                 hospital_clerk(*core, doctor.principal), expected);
  }
  if (bulk_ran) {
    std::error_code ec;  // the WAL may hold most of it until a checkpoint
    const auto wal = std::filesystem::file_size(dir / "appcore.db-wal", ec);
    std::printf("database %.1f MiB with its WAL, audit log %.1f MiB (%llu records)\n",
                (std::filesystem::file_size(config.database) + (ec ? 0 : wal)) / 1048576.0,
                std::filesystem::file_size(appliance.audit_path()) / 1048576.0,
                static_cast<unsigned long long>(appliance.log->last_seq()));
  }
  forms.reset();
  core.reset();
  if (keep)
    std::printf("kept %s\n", dir.c_str());
  else
    std::filesystem::remove_all(dir);
  return ok ? 0 : 1;
}
