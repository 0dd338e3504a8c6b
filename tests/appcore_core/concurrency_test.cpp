// Issue 12: no request waits on another user's work. Reads run while a writer
// holds the write lock; concurrent writes stay exact; a bulk import commits
// chunk by chunk and a re-upload completes one cut short. No timings: a gate
// in the audit sink stops a writer at a known point (the hang guard below only
// turns a deadlock into a failure).
#include <catch2/catch.hpp>

#include <condition_variable>
#include <future>
#include <mutex>
#include <set>
#include <thread>

#include "appcore/core/store.h"
#include "core_fixture.h"

using namespace nanbyo::appcore;
using namespace nanbyo::appcore::testing;
using nanbyo::Result;

namespace {

constexpr auto kHangGuard = std::chrono::seconds(120);

// Records like MemoryAuditSink; an append containing event `gate` blocks until
// open() (inside the writer's transaction and write lock), or fails.
class GatedAuditSink final : public nanbyo::audit::AuditSink {
 public:
  enum class Mode { Block, Fail };
  GatedAuditSink(std::string gate, Mode mode, int pass_first = 0)
      : gate_(std::move(gate)), mode_(mode), pass_(pass_first) {}
  using nanbyo::audit::AuditSink::append;
  bool writable() const override { return true; }
  Result<void> append(std::span<const nanbyo::audit::AuditEvent> events) override {
    bool gated = false;
    for (const auto& e : events) gated = gated || e.event == gate_;
    std::unique_lock lock(mutex_);
    if (gated && pass_-- <= 0) {
      if (mode_ == Mode::Fail) return fail(Errc::Internal, "the audit disk is full");
      reached_ = true;
      changed_.notify_all();
      changed_.wait(lock, [&] { return open_; });
    }
    return {};
  }
  void wait_reached() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return reached_; });
  }
  void open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }

 private:
  std::string gate_;
  Mode mode_;
  int pass_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool reached_ = false, open_ = false;
};

// `rows` doctors of kHospital, 医籍登録番号 from 500001 on.
std::string doctors_csv(int rows) {
  std::string csv =
      "氏名,氏名カナ,医籍登録番号,指定医種別,医療機関番号,医療機関名称,医療機関所在地,診療科,"
      "指定年月日,指定有効期限,指定医番号\r\n";
  for (int i = 0; i < rows; ++i) {
    csv += "医師 " + std::to_string(i) + ",イシ,";
    csv += std::to_string(500001 + i) + ",難病指定医," + kHospital;
    csv += i == 0 ? ",千代田中央病院,東京都千代田区1-1" : ",,";
    csv += ",内科,2026/04/01,2031/03/31,13-" + std::to_string(i) + "\r\n";
  }
  return csv;
}

template <typename T>
bool finishes(std::future<T>& f) {
  return f.wait_for(kHangGuard) == std::future_status::ready;
}

}  // namespace

TEST_CASE("ISSUE-12: reads answer while a bulk import holds the write lock mid-chunk") {
  CoreFixture f;
  auto doctor = f.doctor("400001");
  auto session =
      must(f.core->login(doctor.user_id, doctor.initial_password, Terminal{kHospital, "pc-01"}));
  // A second core on the same database whose audit log stalls the import's
  // first chunk after its rows are written, before its commit.
  GatedAuditSink gate("doctor-register", GatedAuditSink::Mode::Block);
  auto importer = must(AppCore::open(f.config, f.clock, gate));
  auto import = std::async(std::launch::async,
                           [&] { return importer->import_doctors(f.town, doctors_csv(40)); });
  gate.wait_reached();

  // Another user's plain request and a list read the committed state at once.
  auto me = std::async(std::launch::async, [&] {
    return f.core->resolve_session(session.session_token, Terminal{kHospital, "pc-01"});
  });
  auto list = std::async(std::launch::async, [&] { return f.core->list_doctors(f.town); });
  const bool answered = finishes(me) && finishes(list);
  gate.open();
  REQUIRE(answered);
  CHECK(must(me.get()).user_id == doctor.user_id);
  CHECK(must(list.get()).size() == 1);  // the import's rows are not committed yet

  REQUIRE(finishes(import));
  auto report = must(import.get());
  CHECK(report.issued == 40);
  CHECK(must(f.core->list_doctors(f.town)).size() == 41);
}

TEST_CASE("ISSUE-12: concurrent wrong-password logins cannot slip past the account's wait") {
  CoreFixture f;
  auto cred = must(f.core->create_staff_user(f.op, Role::SecurityAuditor, "監査 三郎", "", ""));
  f.activate(cred.user_id, cred.initial_password);  // an Argon2id password: slow to verify
  constexpr int kThreads = 8;
  std::vector<std::future<Result<LoginResult>>> logins;
  for (int i = 0; i < kThreads; ++i) {
    // Eight terminals: only the account's wait can hold them back.
    logins.push_back(std::async(std::launch::async, [&, i] {
      return f.core->login(cred.user_id, "Wrong-Password-2026",
                           Terminal{"", "pc-" + std::to_string(i)});
    }));
  }
  int verified = 0;
  for (auto& l : logins) {
    REQUIRE(finishes(l));
    auto r = l.get();
    const Errc c = code_of(r);
    CHECK((c == Errc::AuthFailed || c == Errc::Throttled));
    verified += c == Errc::AuthFailed;
  }
  // Attempts in flight count: no more than the free failures reach Argon2id at once.
  CHECK(verified >= 1);
  CHECK(verified <= f.config.login_throttle.free_failures + 1);
  auto store = must(open_sqlite_store(f.config.database));
  auto row = must(store->get_user(cred.user_id));
  REQUIRE(row);
  CHECK_FALSE(row->locked);
  f.clock.advance(std::chrono::seconds(31));  // the account's wait is capped at 30 s
  must(f.core->login(cred.user_id, kChosenPassword, Terminal{"", "pc-owner"}));
}

TEST_CASE("ISSUE-12: concurrent logins and user creation while the write lock is contended") {
  CoreFixture f;
  // Logins in flight count against the throttle until they end (login_throttle.h):
  // here four right ones run at once, which the defaults would hold back.
  f.config.login_throttle.free_failures = 100;
  f.reopen();
  auto cred = must(f.core->create_staff_user(f.op, Role::SecurityAuditor, "監査 四郎", "", ""));
  f.activate(cred.user_id, cred.initial_password);
  std::vector<std::future<Result<LoginResult>>> logins;
  std::vector<std::future<Result<IssuedCredential>>> staff;
  for (int i = 0; i < 4; ++i) {
    logins.push_back(std::async(std::launch::async, [&] {
      return f.core->login(cred.user_id, kChosenPassword, Terminal{"", "pc-01"});
    }));
    staff.push_back(std::async(std::launch::async, [&, i] {
      return f.core->create_staff_user(f.op, Role::Operator, "運用 " + std::to_string(i), "", "");
    }));
  }
  std::set<std::string> tokens, ids;
  for (auto& l : logins) {
    REQUIRE(finishes(l));
    tokens.insert(must(l.get()).session_token);
  }
  for (auto& s : staff) {
    REQUIRE(finishes(s));
    ids.insert(must(s.get()).user_id);
  }
  CHECK(tokens.size() == 4);
  CHECK(ids.size() == 4);  // the id counter handed out four distinct ids
}

TEST_CASE("ISSUE-12: an import cut short keeps its chunks, and a re-upload completes it") {
  CoreFixture f;
  constexpr int kRows = 600;  // more than two chunks
  const std::string csv = doctors_csv(kRows);
  {
    // The audit log fails at the second chunk: that chunk rolls back, the first stays.
    GatedAuditSink broken("doctor-register", GatedAuditSink::Mode::Fail, 1);
    auto importer = must(AppCore::open(f.config, f.clock, broken));
    CHECK(code_of(importer->import_doctors(f.town, csv)) == Errc::Internal);
  }
  const auto stored = must(f.core->list_doctors(f.town)).size();
  CHECK(stored > 0);
  CHECK(stored < static_cast<std::size_t>(kRows));

  auto report = must(f.core->import_doctors(f.town, csv));
  REQUIRE(report.rows.size() == static_cast<std::size_t>(kRows));
  CHECK(report.already_registered == stored);
  CHECK(report.issued == kRows - stored);
  CHECK(report.invalid == 0);
  for (std::size_t i = 0; i < stored; ++i) {
    CHECK(report.rows[i].status == RowStatus::AlreadyRegistered);
    CHECK(report.rows[i].initial_password.empty());  // reissued by password reset
  }
  CHECK(must(f.core->list_doctors(f.town)).size() == static_cast<std::size_t>(kRows));
}
