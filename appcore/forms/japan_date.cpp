#include "appcore/forms/japan_date.h"

#include <cstdio>

namespace nanbyo::forms {

std::string japan_date(std::chrono::sys_seconds at) {
  using namespace std::chrono;
  year_month_day ymd{floor<days>(at + hours(9))};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

}  // namespace nanbyo::forms
