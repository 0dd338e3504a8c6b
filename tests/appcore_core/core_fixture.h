// Fixture of the appcore/core tests: a temporary database and master key, a
// settable clock, the audit records in memory, and helpers that walk users
// through their first login.
#pragma once

#include <sodium.h>

#include <filesystem>
#include <memory>
#include <string>

#include "appcore/core/app_core.h"
#include "pki/clock.h"
#include "tests/must.h"

namespace nanbyo::appcore::testing {

class FakeClock final : public Clock {
 public:
  // 2026-09-21T05:46:40Z
  TimePoint now() const override { return now_; }
  void advance(std::chrono::seconds s) { now_ += s; }

 private:
  TimePoint now_{std::chrono::seconds(1'790'000'000)};
};

inline constexpr const char* kTown = "131016";       // 千代田区
inline constexpr const char* kOtherTown = "271004";  // 大阪市
inline constexpr const char* kHospital = "1310000001";
inline constexpr const char* kOtherHospital = "2710000002";
inline constexpr const char* kChosenPassword = "Kawa-Sakura-2026";

struct CoreFixture {
  CoreFixture();
  ~CoreFixture();

  std::filesystem::path dir;
  CoreConfig config;
  FakeClock clock;
  nanbyo::audit::MemoryAuditSink audit;
  std::unique_ptr<AppCore> core;

  Principal op;          // an operator, set up
  Principal town;        // municipal admin of kTown
  Principal other_town;  // municipal admin of kOtherTown

  // Reopens the core on the same files (e.g. after closing).
  void reopen();
  // Logs in and completes every pending first-login step; returns the principal.
  Principal activate(const std::string& user_id, const std::string& password,
                     const std::string& hospital = "");
  Principal login(const std::string& user_id, const std::string& password,
                  const std::string& hospital = "");
  // Registers a doctor through kTown (or `as`), returns the credential.
  IssuedCredential doctor(const std::string& registration, const std::string& hospital = kHospital,
                          const std::string& name = "山田 太郎", const Principal* as = nullptr);
  // The id of the first designation of `user_id` that `town_admin`'s municipality made.
  std::string designation_of(const std::string& user_id, const Principal* town_admin = nullptr);
  bool audited(const std::string& event, audit::Outcome outcome, const std::string& subject = "");
  // Bytes of the database file and its WAL, to look for plaintext.
  std::string database_bytes() const;
};

using nanbyo::testing::must;
template <typename T>
Errc code_of(const Result<T>& r) {
  REQUIRE_FALSE(r.ok());
  return error_code(r.error());
}

}  // namespace nanbyo::appcore::testing
