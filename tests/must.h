// Unwraps a Result in a Catch2 test, failing the test with its message. One
// definition that the suites' own testing namespaces bring in with `using`,
// so that test files built together (unity builds) see one function, not two.
#pragma once

#include <catch2/catch.hpp>

#include <utility>

#include "pki/result.h"

namespace nanbyo::testing {

template <typename T>
T must(Result<T> r) {
  if (!r) FAIL(r.error().message);
  return std::move(r).value();
}

inline void must(Result<void> r) {
  if (!r) FAIL(r.error().message);
}

}  // namespace nanbyo::testing
