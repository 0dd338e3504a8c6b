// nanbyo-check: the hospital-side check tool of F-9.
//   nanbyo-check --key A0000001-….nbkey --out OUTDIR FILE.xml|FOLDER ...
// Writes OUTDIR/errors.csv (file, form, field, message) and, when any form
// can be registered, OUTDIR/forms-<UTC time>.nbx sealed with the key file.
//   nanbyo-check --write-layout DIR
// Writes the XML layout (XSD of every form and of each disease) for vendors.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <thread>

#include "appcore/check/check_run.h"
#include "appcore/check/layout_files.h"
#include "service/version.h"

namespace fs = std::filesystem;
using namespace nanbyo;

namespace {

std::optional<std::string> slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The files checked on the machine's cores (at most four threads), each thread
// a contiguous run of files; the results joined in file order, so errors.csv
// and the batch are the same as from one thread.
check::CheckRun check_in_parallel(const forms::XmlFormReader& reader,
                                  const forms::FormCatalog& catalog,
                                  std::vector<check::InputFile> files) {
  const std::size_t threads =
      std::min<std::size_t>({std::max(1u, std::thread::hardware_concurrency()), 4, files.size()});
  if (threads <= 1) return check::check_files(reader, catalog, files);
  std::vector<std::vector<check::InputFile>> shares(threads);
  for (std::size_t i = 0; i < files.size(); ++i)
    shares[i * threads / files.size()].push_back(std::move(files[i]));
  std::vector<check::CheckRun> parts(threads);
  std::vector<std::thread> workers;
  for (std::size_t t = 0; t < threads; ++t)
    workers.emplace_back([&, t] { parts[t] = check::check_files(reader, catalog, shares[t]); });
  for (auto& w : workers) w.join();
  check::CheckRun run = std::move(parts.front());
  for (std::size_t t = 1; t < threads; ++t) {
    run.files += parts[t].files;
    run.forms += parts[t].forms;
    run.packed += parts[t].packed;
    std::move(parts[t].errors.begin(), parts[t].errors.end(), std::back_inserter(run.errors));
    std::move(parts[t].batch.forms.begin(), parts[t].batch.forms.end(),
              std::back_inserter(run.batch.forms));
  }
  return run;
}

bool write(const fs::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << bytes;
  return static_cast<bool>(out.flush());
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"nanbyo-check " + std::string(check::kToolVersion) +
               ": checks clinical-form XML files and writes an encrypted batch for upload"};
  std::string key_path, out_dir, layout_dir,
      definitions = forms::installed_definitions_dir().string();
  std::vector<std::string> inputs;
  auto* layout = app.add_option("--write-layout", layout_dir,
                                "write the XML layout (XSD files for vendors) into this folder");
  app.add_option("--key", key_path, "your user key file (.nbkey)")->excludes(layout);
  app.add_option("--out", out_dir, "output folder (errors.csv and the .nbx batch)")
      ->excludes(layout);
  app.add_option("--definitions", definitions, "form definition folder");
  app.add_option("inputs", inputs, "XML files or folders of XML files")->excludes(layout);
  app.set_version_flag(
      "--version", std::string(check::kToolVersion) + " (appliance " + service::version() + ")");
  CLI11_PARSE(app, argc, argv);
  if (!layout_dir.empty()) {
    auto catalog = forms::FormCatalog::load(definitions);
    if (!catalog) return std::cerr << catalog.error().message << "\n", 1;
    auto written = check::write_layout(**catalog, layout_dir);
    if (!written) return std::cerr << written.error().message << "\n", 1;
    std::cout << *written << " forms: " << layout_dir
              << "/nanbyo-forms.xsd, <form id>.xsd, forms.tsv"
              << (catalog->get()->previous_versions().empty()
                      ? ""
                      : ", previous/<version>/ (former versions still accepted)")
              << "\n";
    return 0;
  }
  if (key_path.empty() || out_dir.empty() || inputs.empty())
    return std::cerr << "--key, --out and at least one input are required (or --write-layout)\n", 1;

  auto key_text = slurp(key_path);
  if (!key_text) return std::cerr << "cannot read the key file " << key_path << "\n", 1;
  auto key = pki::parse_key_file(*key_text);
  if (!key) return std::cerr << "key file: " << key.error().message << "\n", 1;
  SystemClock clock;
  if (auto valid = pki::check_key_validity(*key, clock.now()); !valid)
    return std::cerr << "key file: " << valid.error().message << "\n", 1;
  auto catalog = forms::FormCatalog::load(definitions);
  if (!catalog) return std::cerr << catalog.error().message << "\n", 1;
  auto reader = forms::XmlFormReader::create(*catalog);
  if (!reader) return std::cerr << reader.error().message << "\n", 1;

  std::vector<check::InputFile> files;
  for (const auto& in : inputs) {
    std::vector<fs::path> paths;
    if (fs::is_directory(in)) {
      for (const auto& e : fs::directory_iterator(in))
        if (e.is_regular_file() && e.path().extension() == ".xml") paths.push_back(e.path());
      std::sort(paths.begin(), paths.end());
    } else {
      paths.push_back(in);
    }
    for (const auto& p : paths) {
      auto bytes = slurp(p);
      if (!bytes) return std::cerr << "cannot read " << p << "\n", 1;
      files.push_back({p.filename().string(), std::move(*bytes)});
    }
  }
  auto run = check_in_parallel(**reader, **catalog, std::move(files));
  fs::create_directories(out_dir);
  if (!write(fs::path(out_dir) / "errors.csv", check::error_csv(run.errors)))
    return std::cerr << "cannot write errors.csv\n", 1;
  std::cout << run.files << " files, " << run.forms << " forms, " << run.packed << " packed, "
            << run.errors.size() << " messages (errors.csv)\n";
  if (run.packed == 0) return 2;
  run.batch.user_id = key->user_id;
  run.batch.created_at = format_utc(clock.now());
  auto sealed = check::seal_batch(run.batch, *key, clock.now());
  if (!sealed) return std::cerr << sealed.error().message << "\n", 1;
  std::string stamp = run.batch.created_at;
  std::erase_if(stamp, [](char c) { return c == '-' || c == ':'; });
  const fs::path batch = fs::path(out_dir) / ("forms-" + stamp + ".nbx");
  if (!write(batch, *sealed)) return std::cerr << "cannot write " << batch << "\n", 1;
  std::cout << "batch: " << batch.string() << "\n";
  return 0;
}
