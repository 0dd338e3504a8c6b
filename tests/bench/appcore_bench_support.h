// What the appcore benchmarks share: stop on the first failed call with its
// message (a benchmark that half-ran prints no figures), and activate a staff
// user (login, then the new password) the way a first login does.
#pragma once

#include <errno.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "appcore/core/app_core.h"

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

}  // namespace nanbyo::bench
