#include "appcore/forms/disease_master.h"

#include <charconv>
#include <fstream>
#include <set>
#include <sstream>

namespace nanbyo::forms {
namespace {

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    auto tab = line.find('\t', start);
    out.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
    if (tab == std::string::npos) return out;
    start = tab + 1;
  }
}

}  // namespace

Result<DiseaseMaster> DiseaseMaster::load(const std::filesystem::path& tsv) {
  std::ifstream in(tsv);
  if (!in) return fail("cannot read the disease master " + tsv.string());
  DiseaseMaster m;
  std::string line;
  int line_no = 0;
  bool header = false;
  while (std::getline(in, line)) {
    ++line_no;
    const std::string where = tsv.string() + ":" + std::to_string(line_no) + ": ";
    if (line.rfind("# version: ", 0) == 0) m.version_ = line.substr(11);
    if (line.rfind("# notice: ", 0) == 0) m.notice_ = line.substr(10);
    if (line.empty() || line[0] == '#') continue;
    auto cols = split_tabs(line);
    if (cols.size() != 9) return fail(where + "expected 9 tab-separated columns");
    if (!header) {
      if (cols[0] != "kind") return fail(where + "expected the header row");
      header = true;
      continue;
    }
    DiseaseEntry e{cols[0], cols[1], cols[2], 0, cols[4], cols[5], cols[6], cols[7], cols[8]};
    auto [end, ec] = std::from_chars(cols[3].data(), cols[3].data() + cols[3].size(), e.number);
    if (ec != std::errc() || end != cols[3].data() + cols[3].size() || e.number <= 0)
      return fail(where + "bad number \"" + cols[3] + "\"");
    if (e.kind != "nanbyo" && e.kind != "shoman")
      return fail(where + "bad kind \"" + e.kind + "\"");
    m.entries_.push_back(std::move(e));
  }
  if (m.version_.empty()) return fail(tsv.string() + ": missing the \"# version:\" line");
  return m;
}

std::optional<DiseaseEntry> DiseaseMaster::nanbyo(int number) const {
  for (const auto& e : entries_)
    if (e.kind == "nanbyo" && e.number == number && e.subtype.empty()) return e;
  return std::nullopt;
}

std::optional<DiseaseEntry> DiseaseMaster::shoman(const std::string& group, int number) const {
  std::optional<DiseaseEntry> any;
  for (const auto& e : entries_) {
    if (e.kind != "shoman" || e.group != group || e.number != number) continue;
    if (e.subtype.empty()) return e;
    // NANDO lists three diseases (e.g. 2/9 常染色体優性多嚢胞腎) only as rows under
    // another entry; their (疾患群, 番号) is still a disease of its own.
    if (!any) any = e;
  }
  return any;
}

std::size_t DiseaseMaster::disease_count(const std::string& kind) const {
  std::set<std::pair<std::string, int>> keys;
  for (const auto& e : entries_)
    if (e.kind == kind) keys.emplace(kind == "shoman" ? e.group : "", e.number);
  return keys.size();
}

std::filesystem::path source_disease_master() {
  return std::filesystem::path(NANBYO_FORMS_SOURCE_DIR) / "data" / "disease_master.tsv";
}

}  // namespace nanbyo::forms
