#include "pki/ossl_error.h"

#include <openssl/err.h>

namespace nanbyo::ossl {

std::string last_error() {
  unsigned long code = 0;
  unsigned long last = 0;
  while ((code = ERR_get_error()) != 0) last = code;
  if (last == 0) return {};
  const char* reason = ERR_reason_error_string(last);
  return reason ? reason : "unknown OpenSSL error";
}

}  // namespace nanbyo::ossl
