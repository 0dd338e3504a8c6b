// libFuzzer target: the user key file parser (input from users' disks).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "pki/user_key_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto key = nanbyo::pki::parse_key_file(text);
  // Anything accepted must be exactly what the encoder writes.
  if (key && nanbyo::pki::encode_key_file(*key) != text) std::abort();
  return 0;
}
