// LoginThrottle (issue 12) on its own: the wait doubles and is capped, attempts
// in flight count, so threads arriving together cannot slip past a wait.
#include <atomic>
#include <catch2/catch.hpp>
#include <latch>
#include <thread>
#include <vector>

#include "appcore/core/login_throttle.h"

using namespace nanbyo;
using namespace nanbyo::appcore;
using std::chrono::seconds;

namespace {
const TimePoint kStart{seconds(1'790'000'000)};

// One failed password of `user` from `terminal` at `now`; the wait it was let in with.
seconds fail_once(LoginThrottle& t, const std::string& terminal, const std::string& user,
                  TimePoint now) {
  seconds wait{0};
  auto a = t.begin(terminal, now, wait);
  if (wait.count() == 0) wait = a.enter_account(user);
  if (wait.count() == 0) a.failed();
  return wait;
}
}  // namespace

TEST_CASE("throttle: free failures, then doubling waits capped per account") {
  LoginThrottle t(LoginThrottleConfig{});
  TimePoint now = kStart;
  // Every failure from a fresh terminal: only the account's wait shows.
  std::vector<long> waits;
  for (int i = 0; i < 10; ++i) {
    REQUIRE(fail_once(t, "pc-" + std::to_string(i), "C0000001", now).count() == 0);
    waits.push_back(t.account_wait("C0000001", now).count());
    now += seconds(waits.back());
  }
  CHECK(waits == std::vector<long>{0, 0, 0, 1, 2, 4, 8, 16, 30, 30});
  t.clear_account("C0000001");
  CHECK(t.account_wait("C0000001", now).count() == 0);
}

TEST_CASE("throttle: threads arriving together past the free failures get one try") {
  LoginThrottle t(LoginThrottleConfig{});
  for (int i = 0; i < 2; ++i)
    REQUIRE(fail_once(t, "pc-" + std::to_string(i), "C1", kStart) == seconds(0));
  // Two failures: the next attempt is the last free one. Eight threads try at once.
  constexpr int kThreads = 8;
  std::latch start(kThreads), entered(kThreads);
  std::atomic<int> admitted{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      seconds wait{0};
      auto a = t.begin("terminal-" + std::to_string(i), kStart, wait);
      if (wait.count() == 0 && a.enter_account("C1").count() == 0) ++admitted;
      entered.arrive_and_wait();  // all still "checking the password"
      a.failed();
    });
  }
  for (auto& th : threads) th.join();
  CHECK(admitted == 1);
  CHECK(t.account_wait("C1", kStart).count() == 0);  // three failures: still free
}
