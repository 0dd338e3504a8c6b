#include "gateway/inspection/prefilter/prefilter.h"

#include <hs/hs.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "gateway/inspection/prefilter/ascii.h"
#include "gateway/inspection/prefilter/chain_eval.h"
#include "gateway/inspection/prefilter/sec_lang.h"

namespace nanbyo::gw::prefilter {

// The scanned links that read one collection (or one name in it) through one chain as it
// acts on values without the chain's decoding triggers (a plain group), or, for a chain
// without that form, through the whole chain. Groups with the same links share their
// Hyperscan database.
struct Prefilter::Group {
  std::vector<Transform> chain;
  bool whole_chain = false;  // the chain has no plain form: applied whole, or Unknown
  unsigned triggers = 0;     // any of the links' triggers
  Coll coll = Coll::Unknown;
  std::string key;                  // lower case; "" for the names no keyed group takes
  std::vector<std::string> others;  // for a "" group: the keys its keyed siblings take
  std::vector<Link*> links;
  std::shared_ptr<hs_database_t> db;

  bool takes(const Instance& item) const {
    if (!key.empty()) return ascii_iequals(item.key, key);
    return std::none_of(others.begin(), others.end(),
                        [&](const std::string& k) { return ascii_iequals(item.key, k); });
  }
};

namespace {

std::atomic<std::uint64_t> next_generation{1};

// Hyperscan can answer for a pattern or phrase list over request values, not negated.
bool scannable(const Link& link) {
  if (link.negated || link.runtime_param) return false;
  if (link.op == OpKind::Rx ? !link.regex : link.op != OpKind::Pm) return false;
  return std::all_of(link.targets.begin(), link.targets.end(), [](const Selector& s) {
    return !s.count && static_cast<int>(s.coll) <= static_cast<int>(Coll::Empty);
  });
}

// ... and its answer decides the link when no captures, variables or matches are kept for
// a later link (the last link's actions run only when the rule alerts, and then the engine
// runs anyway). Otherwise "no value can match" still settles the link.
bool slot_decides(const Link& link, bool last) {
  return !link.feeds_matched && (last || (!link.capture && link.setvars.empty()));
}

std::string literal_pattern(const std::string& phrase) {
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned char c : phrase) {
    out += "\\x";
    out += hex[c >> 4];
    out += hex[c & 15];
  }
  return out;
}

// Compiles the links' patterns into one database; a pattern Hyperscan refuses even in
// prefilter mode leaves its link to the exact evaluation (`refused`). Reads the links only,
// so several databases compile at once.
struct Compiled {
  hs_database_t* db = nullptr;  // null: every link refused
  std::vector<Link*> refused;
};

Compiled compile_links(std::vector<Link*> links, const std::set<const Link*>& caseless) {
  Compiled out;
  while (!links.empty()) {
    std::vector<std::string> texts;
    std::vector<unsigned> flags, ids;
    std::vector<Link*> owner;
    for (Link* link : links) {
      const auto id = static_cast<unsigned>(link->scan_slot);
      if (link->op == OpKind::Rx) {
        texts.push_back(link->param.empty() ? ".*" : link->param);
        flags.push_back(HS_FLAG_DOTALL | HS_FLAG_MULTILINE | HS_FLAG_PREFILTER |
                        HS_FLAG_ALLOWEMPTY | HS_FLAG_SINGLEMATCH |
                        (caseless.count(link) ? HS_FLAG_CASELESS : 0u));
        ids.push_back(id);
        owner.push_back(link);
        continue;
      }
      for (const auto& phrase : link->phrases) {
        if (phrase.empty()) continue;
        texts.push_back(literal_pattern(phrase));
        flags.push_back(HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH);
        ids.push_back(id);
        owner.push_back(link);
      }
    }
    if (texts.empty()) break;
    std::vector<const char*> pointers;
    for (const auto& t : texts) pointers.push_back(t.c_str());
    hs_compile_error_t* error = nullptr;
    if (hs_compile_multi(pointers.data(), flags.data(), ids.data(),
                         static_cast<unsigned>(pointers.size()), HS_MODE_BLOCK, nullptr, &out.db,
                         &error) == HS_SUCCESS) {
      return out;
    }
    const int bad = error ? error->expression : -1;
    hs_free_compile_error(error);
    if (bad < 0) break;
    Link* refused = owner[static_cast<std::size_t>(bad)];
    out.refused.push_back(refused);
    std::erase(links, refused);
  }
  out.db = nullptr;
  out.refused.insert(out.refused.end(), links.begin(), links.end());
  return out;
}

// Scratch space per thread, grown to fit every database it has served.
struct ThreadScratch {
  hs_scratch_t* scratch = nullptr;
  std::vector<std::uint64_t> fitted;
  ~ThreadScratch() { hs_free_scratch(scratch); }
};

}  // namespace

Prefilter::Prefilter() = default;
Prefilter::~Prefilter() = default;

Result<std::shared_ptr<const Prefilter>> Prefilter::build(const std::string& configuration,
                                                          const std::filesystem::path& base) {
  if (hs_valid_platform() != HS_SUCCESS) {
    return fail("Hyperscan does not run on this CPU (it needs SSSE3)");
  }
  NANBYO_TRY(directives, read_directives(configuration, base));
  NANBYO_TRY(model, model_rules(directives));
  auto p = std::shared_ptr<Prefilter>(new Prefilter());
  p->model_ = std::move(model);
  p->generation_ = next_generation++;
  std::map<std::vector<Transform>, std::vector<Link*>> on_plain, whole;
  std::set<const Link*> caseless;
  for (auto& rule : p->model_.rules) {
    for (auto& link : rule.links) {
      if (!scannable(link)) continue;
      link.scan_slot = static_cast<int>(p->slot_links_.size());
      link.slot_decides = slot_decides(link, &link == &rule.links.back());
      p->slot_links_.push_back(&link);
      if (auto plain = plain_chain(link.transforms)) {
        on_plain[plain->chain].push_back(&link);
        link.triggers = plain->triggers;
        if (plain->caseless) caseless.insert(&link);
      } else {
        whole[link.transforms].push_back(&link);
      }
    }
  }
  // The distinct databases: the groups name them first, they compile together after.
  std::map<std::pair<bool, std::vector<Link*>>, std::shared_ptr<hs_database_t>> compiled;
  std::map<Group*, std::shared_ptr<hs_database_t>*> group_db;
  std::vector<std::unique_ptr<Group>> named;
  auto add_groups = [&](const std::map<std::vector<Transform>, std::vector<Link*>>& chains,
                        bool is_plain) {
    for (const auto& entry : chains) {
      const std::vector<Transform>& chain = entry.first;  // named: clang 14 lambdas
      const std::vector<Link*>& links = entry.second;     // cannot capture bindings
      for (int c = 0; c < kModelledCollections; ++c) {
        const Coll coll = static_cast<Coll>(c);
        std::vector<Link*> any_name;
        std::map<std::string, std::vector<Link*>> by_name;
        for (Link* link : links) {
          for (const auto& sel : link->targets) {
            if (sel.coll != coll) continue;
            if (sel.key.empty() || sel.key_regex) {
              any_name.push_back(link);
            } else {
              by_name[sel.key].push_back(link);
            }
          }
        }
        auto add = [&](std::string key, std::vector<Link*> set) {
          std::sort(set.begin(), set.end());
          set.erase(std::unique(set.begin(), set.end()), set.end());
          auto group = std::make_unique<Group>();
          group->chain = chain;
          group->whole_chain = !is_plain;
          group->coll = coll;
          group->key = std::move(key);
          for (const Link* l : set) group->triggers |= l->triggers;
          group_db[group.get()] = &compiled[{is_plain, set}];
          group->links = std::move(set);
          named.push_back(std::move(group));
          return named.back().get();
        };
        std::vector<std::string> keys;
        for (auto& [key, set] : by_name) {
          keys.push_back(key);
          set.insert(set.end(), any_name.begin(), any_name.end());
          add(key, set);
        }
        if (!any_name.empty()) add("", any_name)->others = keys;
      }
    }
  };
  add_groups(on_plain, true);
  add_groups(whole, false);
  // Hyperscan's compiler takes most of the build: one database per core at a time.
  std::vector<
      std::pair<const std::pair<bool, std::vector<Link*>>*, std::shared_ptr<hs_database_t>*>>
      jobs;
  for (auto& [key, db] : compiled) jobs.emplace_back(&key, &db);
  std::vector<std::vector<Link*>> refused_by(jobs.size());
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i; (i = next++) < jobs.size();) {
      const auto& [is_plain, links] = *jobs[i].first;
      Compiled made = compile_links(links, is_plain ? caseless : std::set<const Link*>());
      jobs[i].second->reset(made.db, hs_free_database);
      refused_by[i] = std::move(made.refused);
    }
  };
  const unsigned cores = std::clamp(std::thread::hardware_concurrency(), 1u, 4u);
  std::vector<std::thread> helpers;
  for (unsigned i = 1; i < cores; ++i) helpers.emplace_back(work);
  work();
  for (auto& t : helpers) t.join();
  for (auto& group : named) {
    group->db = *group_db[group.get()];
    if (group->db) p->groups_.push_back(std::move(group));
  }
  // A link refused by a database is evaluated exactly everywhere.
  for (const auto& refused : refused_by) {
    for (Link* l : refused) l->scan_slot = -1;
  }
  for (const auto& g : p->groups_)
    std::erase_if(g->links, [](Link* l) { return l->scan_slot < 0; });
  std::set<const hs_database_t*> distinct;
  for (const auto& g : p->groups_) distinct.insert(g->db.get());
  auto& f = p->figures_;
  f.rules = p->model_.rules.size();
  f.databases = distinct.size();
  f.constant_rules = p->model_.constant_rules;
  f.skipped_rules = p->model_.skipped_rules;
  for (const auto& rule : p->model_.rules) {
    for (const auto& link : rule.links) {
      (link.scan_slot >= 0 && link.slot_decides ? f.scanned_links : f.exact_links)++;
    }
  }
  return std::shared_ptr<const Prefilter>(std::move(p));
}

std::vector<Tri> Prefilter::scan(const RequestView& view) const {
  thread_local ThreadScratch local;
  if (std::find(local.fitted.begin(), local.fitted.end(), generation_) == local.fitted.end()) {
    for (const auto& g : groups_) hs_alloc_scratch(g->db.get(), &local.scratch);
    local.fitted.push_back(generation_);
  }
  std::vector<Tri> slots(slot_links_.size(), Tri::False);
  std::vector<unsigned> hits;
  auto on_match = [](unsigned id, unsigned long long, unsigned long long, unsigned,
                     void* context) -> int {
    static_cast<std::vector<unsigned>*>(context)->push_back(id);
    return 0;
  };
  auto mark_unknown = [&](const Group& g) {
    for (const Link* link : g.links) {
      auto& slot = slots[static_cast<std::size_t>(link->scan_slot)];
      if (slot == Tri::False) slot = Tri::Unknown;
    }
  };
  std::string value;
  for (int c = 0; c < kModelledCollections; ++c) {
    const Coll coll = static_cast<Coll>(c);
    for (const auto& item : view.in(coll)) {
      const unsigned present = triggers_in(item.value);
      for (const auto& g : groups_) {
        if (g->coll != coll || !g->takes(item)) continue;
        // Links whose dropped decodings would act on this value are not answered here.
        bool any_clear = !(g->triggers & present);
        if (!any_clear) {
          for (const Link* link : g->links) {
            auto& slot = slots[static_cast<std::size_t>(link->scan_slot)];
            if (link->triggers & present) {
              if (slot == Tri::False) slot = Tri::Unknown;
            } else {
              any_clear = true;
            }
          }
          if (!any_clear) continue;
        }
        const std::string* subject = &item.value;
        if (!g->chain.empty()) {
          value = item.value;
          if (!apply_transforms(g->chain, value)) {
            mark_unknown(*g);
            continue;
          }
          subject = &value;
        }
        hits.clear();
        if (hs_scan(g->db.get(), subject->data(), static_cast<unsigned>(subject->size()), 0,
                    local.scratch, on_match, &hits) != HS_SUCCESS) {
          mark_unknown(*g);
          continue;
        }
        // Every link of the group reads this value.
        for (unsigned id : hits) {
          const Link* link = slot_links_[id];
          if (link->scan_slot >= 0 && !(link->triggers & present)) slots[id] = Tri::True;
        }
      }
    }
  }
  return slots;
}

bool Prefilter::needs_engine(const HttpInput& request, std::string* rule) const {
  auto view = RequestView::of(request);
  if (!view) {
    if (rule) *rule = "unmodelled";
    return true;
  }
  const auto slots = scan(*view);
  Overlay overlay;
  RequestMemo memo;
  for (const auto& r : model_.rules) {
    if (evaluate_rule(r, model_.tx, *view, &slots, &overlay, &memo) != Tri::False) {
      if (rule) *rule = r.id;
      return true;
    }
  }
  return false;
}

}  // namespace nanbyo::gw::prefilter
