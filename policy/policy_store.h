// The current policy snapshot, swapped whole on reload (CONVENTIONS.md rule 4).
// A connection takes current() once and keeps that snapshot for its life; a
// reload that fails validation leaves the running policy untouched.
#pragma once

#include <atomic>
#include <filesystem>
#include <memory>

#include "pki/result.h"
#include "policy/policy.h"

namespace nanbyo::policy {

class PolicyStore {
 public:
  explicit PolicyStore(std::shared_ptr<const Policy> initial) : current_(std::move(initial)) {}

  std::shared_ptr<const Policy> current() const { return current_.load(); }
  void replace(std::shared_ptr<const Policy> next) { current_.store(std::move(next)); }

  // Loads `file` into a new snapshot and swaps it in only if it is valid.
  Result<void> reload(const std::filesystem::path& file);

 private:
  std::atomic<std::shared_ptr<const Policy>> current_;
};

}  // namespace nanbyo::policy
