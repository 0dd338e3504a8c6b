#include "appcore/forms/carry_over.h"

#include <algorithm>
#include <optional>
#include <set>

namespace nanbyo::forms {
namespace {

bool offered(const FieldDef& f, const std::string& value) {
  return std::any_of(f.choices.begin(), f.choices.end(),
                     [&](const ChoiceDef& c) { return c.value == value; });
}

bool has_choices(const FieldDef& f) {
  return f.type == FieldType::Choice || f.type == FieldType::MultiChoice ||
         f.type == FieldType::YesNo;
}

// The old value as the new field holds it; nullopt when it cannot: a choice
// not offered, or another shape (a table where text was, …). Table cells of
// columns the new table lacks are left behind.
std::optional<FieldValue> converted(const FieldDef& to, FieldValue v) {
  const bool many = to.type == FieldType::MultiChoice, table = to.type == FieldType::Table;
  const bool scalar = !many && !table;
  if ((!v.items.empty() && !many) || (!v.rows.empty() && !table) || (!v.text.empty() && !scalar))
    return std::nullopt;
  if (has_choices(to)) {
    if (!v.text.empty() && !offered(to, v.text)) return std::nullopt;
    for (const auto& item : v.items)
      if (!offered(to, item)) return std::nullopt;
  }
  if (table) {
    for (auto& row : v.rows)
      std::erase_if(row, [&](const auto& cell) {
        return std::none_of(to.columns.begin(), to.columns.end(),
                            [&](const FieldDef& c) { return c.id == cell.first; });
      });
    std::erase_if(v.rows, [](const auto& row) { return row.empty(); });
  }
  return v;
}

}  // namespace

std::string source_item(const FormCatalog& catalog, const FormDefinition& from,
                        const FormDefinition& to, const std::string& to_item) {
  if (&from != &to && catalog.previous_of(from)) {
    for (const auto& f : from.fields)
      if (f.id != to_item && catalog.renamed_item(from, f.id) == to_item) return f.id;
    // An item renamed away is not the source of a new item of its old name.
    if (catalog.renamed_item(from, to_item) != to_item) return "";
  }
  return from.field(to_item) ? to_item : "";
}

CarriedOver carry_over(const FormCatalog& catalog, const FormDefinition& from,
                       const FormDefinition& to, const FormValues& old, Carry carry) {
  const bool renewal = carry == Carry::Renewal;
  CarriedOver out;
  std::set<std::string> used;
  for (const auto& f : to.fields) {
    if (f.from_designation || (renewal && !f.carry_over)) continue;
    const std::string source = source_item(catalog, from, to, f.id);
    auto it = source.empty() ? old.end() : old.find(source);
    if (it == old.end() || it->second.empty()) continue;
    used.insert(source);
    if (auto v = converted(f, it->second))
      out.values[f.id] = std::move(*v);
    else
      out.dropped.push_back(source);
  }
  // Old items the new version has no counterpart for (renewal: among those carried).
  for (const auto& f : from.fields) {
    if ((renewal && !f.carry_over) || used.count(f.id)) continue;
    auto it = old.find(f.id);
    if (it != old.end() && !it->second.empty()) out.dropped.push_back(f.id);
  }
  return out;
}

}  // namespace nanbyo::forms
