// The date in Japan (JST, UTC+9, no daylight saving) as YYYY-MM-DD: the dates
// of designations and of a form version's transition are dates in Japan.
#pragma once

#include <chrono>
#include <string>

namespace nanbyo::forms {

std::string japan_date(std::chrono::sys_seconds at);

}  // namespace nanbyo::forms
