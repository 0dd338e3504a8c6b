// Versions side by side (issue 18 item 4, catalog.h): the former versions
// kept in definitions/previous/<version>/, their transition and renames, and
// which definition a form of a given version is read with.
#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstdio>

#include "appcore/forms/catalog.h"
#include "appcore/forms/yaml_reader.h"

namespace nanbyo::forms {
namespace {

using detail::MapReader;

bool is_date(const std::string& s) {
  int y = 0, m = 0, d = 0;
  char tail = 0;
  if (s.size() != 10 || std::sscanf(s.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
    return false;
  return std::chrono::year_month_day{std::chrono::year{y}, std::chrono::month(unsigned(m)),
                                     std::chrono::day(unsigned(d))}
      .ok();
}

// transition.yaml: version, accepted_until and renamed ({form id: {old: new}}),
// each rename checked against both versions' definitions.
void read_transition(const YAML::Node& root, const std::string& file, PreviousVersion& out,
                     const FormCatalog& current) {
  MapReader r(root, file, "");
  out.version = r.text("version", true);
  out.accepted_until = r.text("accepted_until", true);
  if (!is_date(out.accepted_until)) r.fail("accepted_until", "not a date YYYY-MM-DD");
  if (YAML::Node renamed = r.node("renamed", false); renamed && !renamed.IsNull()) {
    if (!renamed.IsMap()) r.fail("renamed", "a map of form id to {old item: new item}");
    for (const auto& form : renamed) {
      const std::string id = detail::scalar(form.first, file, "renamed");
      const std::string path = "renamed." + id;
      const FormDefinition* old_def = out.forms ? out.forms->find(id) : nullptr;
      const FormDefinition* new_def = current.find(id);
      if (!old_def || !new_def)
        detail::raise(file, form.first.Mark(), path, "no form " + id + " in both versions");
      if (!form.second.IsMap()) detail::raise(file, form.second.Mark(), path, "a map old: new");
      for (const auto& item : form.second) {
        const std::string from = detail::scalar(item.first, file, path);
        const std::string to = detail::scalar(item.second, file, path + "." + from);
        if (!old_def->field(from))
          detail::raise(file, item.first.Mark(), path, "no item " + from + " in " + out.version);
        if (!new_def->field(to))
          detail::raise(file, item.second.Mark(), path + "." + from,
                        "no item " + to + " in " + new_def->version);
        out.renamed[id][from] = to;
      }
    }
  }
  r.finish();
}

}  // namespace

Result<PreviousVersion> FormCatalog::load_previous(const std::filesystem::path& dir,
                                                   const FormCatalog& current) {
  const std::string file = (dir / kTransitionFile).string();
  NANBYO_TRY(forms, load_set(dir, current.master_));
  PreviousVersion out;
  out.forms = std::move(forms);
  try {
    read_transition(YAML::LoadFile(file), file, out, current);
  } catch (const YAML::BadFile&) {
    return fail(file + ": missing (a previous version states its transition)");
  } catch (const YAML::Exception& e) {
    return fail(file + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  } catch (const detail::LoadError& e) {
    return fail(e.what());
  }
  if (dir.filename() != out.version)
    return fail(file + ": version " + out.version + " is not the folder's name");
  // Every former definition has a current successor of another version.
  for (const auto& d : out.forms->definitions_) {
    if (d.version != out.version)
      return fail(d.file + ": version " + d.version + " in the folder of version " + out.version);
    const FormDefinition* now = current.find(d.id);
    if (!now) return fail(d.file + ": form " + d.id + " has no current definition");
    if (now->version == d.version)
      return fail(d.file + ": the current " + d.id + " has the same version " + d.version);
  }
  for (const auto& t : out.forms->templates_)
    if (t.version != out.version)
      return fail(t.file + ": version " + t.version + " in the folder of version " + out.version);
  return out;
}

const FormDefinition* FormCatalog::find(std::string_view id, std::string_view version) const {
  const FormDefinition* now = find(id);
  if (version.empty() || (now && now->version == version)) return now;
  for (const auto& p : previous_)
    if (p.version == version) return p.forms->find(id);
  return nullptr;
}

const PreviousVersion* FormCatalog::previous_of(const FormDefinition& def) const {
  const FormDefinition* now = find(def.id);
  if (now && now->version == def.version) return nullptr;
  for (const auto& p : previous_)
    if (p.version == def.version) return &p;
  return nullptr;
}

Result<void> FormCatalog::accepts(const FormDefinition& def, std::string_view today) const {
  const PreviousVersion* p = previous_of(def);
  if (!p || today <= p->accepted_until) return {};
  const FormDefinition* now = find(def.id);
  return fail("様式 " + def.id + " の版 " + def.version + " の受付は " + p->accepted_until +
              " で終了しました。現行の版 " + (now ? now->version : std::string("?")) +
              " で作成してください。");
}

std::string FormCatalog::renamed_item(const FormDefinition& previous,
                                      const std::string& old_item) const {
  const PreviousVersion* p = previous_of(previous);
  if (!p) return old_item;
  auto form = p->renamed.find(previous.id);
  if (form == p->renamed.end()) return old_item;
  auto it = form->second.find(old_item);
  return it == form->second.end() ? old_item : it->second;
}

}  // namespace nanbyo::forms
