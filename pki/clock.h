// Time is injected (CONVENTIONS.md rule 9): only main() wires the system clock.
#pragma once

#include <chrono>
#include <string>

namespace nanbyo {

using TimePoint = std::chrono::sys_seconds;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint now() const override {
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  }
};

// ISO 8601 UTC, e.g. 2026-11-23T09:00:00Z.
std::string format_utc(TimePoint t);
// Parses the format_utc() form; returns false on any other text.
bool parse_utc(const std::string& text, TimePoint& out);

}  // namespace nanbyo
