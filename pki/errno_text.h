// The message of an errno value, for the "what failed: why" texts of Result.
#pragma once

#include <cerrno>
#include <cstring>
#include <string>

namespace nanbyo {

// Reads errno at the call, so call it before anything else can change it.
inline std::string errno_text(int error = errno) {
  return std::strerror(error);
}

}  // namespace nanbyo
