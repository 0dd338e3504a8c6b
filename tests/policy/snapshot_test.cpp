// A loaded policy is an immutable snapshot: shared read-only by threads, and
// replaced whole by a reload that validates first.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>
#include <type_traits>
#include <vector>

#include "policy/loader.h"
#include "policy/policy_store.h"

using namespace nanbyo::policy;
namespace fs = std::filesystem;

namespace {

const fs::path kTestDir = fs::path(NANBYO_POLICY_TEST_DIR);

// A fresh directory under the system temp dir, removed at scope exit.
struct ScratchDir {
  fs::path path = fs::temp_directory_path() / ("policy_test_" + std::to_string(::getpid()));
  ScratchDir() { fs::create_directories(path); }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

void copy_over(const fs::path& from, const fs::path& to) {
  fs::copy_file(from, to, fs::copy_options::overwrite_existing);
}

}  // namespace

TEST_CASE("the loader hands out a const snapshot", "[snapshot]") {
  using Loaded = std::remove_cvref_t<decltype(load_policy_file(fs::path()).value())>;
  STATIC_REQUIRE(std::is_same_v<Loaded, std::shared_ptr<const Policy>>);
  STATIC_REQUIRE(std::is_const_v<Loaded::element_type>);
  STATIC_REQUIRE(
      std::is_same_v<decltype(load_policy_text("", "")), decltype(load_policy_file(fs::path()))>);
  STATIC_REQUIRE(std::is_same_v<decltype(std::declval<PolicyStore&>().current()),
                                std::shared_ptr<const Policy>>);
}

TEST_CASE("one snapshot is read by many threads at once", "[snapshot]") {
  auto loaded = load_policy_file(kTestDir / "valid" / "full.yaml");
  REQUIRE(loaded.ok());
  const std::shared_ptr<const Policy> policy = *loaded;

  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([policy, &wrong] {
      for (int i = 0; i < 2000; ++i) {
        const Route* r = policy->match("hospital", "/reports/annual/2024");
        if (r == nullptr || r->path_prefix != "/reports/annual") ++wrong;
        if (!policy->allows_hospital(*r, "1310000001")) ++wrong;
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(wrong == 0);
  CHECK(policy.use_count() == 2);  // ours and `loaded`'s; the threads' copies are gone
}

TEST_CASE("a reload swaps in a valid policy and keeps the old one otherwise", "[snapshot]") {
  ScratchDir dir;
  const fs::path file = dir.path / "policy.yaml";
  copy_over(kTestDir / "valid" / "minimal.yaml", file);
  auto first = load_policy_file(file);
  REQUIRE(first.ok());
  PolicyStore store(*first);
  const std::shared_ptr<const Policy> held = store.current();  // a connection's snapshot

  copy_over(kTestDir / "invalid" / "unknown_upstream.yaml", file);
  auto failed = store.reload(file);
  REQUIRE_FALSE(failed.ok());
  CHECK_THAT(failed.error().message, Catch::Contains("no upstream named \"billing\""));
  CHECK(store.current() == held);

  copy_over(kTestDir / "valid" / "full.yaml", file);
  REQUIRE(store.reload(file).ok());
  CHECK(store.current() != held);
  CHECK(store.current()->listeners.size() == 2);
  CHECK(held->listeners.size() == 1);  // the old snapshot is untouched while held
}
