// Result<T>: an expected failure with a message a user can act on (CONVENTIONS.md rule 6).
// g++ 12 has no std::expected in C++20 mode; this is the project's small stand-in.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace nanbyo {

struct Error {
  std::string message;  // one line, no secrets
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error error) : v_(std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// Result<void>: success or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

inline Error fail(std::string message) {
  return Error{std::move(message)};
}

}  // namespace nanbyo

// Propagates the error of a Result-returning expression; binds its value otherwise.
#define NANBYO_TRY(var, expr)                       \
  auto var##_result_ = (expr);                      \
  if (!var##_result_) return var##_result_.error(); \
  auto var = std::move(var##_result_).value()

#define NANBYO_TRY_VOID(expr)                     \
  do {                                            \
    auto try_result_ = (expr);                    \
    if (!try_result_) return try_result_.error(); \
  } while (0)
