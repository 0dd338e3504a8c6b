// libFuzzer target: the gateway edge's text parsers (issue 14): the request target the
// router and the upstream must read alike, and the Host header. Any input is refused or
// normalized; a normalized target is stable (normalizing it again changes nothing), has
// no dot or empty segment and no escape the router would read differently.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "gateway/stages/host_header.h"
#include "gateway/stages/request_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace nanbyo::gw;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)valid_host_header(text);
  auto target = normalize_target(text);
  if (!target) return 0;
  if (target->path.empty() || target->path.front() != '/') std::abort();
  if (target->path.find("/../") != std::string_view::npos || target->path.ends_with("/..") ||
      target->path.find("//") != std::string_view::npos) {
    std::abort();
  }
  auto again = normalize_target(target->target);
  if (!again || again->path != target->path || again->target != target->target) std::abort();
  return 0;
}
