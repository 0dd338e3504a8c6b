// The inspection prefilter (issue 14 part 4): decides, before the engine is set up, whether
// any loaded rule could alert on a request. Most rules' patterns run together in Hyperscan
// databases compiled in prefilter mode (they report a superset of the engine's matches),
// one per transformation chain, over the transformed values of the variables the rules
// read; the rest of each rule (negations, captures, counts, set-up variables,
// libinjection) is evaluated exactly. Only a request for which every rule is certainly
// quiet skips the engine; one the prefilter cannot model always goes to it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "gateway/inspection/prefilter/request_view.h"
#include "gateway/inspection/prefilter/rule_model.h"
#include "pki/result.h"

namespace nanbyo::gw::prefilter {

struct PrefilterFigures {
  std::size_t rules = 0;          // rules that can alert on a request
  std::size_t scanned_links = 0;  // links answered by Hyperscan
  std::size_t exact_links = 0;    // links evaluated exactly
  std::size_t databases = 0;      // one per transformation chain
  std::size_t constant_rules = 0;
  std::size_t skipped_rules = 0;
};

class Prefilter {
 public:
  // `configuration`: the text the engine loads; Includes relative to `base`. An error
  // names what the prefilter cannot account for.
  static Result<std::shared_ptr<const Prefilter>> build(const std::string& configuration,
                                                        const std::filesystem::path& base);
  ~Prefilter();
  Prefilter(const Prefilter&) = delete;
  Prefilter& operator=(const Prefilter&) = delete;

  // False only when no rule can alert on the request. `rule` gets the first rule that
  // might (or "unmodelled" for a request outside the model).
  bool needs_engine(const HttpInput& request, std::string* rule = nullptr) const;

  const PrefilterFigures& figures() const { return figures_; }

 private:
  struct Group;
  Prefilter();
  std::vector<Tri> scan(const RequestView& view) const;

  RuleModel model_;
  std::vector<std::unique_ptr<Group>> groups_;
  std::vector<const Link*> slot_links_;
  std::uint64_t generation_ = 0;
  PrefilterFigures figures_;
};

}  // namespace nanbyo::gw::prefilter
