// libFuzzer target: PKCS#12 files handed to `nanbyo-pki p12-info`.
#include <cstdint>
#include <string_view>

#include "pki/pkcs12.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view der(reinterpret_cast<const char*>(data), size);
  (void)nanbyo::pki::open_pkcs12(der, "fuzz-password", "fuzz");
  return 0;
}
