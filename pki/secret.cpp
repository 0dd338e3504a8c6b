#include "pki/secret.h"

#include <openssl/crypto.h>

namespace nanbyo {

void wipe(std::string& text) {
  text.resize(text.capacity());  // the whole buffer, not only the part in use
  OPENSSL_cleanse(text.data(), text.size());
  text.clear();
}

Secret::Secret(std::string&& text) {
  bytes_.reserve(text.size());
  bytes_.assign(text);
  wipe(text);
}

Secret::~Secret() {
  wipe(bytes_);
}

Secret::Secret(Secret&& other) noexcept : Secret() {
  *this = std::move(other);
}

Secret& Secret::operator=(Secret&& other) noexcept {
  if (this != &other) {
    wipe(bytes_);
    bytes_.reserve(other.bytes_.size());
    bytes_.assign(other.bytes_);
    wipe(other.bytes_);
  }
  return *this;
}

}  // namespace nanbyo
