// libFuzzer target: opening a file sealed with a user key (uploaded by users).
#include <cstdint>
#include <cstdlib>
#include <string>

#include "pki/user_key_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace nanbyo;
  static const pki::UserKey key{std::string(32, 'a'), "A0000001", TimePoint{},
                                TimePoint(std::chrono::seconds(4'000'000'000)),
                                std::string(32, 'k')};
  std::string sealed(reinterpret_cast<const char*>(data), size);
  (void)pki::sealed_key_id(sealed);
  auto opened = pki::open_with_key(key, sealed, TimePoint(std::chrono::seconds(1)));
  // Only a genuine seal under this key may open: re-sealing must round-trip.
  if (opened) {
    auto again = pki::seal_with_key(key, *opened, TimePoint(std::chrono::seconds(1)));
    if (!again || !pki::open_with_key(key, *again, TimePoint(std::chrono::seconds(1))))
      std::abort();
  }
  return 0;
}
