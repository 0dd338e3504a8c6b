#include "tests/bench/forms/catalog_bulk.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "appcore/forms/xml.h"
#include "appcore/web/import_jobs.h"
#include "tests/bench/forms/bench_measure.h"
#include "tests/bench/forms/generic_forms.h"
#include "tests/bench/forms/sample_forms.h"

namespace nanbyo::bench {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// What was written, to compare with what the check tool and the upload report.
struct Written {
  std::size_t complete = 0, missing = 0, with_errors = 0, nanbyo = 0, shoman = 0, specific = 0;
  std::uintmax_t bytes = 0;
  std::set<std::string> diseases;
  bool ok = true;

  void add(const Written& w) {
    complete += w.complete;
    missing += w.missing;
    with_errors += w.with_errors;
    nanbyo += w.nanbyo;
    shoman += w.shoman;
    specific += w.specific;
    bytes += w.bytes;
    diseases.insert(w.diseases.begin(), w.diseases.end());
    ok = ok && w.ok;
  }
};

// The disease of each form: every master disease can occur; those with a
// specific definition (the common ones: Parkinson, UC, SLE, ...) 40 times as
// often as a rare 小慢 one, other 指定難病 3 times (there are far more adult
// recipients): about 58 % nanbyo forms, a third on a specific definition.
std::vector<const forms::DiseaseForm*> disease_mix(const forms::FormCatalog& catalog,
                                                   std::size_t count) {
  std::vector<double> weights;
  for (const auto& d : catalog.diseases())
    weights.push_back(d.specific ? 40.0 : d.kind == "nanbyo" ? 3.0 : 1.0);
  std::discrete_distribution<std::size_t> pick(weights.begin(), weights.end());
  std::mt19937 rng(18);
  std::vector<const forms::DiseaseForm*> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) out.push_back(&catalog.diseases()[pick(rng)]);
  return out;
}

// Files [first, last) of `forms_per_file` forms each; about 3 % of the forms
// with an entry error and 2 % missing 記載年月日, as in part b.
Written write_files(const forms::FormCatalog& catalog,
                    const std::vector<const forms::DiseaseForm*>& mix, std::size_t per_file,
                    std::size_t first, std::size_t last, const fs::path& dir) {
  Written w;
  for (std::size_t file = first; file < last; ++file) {
    std::vector<forms::FormValues> values;
    std::vector<forms::FormToWrite> forms;
    values.reserve(per_file);
    const std::size_t begin = file * per_file, end = std::min(mix.size(), begin + per_file);
    for (std::size_t i = begin; i < end; ++i) {
      const forms::FormDefinition* def = catalog.find(mix[i]->form_id);
      auto v = def ? generic_form(*def, 200'000 + i) : std::nullopt;
      if (!v) {
        std::fprintf(stderr, "no complete form for %s\n", mix[i]->form_id.c_str());
        w.ok = false;
        return w;
      }
      if (i % 33 == 7) {
        add_entry_errors(*v, static_cast<int>(i / 33 % 3));
        ++w.with_errors;
      } else if (i % 47 == 11) {
        drop_required_item(*v);
        ++w.missing;
      } else {
        ++w.complete;
      }
      (def->kind == "shoman" ? w.shoman : w.nanbyo) += 1;
      w.specific += mix[i]->specific;
      w.diseases.insert(def->id);
      values.push_back(std::move(*v));
      char ref[32];
      std::snprintf(ref, sizeof ref, "HIS-%07zu", i);
      forms.push_back({def, &values.back(), ref});
    }
    char name[32];
    std::snprintf(name, sizeof name, "export-%03zu.xml", file);
    const std::string xml = forms::write_forms_xml(forms);
    std::ofstream(dir / name, std::ios::binary) << xml;
    w.bytes += xml.size();
  }
  return w;
}

// Generated on two threads (the machine's cores); not part of the timings.
Written generate(const forms::FormCatalog& catalog, const CatalogBulkOptions& o,
                 const fs::path& dir) {
  const auto mix = disease_mix(catalog, o.forms);
  const std::size_t files = (o.forms + o.forms_per_file - 1) / o.forms_per_file;
  Written second;
  std::thread helper(
      [&] { second = write_files(catalog, mix, o.forms_per_file, files / 2, files, dir); });
  Written all = write_files(catalog, mix, o.forms_per_file, 0, files / 2, dir);
  helper.join();
  all.add(second);
  return all;
}

std::string load_average() {
  std::string s = slurp("/proc/loadavg");
  return s.substr(0, s.find(' ', s.find(' ', s.find(' ') + 1) + 1));
}

}  // namespace

bool run_catalog_bulk(appcore::AppCore& core, appcore::FormService& service,
                      const appcore::Principal& doctor, const std::string& session_token,
                      const CatalogBulkOptions& o) {
  const fs::path xml_dir = o.work_dir / "catalog-xml", out_dir = o.work_dir / "catalog-out";
  fs::create_directories(xml_dir);
  std::printf("\n== b. %zu XML forms over the master, end to end: nanbyo-check + upload job\n",
              o.forms);
  auto t0 = Clock::now();
  const Written w = generate(service.catalog(), o, xml_dir);
  if (!w.ok) return false;
  std::printf(
      "generated %zu files of up to %zu forms (%.1f MiB) in %.1f s: %zu diseases (%zu nanbyo and "
      "%zu shoman forms, %zu on a specific definition); %zu complete, %zu missing an item, %zu "
      "with entry errors\n",
      (o.forms + o.forms_per_file - 1) / o.forms_per_file, o.forms_per_file, w.bytes / 1048576.0,
      seconds_since(t0), w.diseases.size(), w.nanbyo, w.shoman, w.specific, w.complete, w.missing,
      w.with_errors);
  std::printf("load average before the timed steps: %s\n", load_average().c_str());

  // The peer: the schema validation alone, with the XSD nanbyo-check --write-layout gives vendors.
  ChildRun peer;
  if (!o.xmllint.empty()) {
    const fs::path xsd = o.work_dir / "nanbyo-forms.xsd";
    std::ofstream(xsd, std::ios::binary) << forms::generate_xsd(service.catalog());
    std::vector<std::string> argv{o.xmllint.string(), "--noout", "--schema", xsd.string()};
    for (const auto& e : fs::directory_iterator(xml_dir)) argv.push_back(e.path().string());
    peer = run_child(argv, o.work_dir / "xmllint.out");
    if (!peer.exited_with(0) && !peer.exited_with(3))  // 3: some file does not validate
      return std::fprintf(stderr, "xmllint failed (status %d)\n", peer.status), false;
  }

  // (i) the hospital side: the real command on the folder.
  const ChildRun check =
      run_child({o.check_tool.string(), "--key", o.key_file.string(), "--out", out_dir.string(),
                 "--definitions", forms::source_definitions_dir().string(), xml_dir.string()},
                o.work_dir / "catalog-check.out");
  const std::string said = slurp(o.work_dir / "catalog-check.out");
  const std::string packed = std::to_string(w.complete + w.missing) + " packed";
  if (!check.exited_with(0) || said.find(packed) == std::string::npos)
    return std::fprintf(stderr, "nanbyo-check: expected \"%s\" (status %d), got: %s",
                        packed.c_str(), check.status, said.c_str()),
           false;
  fs::path nbx;
  for (const auto& e : fs::directory_iterator(out_dir))
    if (e.path().extension() == ".nbx") nbx = e.path();
  web::FormUpload upload;
  upload.bytes = slurp(nbx);
  std::printf("(i)  nanbyo-check: %.2f s wall, %.2f s CPU, peak RSS %.0f MiB; says: %s",
              check.wall_s, check.cpu_s, check.max_rss_kib / 1024.0,
              said.substr(0, said.find('\n') + 1).c_str());
  std::printf("     .nbx %.1f MiB\n", upload.bytes.size() / 1048576.0);

  // (ii) the server side: the upload job, as the web upload starts it.
  web::ImportJobs jobs(core);
  const double cpu0 = self_cpu_seconds();
  t0 = Clock::now();
  const std::string id = jobs.start_forms(service, doctor, session_token, std::move(upload));
  auto job = jobs.find(id, doctor.user_id);
  // The job's progress splits it: opened and decoded (the total is known), the
  // forms re-read, re-validated and re-checked (the first chunk is stored), the chunks.
  double opened_s = 0, first_chunk_s = 0, first_chunk_cpu = 0;
  while (job->state.load() == 0) {
    if (opened_s == 0 && job->rows_total.load() > 0) opened_s = seconds_since(t0);
    if (first_chunk_s == 0 && job->rows_done.load() > 0) {
      first_chunk_s = seconds_since(t0);
      first_chunk_cpu = self_cpu_seconds() - cpu0;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  const double upload_s = seconds_since(t0), upload_cpu = self_cpu_seconds() - cpu0;
  if (job->state.load() != 1)
    return std::fprintf(stderr, "the upload job failed: %s\n", job->error->message.c_str()), false;
  const auto& out = *job->outcome;
  std::size_t registered = 0, drafts = 0;
  for (const auto& item : out.items) {
    registered += item.status == "registered";
    drafts += item.status == "draft";
  }
  std::printf(
      "(ii) upload job (FormService::import_batch): %.2f s wall, %.2f s CPU; imported %zu "
      "(registered %zu, draft %zu), failed %zu, already %zu\n",
      upload_s, upload_cpu, out.imported, registered, drafts, out.failed, out.already);
  std::printf(
      "     opened and decoded at %.2f s, forms re-read and re-checked (%zu threads) until about "
      "%.2f s (%.2f s CPU), stored in chunks of 32 (one thread) until %.2f s (%.2f s CPU)\n",
      opened_s, std::min<std::size_t>({std::max(1u, std::thread::hardware_concurrency()), 4}),
      first_chunk_s, first_chunk_cpu, upload_s, upload_cpu - first_chunk_cpu);
  const double total = check.wall_s + upload_s;
  std::printf("total check + upload: %.2f s wall, %.2f s CPU, %.0f forms/s (goal < %.0f s: %s)\n",
              total, check.cpu_s + upload_cpu, static_cast<double>(o.forms) / total, o.goal_seconds,
              total < o.goal_seconds ? "met" : "NOT met");
  if (!o.xmllint.empty())
    std::printf(
        "peer: xmllint --schema over the same files: %.2f s wall, %.2f s CPU; nanbyo-check / "
        "xmllint wall %.2f, CPU %.2f\n",
        peer.wall_s, peer.cpu_s, check.wall_s / peer.wall_s, check.cpu_s / peer.cpu_s);
  std::printf("load average after: %s\n", load_average().c_str());
  // Forms with entry errors stay behind at the hospital; every other form is imported.
  if (out.imported != w.complete + w.missing || out.failed != 0 || registered != w.complete ||
      drafts != w.missing)
    return std::fprintf(stderr, "unexpected counts: expected %zu registered + %zu drafts\n",
                        w.complete, w.missing),
           false;
  return true;
}

}  // namespace nanbyo::bench
