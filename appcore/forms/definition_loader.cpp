// Reading one definition file: header, sections (with shared fragments
// spliced in by `include:`), fields; then calculations and judgments.
#include <yaml-cpp/yaml.h>

#include <set>

#include "appcore/forms/catalog.h"
#include "appcore/forms/loader_detail.h"

namespace nanbyo::forms {

using detail::MapReader;
using detail::raise;

namespace {

const std::pair<const char*, FieldType> kTypes[] = {
    {"text", FieldType::Text},     {"kana", FieldType::Kana},
    {"date", FieldType::Date},     {"number", FieldType::Number},
    {"choice", FieldType::Choice}, {"multi-choice", FieldType::MultiChoice},
    {"yes-no", FieldType::YesNo},  {"table", FieldType::Table}};

// The seed's XML group of a section: stated with `group:`, else 重症度分類情報
// for a section whose id starts with "severity", else 診断基準情報 (the
// disease-specific part of most definitions).
std::string section_group(MapReader& r, const std::string& id) {
  const std::string group = r.text("group", false);
  if (group.empty()) return id.rfind("severity", 0) == 0 ? kXmlGroups[2] : kXmlGroups[1];
  for (const char* g : kXmlGroups)
    if (group == g) return group;
  r.fail("group",
         "expected one of 基本情報, 診断基準情報, 重症度分類情報, 研究調査情報, "
         "人工呼吸器使用情報, 医療機関情報");
}

// required_when is read after every field is known (it may name later fields).
struct Pending {
  std::size_t field;
  YAML::Node node;
  std::string file, path;
};

class Reader {
 public:
  Reader(FormDefinition& def, const Fragments& fragments) : def_(def), fragments_(fragments) {}

  void sections(const YAML::Node& list, const std::string& file, const std::string& path) {
    if (!list.IsSequence() || list.size() == 0)
      raise(file, list.Mark(), path, "expected a non-empty list");
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string p = path + "[" + std::to_string(i) + "]";
      MapReader r(list[i], file, p);
      if (r.has("include")) {
        const std::string name = r.text("include", true);
        r.finish();
        auto it = fragments_.find(name);
        if (it == fragments_.end()) r.fail("include", "no shared section file \"" + name + "\"");
        if (!included_.insert(name).second) r.fail("include", "\"" + name + "\" is included twice");
        YAML::Node frag = YAML::Load(it->second.yaml);
        MapReader fr(frag, it->second.file, "");
        (void)fr.text("fragment", true);
        sections(fr.node("sections", true), it->second.file, "sections");
        fr.finish();
        continue;
      }
      SectionDef s;
      s.id = r.text("id", true);
      s.title = r.text("title", true);
      s.group = section_group(r, s.id);
      YAML::Node fields = r.node("fields", true);
      if (!fields.IsSequence() || fields.size() == 0) r.fail("fields", "expected a non-empty list");
      for (std::size_t k = 0; k < fields.size(); ++k) {
        FieldDef f = field(fields[k], file, r.path("fields") + "[" + std::to_string(k) + "]", true);
        f.section = s.id;
        s.fields.push_back(f.id);
        def_.index[f.id] = def_.fields.size();
        def_.fields.push_back(std::move(f));
      }
      r.finish();
      def_.sections.push_back(std::move(s));
    }
  }

  std::vector<Pending> pending;

 private:
  FieldDef field(const YAML::Node& n, const std::string& file, const std::string& path, bool top) {
    MapReader r(n, file, path);
    FieldDef f;
    f.id = r.text("id", true);
    if (!detail::is_identifier(f.id))
      r.fail("id", "expected [a-z][a-z0-9_]* (it is an XML element name)");
    if (top && def_.index.count(f.id)) r.fail("id", "duplicate field id \"" + f.id + "\"");
    f.label = r.text("label", true);
    const std::string type = r.text("type", true);
    bool known = false;
    for (const auto& [name, t] : kTypes)
      if (type == name) f.type = t, known = true;
    if (!known) r.fail("type", "unknown type \"" + type + "\"");
    f.required = r.flag("required", false);
    f.personal = r.flag("personal", false);
    f.carry_over = r.flag("carry_over", false);
    f.from_designation = r.flag("from_designation", false);
    if (f.from_designation && (!top || f.type != FieldType::Text || f.required))
      r.fail("from_designation", "only an optional top-level text item is filled by the server");
    f.unit = r.text("unit", false);
    f.min = r.number("min");
    f.max = r.number("max");
    f.decimals = static_cast<int>(r.integer("decimals", false, 0, 6, -1));
    f.max_length = static_cast<std::size_t>(r.integer("max_length", false, 1, 4000, 200));
    f.max_rows = static_cast<std::size_t>(r.integer("max_rows", false, 1, 200, 20));
    if (f.type != FieldType::Number && (f.min || f.max || !f.unit.empty()))
      r.fail("type", "unit, min and max apply to number fields only");
    if (f.min && f.max && *f.min > *f.max) r.fail("max", "max is below min");
    YAML::Node choices = r.node("choices", false);
    if (choices.IsDefined() && !choices.IsNull()) {
      if (!choices.IsSequence() || choices.size() == 0)
        r.fail("choices", "expected a non-empty list");
      for (std::size_t i = 0; i < choices.size(); ++i) {
        MapReader c(choices[i], file, r.path("choices") + "[" + std::to_string(i) + "]");
        ChoiceDef cd{c.text("value", true), c.text("label", true)};
        c.finish();
        if (f.choice(cd.value)) c.fail("value", "duplicate choice \"" + cd.value + "\"");
        f.choices.push_back(std::move(cd));
      }
    }
    const bool choosy = f.type == FieldType::Choice || f.type == FieldType::MultiChoice;
    if (choosy && f.choices.empty()) r.fail("type", "a choice field needs choices");
    if (!choosy && f.type != FieldType::YesNo && !f.choices.empty())
      r.fail("choices", "choices apply to choice, multi-choice and yes-no fields");
    if (f.type == FieldType::YesNo) {
      if (f.choices.empty()) f.choices = {{"yes", "はい"}, {"no", "いいえ"}};
      if (f.choices.size() != 2 || !f.choice("yes") || !f.choice("no"))
        r.fail("choices", "a yes-no field has exactly the values yes and no");
    }
    YAML::Node columns = r.node("columns", false);
    if (f.type == FieldType::Table) {
      if (!top) r.fail("type", "tables do not nest");
      if (!columns.IsDefined() || !columns.IsSequence() || columns.size() == 0)
        r.fail("columns", "a table needs a non-empty list of columns");
      for (std::size_t i = 0; i < columns.size(); ++i)
        f.columns.push_back(
            field(columns[i], file, r.path("columns") + "[" + std::to_string(i) + "]", false));
    } else if (columns.IsDefined() && !columns.IsNull()) {
      r.fail("columns", "columns apply to table fields only");
    }
    YAML::Node when = r.node("required_when", false);
    if (when.IsDefined() && !when.IsNull()) {
      if (!top) r.fail("required_when", "columns have no conditional required-ness");
      pending.push_back({def_.fields.size(), when, file, r.path("required_when")});
    }
    r.finish();
    return f;
  }

  FormDefinition& def_;
  const Fragments& fragments_;
  std::set<std::string> included_;
};

FormDefinition read(const YAML::Node& doc, const std::string& file, const Fragments& fragments) {
  MapReader r(doc, file, "");
  FormDefinition def;
  def.file = file;
  def.id = r.text("id", true);
  def.kind = r.text("kind", true);
  if (def.kind != "nanbyo" && def.kind != "shoman") r.fail("kind", "expected nanbyo or shoman");
  // A template (templates/<kind>-common.yaml) serves every disease of its kind.
  const bool common = def.is_template();
  def.group = r.text("group", def.kind == "shoman" && !common);
  def.notice_no = static_cast<int>(r.integer("notice_no", !common, 1, 9999));
  def.form_type = r.text("form_type", true);
  const char* expected_type = def.kind == "nanbyo" ? "臨床調査個人票" : "医療意見書";
  if (def.form_type != expected_type)
    r.fail("form_type", std::string("expected ") + expected_type + " for kind " + def.kind);
  if (common && (def.notice_no != 0 || !def.group.empty()))
    r.fail("id", "a common template names no disease (no group, no notice_no)");
  std::string wanted_id = def.kind == "nanbyo" ? "nanbyo-" : "shoman-" + def.group + "-";
  std::string no = std::to_string(def.notice_no);
  wanted_id += std::string(3 - std::min<std::size_t>(3, no.size()), '0') + no;
  if (!common && def.id != wanted_id)
    r.fail("id", "expected \"" + wanted_id + "\" for this kind and number");
  def.version = r.text("version", true);
  def.title = r.text("title", true);
  def.sources = r.texts("sources", true);
  Reader sections(def, fragments);
  sections.sections(r.node("sections", true), file, "sections");
  for (auto& p : sections.pending)
    def.fields[p.field].required_when = detail::read_condition(p.node, def, p.file, p.path);
  detail::read_calculations(r.node("calculations", false), def, file);
  detail::read_judgments(r.node("judgments", false), def, file);
  r.finish();
  return def;
}

}  // namespace

Result<FormDefinition> parse_definition(std::string_view yaml, const std::string& file,
                                        const Fragments& fragments) {
  try {
    YAML::Node doc = YAML::Load(std::string(yaml));
    return read(doc, file, fragments);
  } catch (const detail::LoadError& e) {
    return fail(e.what());
  } catch (const YAML::Exception& e) {
    return fail(file + ":" + std::to_string(e.mark.line + 1) + ":" +
                std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
}

}  // namespace nanbyo::forms
