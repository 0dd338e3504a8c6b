// The application core's settings: an immutable snapshot given to AppCore::open().
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>

namespace nanbyo::appcore {

// Login throttling (login_throttle.h, docs/appcore-data.md "Passwords").
struct LoginThrottleConfig {
  int free_failures = 3;  // failures before the first wait
  std::chrono::seconds first_wait{1};
  std::chrono::seconds account_cap{30};
  std::chrono::seconds terminal_cap{15 * 60};
  // Failures are forgotten after this long without a new one.
  std::chrono::seconds forget_after{24 * 60 * 60};
  // Beyond this many remembered accounts or terminals, lapsed entries are pruned.
  std::size_t max_entries = 100'000;
};

struct CoreConfig {
  std::filesystem::path database;    // SQLite file (WAL); created when missing
  std::filesystem::path master_key;  // 32 random bytes, mode 0600 (see docs/appcore-data.md)
  bool create_master_key = false;    // development only: create the file when missing

  // Passwords (docs/appcore-data.md "Passwords").
  std::chrono::days initial_password_validity{90};
  // Failed logins throttle (they never lock: issue 12); the manual lock stays.
  LoginThrottleConfig login_throttle;
  // Argon2id cost (libsodium crypto_pwhash). Production: 3 passes over 64 MiB,
  // ~0.15 s on one core of the appliance. Tests lower them.
  unsigned long long argon2_ops = 3;
  std::size_t argon2_mem = std::size_t{64} << 20;

  // Sessions.
  std::chrono::seconds session_idle{30 * 60};
  std::chrono::seconds session_absolute{12 * 60 * 60};

  // User key files (ID-4): validity in days of a key issued at first login.
  int user_key_days = 365;

  // Bulk import (ID-2) limits.
  std::size_t max_import_bytes = std::size_t{64} << 20;
  std::size_t max_import_rows = 200'000;
};

}  // namespace nanbyo::appcore
