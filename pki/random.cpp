#include "pki/random.h"

#include <openssl/rand.h>

#include <stdexcept>

namespace nanbyo {

std::string random_bytes(std::size_t n) {
  std::string out(n, '\0');
  if (n > 0 && RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    throw std::runtime_error("the random number generator failed");  // impossible in practice
  }
  return out;
}

std::string random_password(std::size_t length) {
  static constexpr std::string_view kAlphabet =
      "23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  // Rejection sampling keeps every symbol equally likely.
  const unsigned limit = 256 - (256 % kAlphabet.size());
  std::string out;
  while (out.size() < length) {
    for (unsigned char c : random_bytes(length * 2)) {
      if (c < limit && out.size() < length) out.push_back(kAlphabet[c % kAlphabet.size()]);
    }
  }
  return out;
}

}  // namespace nanbyo
