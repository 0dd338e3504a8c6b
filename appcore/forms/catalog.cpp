#include "appcore/forms/catalog.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace nanbyo::forms {
namespace {

Result<std::string> read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return fail("cannot read " + p.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::filesystem::path> yaml_files(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    if (e.is_regular_file() && e.path().extension() == ".yaml") out.push_back(e.path());
  std::sort(out.begin(), out.end());  // a stable order for the XSD and the UI
  return out;
}

Result<Fragments> load_fragments(const std::filesystem::path& dir) {
  Fragments fragments;
  for (const auto& p : yaml_files(dir)) {
    NANBYO_TRY(text, read_file(p));
    std::string name;
    try {
      YAML::Node n = YAML::Load(text);
      if (n.IsMap() && n["fragment"].IsScalar()) name = n["fragment"].Scalar();
    } catch (const YAML::Exception& e) {
      return fail(p.string() + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
    }
    if (name.empty()) return fail(p.string() + ":1:1: missing required key \"fragment\"");
    fragments[name] = FragmentSource{text, p.string()};
  }
  return fragments;
}

Result<std::vector<FormDefinition>> load_definitions(const std::filesystem::path& dir,
                                                     const Fragments& fragments, bool common) {
  std::vector<FormDefinition> defs;
  for (const auto& p : yaml_files(dir)) {
    if (p.filename() == kTransitionFile) continue;  // a previous version's (catalog_versions.cpp)
    NANBYO_TRY(text, read_file(p));
    NANBYO_TRY(def, parse_definition(text, p.string(), fragments));
    if (def.is_template() != common)
      return fail(p.string() + ": " +
                  (common ? "templates/ holds only nanbyo-common and shoman-common"
                          : "a common template belongs in templates/"));
    for (const auto& d : defs)
      if (d.id == def.id) return fail(p.string() + ": form " + def.id + " is defined twice");
    defs.push_back(std::move(def));
  }
  return defs;
}

// The master beside the definitions: installed next to them, or the sources' data/.
std::filesystem::path master_path(const std::filesystem::path& dir) {
  if (std::filesystem::exists(dir / "disease_master.tsv")) return dir / "disease_master.tsv";
  return dir.parent_path() / "data" / "disease_master.tsv";
}

}  // namespace

Result<std::shared_ptr<const FormCatalog>> FormCatalog::load(const std::filesystem::path& dir) {
  NANBYO_TRY(current, load_set(dir, nullptr));
  // Former versions, oldest first (the folder names sort as the versions do).
  std::vector<std::filesystem::path> previous;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir / "previous", ec))
    if (e.is_directory()) previous.push_back(e.path());
  std::sort(previous.begin(), previous.end());
  for (const auto& p : previous) {
    NANBYO_TRY(version, load_previous(p, *current));
    current->previous_.push_back(std::move(version));
  }
  return std::shared_ptr<const FormCatalog>(std::move(current));
}

Result<std::shared_ptr<FormCatalog>> FormCatalog::load_set(
    const std::filesystem::path& dir, std::shared_ptr<const DiseaseMaster> master) {
  if (!std::filesystem::is_directory(dir)) return fail("no form definition folder " + dir.string());
  NANBYO_TRY(fragments, load_fragments(dir / "common"));
  NANBYO_TRY(defs, load_definitions(dir, fragments, false));
  NANBYO_TRY(templates, load_definitions(dir / "templates", fragments, true));
  if (defs.empty() && templates.empty()) return fail("no form definitions in " + dir.string());
  // A previous version is given the current master (its templates serve the same diseases).
  const auto tsv = master_path(dir);
  if (!master && std::filesystem::exists(tsv)) {
    NANBYO_TRY(m, DiseaseMaster::load(tsv));
    master = std::make_shared<const DiseaseMaster>(std::move(m));
  }
  if (!master && !templates.empty())
    return fail("the common templates need the disease master (" + tsv.string() + ")");
  return make(std::move(defs), std::move(templates), std::move(master));
}

const FormDefinition* FormCatalog::specific(std::string_view id) const {
  for (const auto& d : definitions_)
    if (d.id == id) return &d;
  return nullptr;
}

const FormDefinition* FormCatalog::template_of(const std::string& kind) const {
  for (const auto& d : templates_)
    if (d.kind == kind) return &d;
  return nullptr;
}

const FormDefinition* FormCatalog::find(std::string_view id) const {
  if (const auto* d = specific(id)) return d;
  const DiseaseForm* disease = this->disease(id);
  if (!disease) return nullptr;
  const FormDefinition* common = template_of(disease->kind);
  if (!common) return nullptr;
  std::lock_guard lock(instances_mutex_);
  auto it = instances_.find(id);
  if (it == instances_.end())
    it = instances_
             .emplace(std::string(id),
                      std::make_unique<const FormDefinition>(instantiate(*common, *disease)))
             .first;
  return it->second.get();
}

const FormDefinition* FormCatalog::nanbyo(int notice_no) const {
  return find(disease_form_id("nanbyo", "", notice_no));
}

const FormDefinition* FormCatalog::shoman(const std::string& group, int notice_no) const {
  return find(disease_form_id("shoman", group, notice_no));
}

const DiseaseForm* FormCatalog::disease(std::string_view form_id) const {
  auto it = disease_index_.find(form_id);
  return it == disease_index_.end() ? nullptr : &diseases_[it->second];
}

std::filesystem::path source_definitions_dir() {
  return std::filesystem::path(NANBYO_FORMS_SOURCE_DIR) / "definitions";
}

std::filesystem::path installed_definitions_dir() {
  return std::filesystem::path(NANBYO_FORMS_DIR);
}

}  // namespace nanbyo::forms
