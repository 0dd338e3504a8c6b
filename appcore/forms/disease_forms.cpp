// Every disease of the master and its form (issue 18, F-1): the list the
// catalog builds, the search by 告示番号 or name, and the common template
// instantiated for a disease without a specific definition.
#include <algorithm>
#include <charconv>
#include <map>
#include <utility>

#include "appcore/forms/catalog.h"

namespace nanbyo::forms {
namespace {

std::vector<DiseaseForm> diseases_of(const DiseaseMaster& master) {
  std::vector<DiseaseForm> out;
  std::map<std::string, std::size_t> seen;
  for (const auto& e : master.entries()) {
    const std::string id = disease_form_id(e.kind, e.group, e.number);
    auto [it, fresh] = seen.emplace(id, out.size());
    if (fresh)
      out.push_back({id, e.kind, e.kind == "shoman" ? e.group : "", e.group_name, e.number,
                     e.name_ja, "", false});
    DiseaseForm& d = out[it->second];
    if (e.subtype.empty()) {
      d.name = e.name_ja;  // the disease row names the disease, its subtypes are aliases
    } else if (d.name != e.name_ja) {
      d.aliases += (d.aliases.empty() ? "" : "／") + e.name_ja;
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const DiseaseForm& a, const DiseaseForm& b) {
    if (a.kind != b.kind) return a.kind == "nanbyo";
    if (a.group != b.group)  // 疾患群 by number ("2" before "10")
      return std::make_pair(a.group.size(), a.group) < std::make_pair(b.group.size(), b.group);
    return a.number < b.number;
  });
  return out;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int number_of(std::string_view s) {
  int n = -1;
  if (all_digits(s) && s.size() <= 4) std::from_chars(s.data(), s.data() + s.size(), n);
  return n;
}

// What a doctor types: full-width digits and hyphen (０-９, －) as ASCII, spaces trimmed.
std::string normalized_query(std::string_view q) {
  std::string out;
  for (std::size_t i = 0; i < q.size(); ++i) {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(q[i + k]); };
    if (i + 2 < q.size() && b(0) == 0xEF && b(1) == 0xBC && b(2) >= 0x90 && b(2) <= 0x99) {
      out += static_cast<char>('0' + (b(2) - 0x90));
      i += 2;
    } else if (i + 2 < q.size() && b(0) == 0xEF && b(1) == 0xBC && b(2) == 0x8D) {
      out += '-';
      i += 2;
    } else {
      out += q[i];
    }
  }
  const auto first = out.find_first_not_of(' ');
  if (first == std::string::npos) return "";
  return out.substr(first, out.find_last_not_of(' ') - first + 1);
}

}  // namespace

std::string disease_form_id(const std::string& kind, const std::string& group, int number) {
  std::string no = std::to_string(number);
  no.insert(0, 3 - std::min<std::size_t>(3, no.size()), '0');
  return kind == "shoman" ? "shoman-" + group + "-" + no : "nanbyo-" + no;
}

std::shared_ptr<const FormCatalog> FormCatalog::of(std::vector<FormDefinition> definitions,
                                                   std::vector<FormDefinition> templates,
                                                   std::shared_ptr<const DiseaseMaster> master) {
  return make(std::move(definitions), std::move(templates), std::move(master));
}

std::shared_ptr<FormCatalog> FormCatalog::make(std::vector<FormDefinition> definitions,
                                               std::vector<FormDefinition> templates,
                                               std::shared_ptr<const DiseaseMaster> master) {
  auto c = std::make_shared<FormCatalog>();
  c->definitions_ = std::move(definitions);
  c->templates_ = std::move(templates);
  c->master_ = std::move(master);
  if (c->master_) c->diseases_ = diseases_of(*c->master_);
  for (std::size_t i = 0; i < c->diseases_.size(); ++i)
    c->disease_index_[c->diseases_[i].form_id] = i;
  // A specific definition serves its disease; one outside the master is listed too.
  for (const auto& d : c->definitions_) {
    auto it = c->disease_index_.find(d.id);
    if (it != c->disease_index_.end()) {
      c->diseases_[it->second].specific = true;
      continue;
    }
    c->disease_index_[d.id] = c->diseases_.size();
    c->diseases_.push_back({d.id, d.kind, d.group, "", d.notice_no, d.title, "", true});
  }
  return c;
}

std::vector<const DiseaseForm*> FormCatalog::search(std::string_view typed,
                                                    std::size_t limit) const {
  std::vector<const DiseaseForm*> out;
  const std::string query = normalized_query(typed);
  if (query.empty()) return out;
  // "214": a 告示番号 (小慢: 番号 in any group); "5-91": 小慢 疾患群 5, 番号 91.
  const int number = number_of(query);
  const auto dash = query.find('-');
  const std::string group = dash == std::string::npos ? "" : query.substr(0, dash);
  const int in_group = dash == std::string::npos ? -1 : number_of(query.substr(dash + 1));
  const bool by_group = number_of(group) > 0 && in_group > 0;
  for (const auto& d : diseases_) {
    if (out.size() >= limit) break;
    bool hit;
    if (by_group)
      hit = d.kind == "shoman" && d.group == group && d.number == in_group;
    else if (number >= 0)
      hit = d.number == number;
    else
      hit = d.name.find(query) != std::string::npos || d.aliases.find(query) != std::string::npos ||
            d.form_id == query;
    if (hit) out.push_back(&d);
  }
  return out;
}

FormDefinition instantiate(const FormDefinition& common, const DiseaseForm& disease) {
  FormDefinition d = common;
  d.id = disease.form_id;
  d.group = disease.group;
  d.notice_no = disease.number;
  d.title = disease.name;
  d.layout = common.id;
  return d;
}

}  // namespace nanbyo::forms
