// Secret: bytes that must not outlive their use (issue 13): passphrases, unencrypted private
// keys as PEM text, PKCS#12 passwords. The bytes are wiped with OPENSSL_cleanse when the Secret
// is destroyed or assigned over; a copy exists only where a caller makes one explicitly.
#pragma once

#include <string>
#include <string_view>

namespace nanbyo {

// Overwrites every byte the string's buffer holds (up to its capacity), then empties it.
void wipe(std::string& text);

class Secret {
 public:
  Secret() = default;
  // Takes the text over and wipes the caller's string.
  explicit Secret(std::string&& text);
  ~Secret();
  Secret(Secret&& other) noexcept;
  Secret& operator=(Secret&& other) noexcept;
  Secret(const Secret&) = delete;
  Secret& operator=(const Secret&) = delete;

  std::string_view view() const { return bytes_; }
  const char* data() const { return bytes_.data(); }
  std::size_t size() const { return bytes_.size(); }
  bool empty() const { return bytes_.empty(); }

 private:
  std::string bytes_;
};

}  // namespace nanbyo
