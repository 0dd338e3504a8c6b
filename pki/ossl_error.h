// The reason text of OpenSSL's error queue, for one-line user messages.
#pragma once

#include <string>

namespace nanbyo::ossl {

// Drains the thread's OpenSSL error queue and returns its last reason ("" when empty).
std::string last_error();

}  // namespace nanbyo::ossl
