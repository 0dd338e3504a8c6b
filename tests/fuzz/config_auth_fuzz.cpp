// libFuzzer target: the <config-auth> XML body of a VPN login POST.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "gateway/vpn/config_auth.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace nanbyo::vpn;
  std::string_view body(reinterpret_cast<const char*>(data), size);
  auto request = parse_config_auth(body);
  if (!request) return 0;
  // Nothing accepted may exceed the limits or hold control characters ("<!DOCTYPE" may appear
  // accepted, but only as the text of a comment).
  if (size > kMaxConfigAuthBytes) std::abort();
  for (const std::string* field :
       {&request->version, &request->device_id, &request->group_access, &request->group_select}) {
    if (field->size() > kMaxConfigAuthField) std::abort();
    for (unsigned char c : *field)
      if (c < 0x20 || c == 0x7f) std::abort();
  }
  return 0;
}
