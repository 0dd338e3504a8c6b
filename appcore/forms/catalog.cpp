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

}  // namespace

Result<std::shared_ptr<const FormCatalog>> FormCatalog::load(const std::filesystem::path& dir) {
  if (!std::filesystem::is_directory(dir)) return fail("no form definition folder " + dir.string());
  Fragments fragments;
  for (const auto& p : yaml_files(dir / "common")) {
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
  std::vector<FormDefinition> defs;
  for (const auto& p : yaml_files(dir)) {
    NANBYO_TRY(text, read_file(p));
    NANBYO_TRY(def, parse_definition(text, p.string(), fragments));
    for (const auto& d : defs)
      if (d.id == def.id) return fail(p.string() + ": form " + def.id + " is defined twice");
    defs.push_back(std::move(def));
  }
  if (defs.empty()) return fail("no form definitions in " + dir.string());
  return of(std::move(defs));
}

std::shared_ptr<const FormCatalog> FormCatalog::of(std::vector<FormDefinition> definitions) {
  auto c = std::make_shared<FormCatalog>();
  c->definitions_ = std::move(definitions);
  return c;
}

const FormDefinition* FormCatalog::find(std::string_view id) const {
  for (const auto& d : definitions_)
    if (d.id == id) return &d;
  return nullptr;
}

const FormDefinition* FormCatalog::nanbyo(int notice_no) const {
  for (const auto& d : definitions_)
    if (d.kind == "nanbyo" && d.notice_no == notice_no) return &d;
  return nullptr;
}

const FormDefinition* FormCatalog::shoman(const std::string& group, int notice_no) const {
  for (const auto& d : definitions_)
    if (d.kind == "shoman" && d.group == group && d.notice_no == notice_no) return &d;
  return nullptr;
}

std::filesystem::path source_definitions_dir() {
  return std::filesystem::path(NANBYO_FORMS_SOURCE_DIR) / "definitions";
}

std::filesystem::path installed_definitions_dir() {
  return std::filesystem::path(NANBYO_FORMS_DIR);
}

}  // namespace nanbyo::forms
