// A form definition loaded from YAML (one file per disease, docs/forms.md):
// what the web form shows, what the XML layout and XSD contain and what the
// check, calculation and judgment functions apply. Immutable once loaded.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "appcore/forms/rule.h"

namespace nanbyo::forms {

enum class FieldType { Text, Kana, Date, Number, Choice, MultiChoice, YesNo, Table };
std::string_view to_string(FieldType t);  // "text", "kana", ..., "yes-no", "table"

struct ChoiceDef {
  std::string value;  // what the XML and storage hold
  std::string label;  // what the form shows
};

struct FieldDef {
  std::string id;  // ASCII, also the XML element name
  std::string label;
  std::string section;
  FieldType type = FieldType::Text;
  std::string unit;                // Number
  std::optional<double> min, max;  // Number, inclusive
  int decimals = -1;               // Number: at most this many decimals; -1 any
  std::size_t max_length = 200;    // Text, Kana (characters)
  std::vector<ChoiceDef> choices;  // Choice, MultiChoice (YesNo: yes / no)
  std::vector<FieldDef> columns;   // Table
  std::size_t max_rows = 20;       // Table
  bool required = false;
  std::optional<Condition> required_when;  // required only when this holds
  bool personal = false;                   // masked in the municipality's print (F-10)
  bool carry_over = false;                 // copied into next year's form (F-5)
  std::string calculated_by;               // id of the calculation that fills it (F-3)
  // 医療機関情報 items the server fills at registration from the registering
  // doctor's designation and the form's hospital (never typed; F-1, issue 18).
  bool from_designation = false;
  const ChoiceDef* choice(const std::string& value) const;
};

// The six groups of the seed's XML layout (別紙 No.3) a section belongs to.
inline constexpr const char* kXmlGroups[] = {"基本情報",     "診断基準情報",       "重症度分類情報",
                                             "研究調査情報", "人工呼吸器使用情報", "医療機関情報"};

struct SectionDef {
  std::string id, title;
  std::string group;                // one of kXmlGroups
  std::vector<std::string> fields;  // ids, in order
};

struct ScoreItem {
  Condition when;
  double points = 0;
};

struct CalculationDef {
  enum class Kind { Bmi, ObesityDegree, Sum, Score };
  std::string id, target, label;
  Kind kind = Kind::Sum;
  // Bmi: weight, height. ObesityDegree: sex, birth_date, measured_on, height, weight.
  std::map<std::string, std::string> inputs;
  std::vector<std::string> terms;  // Sum: field ids
  std::vector<ScoreItem> items;    // Score
  int decimals = 1;
};

struct OutcomeDef {
  std::string value, label;
  std::optional<Condition> when;  // none: the fallback outcome
};

struct JudgmentDef {
  std::string id, label;
  std::string entered;               // the field where the doctor enters it ("" = computed only)
  std::vector<OutcomeDef> outcomes;  // first whose condition holds wins
};

struct FormDefinition {
  std::string id;         // e.g. "nanbyo-006": also the XML element of the form
  std::string kind;       // "nanbyo" (指定難病) | "shoman" (小児慢性特定疾病)
  std::string group;      // 疾患群 (shoman only)
  int notice_no = 0;      // 告示番号
  std::string form_type;  // 臨床調査個人票 | 医療意見書
  std::string version;
  std::string title;
  std::vector<std::string> sources;
  std::vector<SectionDef> sections;
  std::vector<FieldDef> fields;
  std::vector<CalculationDef> calculations;
  std::vector<JudgmentDef> judgments;
  std::string file;  // where it was loaded from
  // The common template it instantiates ("nanbyo-common" | "shoman-common"),
  // "" for a disease-specific definition or a template itself.
  std::string layout;
  bool is_template() const { return id == kind + "-common"; }
  std::map<std::string, std::size_t> index;  // field id -> position in `fields`

  const FieldDef* field(const std::string& id) const;
};

}  // namespace nanbyo::forms
