// The disease master (appcore/forms/data/disease_master.tsv, from DBCLS NANDO,
// CC-BY 4.0): every 指定難病 by 告示番号 and every 小児慢性特定疾病 by
// (疾患群, 番号), versioned by the ministry list it comes from.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "pki/result.h"

namespace nanbyo::forms {

struct DiseaseEntry {
  std::string kind;        // "nanbyo" | "shoman"
  std::string group;       // 疾患群 id (NANDO class)
  std::string group_name;  // 疾患群 name
  int number = 0;          // 告示番号 (shoman: within the group)
  std::string nando_id;
  std::string subtype;  // NANDO id of a subtype / sub-name row, "" for the disease itself
  std::string name_ja, name_en, defined_by;
};

class DiseaseMaster {
 public:
  static Result<DiseaseMaster> load(const std::filesystem::path& tsv);

  const std::string& version() const { return version_; }
  const std::string& notice() const { return notice_; }
  const std::vector<DiseaseEntry>& entries() const { return entries_; }

  // The disease row (not its subtypes).
  std::optional<DiseaseEntry> nanbyo(int number) const;
  std::optional<DiseaseEntry> shoman(const std::string& group, int number) const;
  // Distinct diseases: 告示番号 for nanbyo, (疾患群, 番号) for shoman.
  std::size_t disease_count(const std::string& kind) const;

 private:
  std::string version_, notice_;
  std::vector<DiseaseEntry> entries_;
};

std::filesystem::path source_disease_master();  // the file in the source tree

}  // namespace nanbyo::forms
