#include "tests/bench/forms/bulk_import.h"

#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "appcore/forms/xml.h"
#include "tests/bench/forms/bench_measure.h"
#include "tests/bench/forms/sample_forms.h"

namespace nanbyo::bench {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Generated {
  std::size_t complete = 0, missing = 0, with_errors = 0;
  std::uintmax_t bytes = 0;
};

// One form per file, as hospital systems export them; about 3 % with entry
// errors and 2 % with a missing required item, spread over the five diseases.
Generated generate(const forms::FormCatalog& catalog, std::size_t count, const fs::path& dir) {
  Generated g;
  const auto& ids = sample_definitions();
  for (std::size_t i = 0; i < count; ++i) {
    const forms::FormDefinition& def = *catalog.find(ids[i % ids.size()]);
    forms::FormValues values = sample_form(def, 100'000 + i);
    if (i % 33 == 7) {
      add_entry_errors(values, static_cast<int>(i / 33 % 3));
      ++g.with_errors;
    } else if (i % 47 == 11) {
      drop_required_item(values);
      ++g.missing;
    } else {
      ++g.complete;
    }
    char name[32], ref[32];
    std::snprintf(name, sizeof name, "form-%05zu.xml", i);
    std::snprintf(ref, sizeof ref, "HIS-%06zu", i);
    const std::string xml = forms::write_form_xml(def, values, ref);
    std::ofstream(dir / name, std::ios::binary) << xml;
    g.bytes += xml.size();
  }
  return g;
}

}  // namespace

bool run_bulk_import(appcore::FormService& service, const appcore::Principal& doctor,
                     const BulkOptions& options) {
  const fs::path xml_dir = options.work_dir / "xml", out_dir = options.work_dir / "out";
  fs::create_directories(xml_dir);
  std::printf("\n== b. bulk import of %zu XML forms: nanbyo-check + upload\n", options.forms);
  auto t0 = Clock::now();
  const Generated g = generate(service.catalog(), options.forms, xml_dir);
  std::printf(
      "generated %zu files (%.1f MiB) in %.2f s: %zu complete, %zu missing an item, "
      "%zu with entry errors\n",
      options.forms, g.bytes / 1048576.0, seconds_since(t0), g.complete, g.missing, g.with_errors);

  // (i) the hospital side: the real command on the folder, as the hospital runs it.
  const ChildRun check = run_child(
      {options.check_tool.string(), "--key", options.key_file.string(), "--out", out_dir.string(),
       "--definitions", forms::source_definitions_dir().string(), xml_dir.string()},
      options.work_dir / "check.out");
  const std::string said = slurp(options.work_dir / "check.out");
  if (!WIFEXITED(check.status) || WEXITSTATUS(check.status) != 0)
    return std::fprintf(stderr, "nanbyo-check failed (status %d): %s\n", check.status,
                        said.c_str()),
           false;
  const std::string packed = std::to_string(g.complete + g.missing) + " packed";
  if (said.find(packed) == std::string::npos)
    return std::fprintf(stderr, "nanbyo-check: expected \"%s\", got: %s", packed.c_str(),
                        said.c_str()),
           false;
  fs::path nbx;
  for (const auto& e : fs::directory_iterator(out_dir))
    if (e.path().extension() == ".nbx") nbx = e.path();
  if (nbx.empty()) return std::fprintf(stderr, "no .nbx written\n"), false;
  const std::string sealed = slurp(nbx);
  std::printf("(i)  nanbyo-check: %.2f s wall, %.2f s CPU, peak RSS %.1f MiB; says: %s",
              check.wall_s, check.cpu_s, check.max_rss_kib / 1024.0,
              said.substr(0, said.find('\n') + 1).c_str());
  std::printf("     .nbx %.2f MiB (%.0f bytes per form), errors.csv %.1f KiB\n",
              sealed.size() / 1048576.0,
              static_cast<double>(sealed.size()) / (g.complete + g.missing),
              fs::file_size(out_dir / "errors.csv") / 1024.0);

  if (options.sealed_out) {
    *options.sealed_out = sealed;
    if (options.expected_imported_out) *options.expected_imported_out = g.complete + g.missing;
    return true;
  }

  // (ii) the server side: the upload route's call on the batch bytes.
  const double cpu0 = self_cpu_seconds();
  t0 = Clock::now();
  auto outcome = service.import_batch(doctor, sealed);
  const double upload_s = seconds_since(t0), upload_cpu = self_cpu_seconds() - cpu0;
  if (!outcome) return std::fprintf(stderr, "upload: %s\n", outcome.error().message.c_str()), false;
  std::size_t registered = 0, drafts = 0;
  for (const auto& item : outcome->items) {
    registered += item.status == "registered";
    drafts += item.status == "draft";
  }
  std::printf(
      "(ii) upload (FormService::import_batch): %.2f s wall, %.2f s CPU, %.0f forms/s; "
      "imported %zu (registered %zu, draft %zu), failed %zu, already %zu\n",
      upload_s, upload_cpu, outcome->items.size() / upload_s, outcome->imported, registered, drafts,
      outcome->failed, outcome->already);
  const double total = check.wall_s + upload_s;
  std::printf("total check + upload: %.2f s (goal < %.0f s: %s)\n", total, options.goal_seconds,
              total < options.goal_seconds ? "met" : "NOT met");

  // Forms with entry errors stay behind at the hospital; every other form is imported.
  if (outcome->imported != g.complete + g.missing || outcome->failed != 0 ||
      registered != g.complete || drafts != g.missing)
    return std::fprintf(stderr, "unexpected counts: expected %zu registered + %zu drafts\n",
                        g.complete, g.missing),
           false;
  return true;
}

}  // namespace nanbyo::bench
