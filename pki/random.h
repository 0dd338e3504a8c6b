// Cryptographic randomness from OpenSSL's DRBG (seeded by the kernel).
#pragma once

#include <cstddef>
#include <string>

#include "pki/encoding.h"

namespace nanbyo {

std::string random_bytes(std::size_t n);
// A password from an alphabet without look-alike characters (no 0/O, 1/l/I).
// 20 characters of 57 symbols carry ~116 bits.
std::string random_password(std::size_t length = 20);

}  // namespace nanbyo
