#include "pki/clock.h"

#include <cstdio>
#include <ctime>

namespace nanbyo {

std::string format_utc(TimePoint t) {
  std::time_t tt = t.time_since_epoch().count();
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

bool parse_utc(const std::string& text, TimePoint& out) {
  std::tm tm{};
  char z = 0;
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &z, &consumed) != 7 ||
      z != 'Z' || static_cast<std::size_t>(consumed) != text.size()) {
    return false;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  std::time_t tt = timegm(&tm);
  if (tt == static_cast<std::time_t>(-1)) return false;
  out = TimePoint(std::chrono::seconds(tt));
  return format_utc(out) == text;  // rejects out-of-range fields such as month 13
}

}  // namespace nanbyo
