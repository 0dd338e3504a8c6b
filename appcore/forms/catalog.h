// The set of form definitions the appliance serves: loaded from a folder of
// YAML files at start-up (definitions/*.yaml disease-specific, shared sections
// in definitions/common/*.yaml, the common forms in definitions/templates/*.yaml)
// with the disease master, validated, then shared read-only by the web form,
// the XML/XSD layer, the check tool and the import (CONVENTIONS.md rule 4).
//
// Every disease of the master has a form (issue 18, F-1): its specific
// definition where one is written, else the common template of its kind
// instantiated under the disease's id (nanbyo-NNN, shoman-G-NNN) and name.
//
// Versions side by side (issue 18 item 4): a form keeps the version of the
// definition it was written with. When a definition changes, its former
// version moves to definitions/previous/<version>/ with a transition.yaml
// naming the last day it is still accepted and the items renamed since; until
// then forms of either version are read, checked and shown with their own
// definition, and 更新登録 maps the old items to the new (docs/forms.md).
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "appcore/forms/definition.h"
#include "appcore/forms/disease_master.h"
#include "pki/result.h"

namespace nanbyo::forms {

// Shared sections ("fragments"), by name: YAML text and the file it came from.
struct FragmentSource {
  std::string yaml;
  std::string file;
};
using Fragments = std::map<std::string, FragmentSource>;

// Parses and validates one definition; errors are "file:line:col: path: message".
Result<FormDefinition> parse_definition(std::string_view yaml, const std::string& file,
                                        const Fragments& fragments = {});

// One disease of the master and the form that serves it.
struct DiseaseForm {
  std::string form_id;  // nanbyo-006, shoman-5-091: the definition id
  std::string kind, group, group_name;
  int number = 0;
  std::string name;       // 告示病名
  std::string aliases;    // subtype names, "／"-separated (searched too)
  bool specific = false;  // a disease-specific definition is written
};

// The id of a disease's form: nanbyo-006, shoman-5-091.
std::string disease_form_id(const std::string& kind, const std::string& group, int number);

class FormCatalog;

// previous/<version>/transition.yaml: the dates and renames of a former version.
inline constexpr const char* kTransitionFile = "transition.yaml";

// A former version of some definitions, accepted until its transition ends.
struct PreviousVersion {
  std::string version;         // "2024.1": every definition of the folder has it
  std::string accepted_until;  // YYYY-MM-DD (JST): the last day its forms are accepted
  // Items renamed in the current version, by form id: old item id -> new item id.
  std::map<std::string, std::map<std::string, std::string>> renamed;
  std::shared_ptr<const FormCatalog> forms;  // the definitions as they were
};

class FormCatalog {
 public:
  // `dir` holds the definitions; the disease master is read from
  // dir/disease_master.tsv (installed) or dir/../data/disease_master.tsv (sources).
  static Result<std::shared_ptr<const FormCatalog>> load(const std::filesystem::path& dir);
  static std::shared_ptr<const FormCatalog> of(std::vector<FormDefinition> definitions,
                                               std::vector<FormDefinition> templates = {},
                                               std::shared_ptr<const DiseaseMaster> master = {});

  // A specific definition or a master disease's common form (made on first
  // use, then kept: the pointer stays valid). Not a template itself.
  const FormDefinition* find(std::string_view id) const;
  // The form in one version: "" or the current version gives find(id); a
  // previous version's definition while it is known; else nullptr.
  const FormDefinition* find(std::string_view id, std::string_view version) const;
  // What a stored form of that version is shown with: find(id, version), or the
  // current definition when that version is no longer shipped.
  const FormDefinition* stored(std::string_view id, std::string_view version) const {
    const FormDefinition* d = find(id, version);
    return d ? d : find(id);
  }
  // The previous version `def` belongs to; nullptr for a current definition.
  const PreviousVersion* previous_of(const FormDefinition& def) const;
  const std::vector<PreviousVersion>& previous_versions() const { return previous_; }
  // Whether a form of `def` may be accepted (checked, uploaded, registered) on
  // `today` (YYYY-MM-DD, JST): always for a current definition, for a previous
  // one until its transition ends; the error says which version to use instead.
  Result<void> accepts(const FormDefinition& def, std::string_view today) const;
  // The current definition's item that takes `old_item` of a previous version's form.
  std::string renamed_item(const FormDefinition& previous, const std::string& old_item) const;
  // 指定難病 by 告示番号, 小慢 by (疾患群, 番号).
  const FormDefinition* nanbyo(int notice_no) const;
  const FormDefinition* shoman(const std::string& group, int notice_no) const;
  // The disease-specific definitions.
  const std::vector<FormDefinition>& definitions() const { return definitions_; }
  // The common templates (nanbyo-common, shoman-common).
  const std::vector<FormDefinition>& templates() const { return templates_; }
  // Every disease of the master (nanbyo by 告示番号, then shoman by group and number).
  const std::vector<DiseaseForm>& diseases() const { return diseases_; }
  const DiseaseForm* disease(std::string_view form_id) const;
  // Diseases whose 告示番号 equals `query` (digits, full-width too), 小慢 by
  // "疾患群-番号" (5-91), or whose name, aliases or form id contain it; ""
  // matches none. At most `limit`, in master order.
  std::vector<const DiseaseForm*> search(std::string_view query, std::size_t limit) const;
  const DiseaseMaster* master() const { return master_.get(); }

 private:
  static std::shared_ptr<FormCatalog> make(std::vector<FormDefinition> definitions,
                                           std::vector<FormDefinition> templates,
                                           std::shared_ptr<const DiseaseMaster> master);
  static Result<std::shared_ptr<FormCatalog>> load_set(const std::filesystem::path& dir,
                                                       std::shared_ptr<const DiseaseMaster> master);
  static Result<PreviousVersion> load_previous(const std::filesystem::path& dir,
                                               const FormCatalog& current);
  const FormDefinition* specific(std::string_view id) const;
  const FormDefinition* template_of(const std::string& kind) const;

  std::vector<FormDefinition> definitions_;
  std::vector<FormDefinition> templates_;
  std::shared_ptr<const DiseaseMaster> master_;
  std::vector<DiseaseForm> diseases_;
  std::vector<PreviousVersion> previous_;  // oldest first
  std::map<std::string, std::size_t, std::less<>> disease_index_;
  mutable std::mutex instances_mutex_;
  mutable std::map<std::string, std::unique_ptr<const FormDefinition>, std::less<>> instances_;
};

// The template instantiated for one disease (what find() keeps).
FormDefinition instantiate(const FormDefinition& common, const DiseaseForm& disease);

// The folder shipped with the sources (for tests and development runs).
std::filesystem::path source_definitions_dir();
// Where the packages install the definitions (CMake NANBYO_FORMS_DIR, by
// default <prefix>/share/nanbyo/forms): the default of the installed programs.
std::filesystem::path installed_definitions_dir();

}  // namespace nanbyo::forms
