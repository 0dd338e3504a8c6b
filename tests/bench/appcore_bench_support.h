// What the appcore benchmarks share: stop on the first failed call with its
// message (a benchmark that half-ran prints no figures), and activate a staff
// user (login, then the new password) the way a first login does.
#pragma once

#include <errno.h>

#include <stdlib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "appcore/core/app_core.h"
#include "pki/audit/audit_log.h"
#include "pki/audit/audit_sink.h"

namespace nanbyo::bench {

[[noreturn]] inline void die(const std::string& what) {
  std::fprintf(stderr, "%s: %s\n", program_invocation_short_name, what.c_str());
  std::exit(1);
}

template <typename T>
T must(Result<T> r) {
  if (!r) die(r.error().message);
  return std::move(r).value();
}
inline void must(Result<void> r) {
  if (!r) die(r.error().message);
}

// Operator and municipal administrator: login and new password only.
inline appcore::Principal activate(appcore::AppCore& core, const appcore::IssuedCredential& c) {
  auto r = must(core.login(c.user_id, c.initial_password, appcore::Terminal{"", "bench"}));
  must(core.complete_first_login(r.principal, "q", "a", "Bench-Password-2026"));
  return r.principal;
}

// A temporary appliance in a fresh /tmp folder (or $BENCH_TMPDIR): the real hash-chained audit log,
// AppCore on SQLite with production Argon2id, an operator and one municipality
// (131016 千代田区) with its administrator. The clock is the system's: key files
// issued here are checked against real time by nanbyo-check.
struct BenchAppliance {
  explicit BenchAppliance(const char* prefix) {
    // BENCH_TMPDIR (e.g. /dev/shm) shows how much of a run is the disk.
    const char* base = std::getenv("BENCH_TMPDIR");
    std::string tmpl = std::string(base && *base ? base : "/tmp") + "/" + prefix + "-XXXXXX";
    if (!::mkdtemp(tmpl.data())) die("mkdtemp failed");
    dir = tmpl;
    log = must(audit::AuditLog::open(audit_path(), clock));
    sink = audit::make_log_sink(*log);
    config.database = dir / "appcore.db";
    config.master_key = dir / "master.key";
    config.create_master_key = true;
    core = must(appcore::AppCore::open(config, clock, *sink));
    op = activate(*core, must(core->bootstrap_operator("bench", appcore::Terminal{"", "bench"})));
    must(core->register_municipality(op, appcore::Municipality{"131016", "千代田区"}));
    town = activate(*core, must(core->create_staff_user(op, appcore::Role::MunicipalAdmin, "bench",
                                                        "", "131016")));
  }
  std::filesystem::path audit_path() const { return dir / "audit.jsonl"; }

  std::filesystem::path dir;
  SystemClock clock;
  std::unique_ptr<audit::AuditLog> log;
  std::unique_ptr<audit::AuditSink> sink;
  appcore::CoreConfig config;
  std::unique_ptr<appcore::AppCore> core;
  appcore::Principal op, town;
};

}  // namespace nanbyo::bench
