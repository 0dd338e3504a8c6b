#include "appcore/core/passwords.h"

#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <semaphore>
#include <stdexcept>
#include <thread>

#include "appcore/core/errors.h"
#include "pki/aead.h"
#include "pki/encoding.h"
#include "pki/random.h"

namespace nanbyo::appcore {
namespace {

constexpr std::string_view kInitialPrefix = "hmac-sha256$";

void ensure_sodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) throw std::runtime_error("libsodium failed to initialise");  // impossible
}

// Argon2id (64 MiB, 3 passes) at most once per core at a time: more at once
// would not log anyone in sooner, only hold memory and the request threads
// that other users' requests need (the web layer runs more threads than cores).
class Argon2Slot {
 public:
  Argon2Slot() { slots().acquire(); }
  ~Argon2Slot() { slots().release(); }
  Argon2Slot(const Argon2Slot&) = delete;
  Argon2Slot& operator=(const Argon2Slot&) = delete;

 private:
  static std::counting_semaphore<>& slots() {
    static std::counting_semaphore<> s(
        std::max<std::ptrdiff_t>(1, std::thread::hardware_concurrency()));
    return s;
  }
};

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

std::string generate_initial_password() {
  return random_password(kInitialPasswordLength);
}

std::string hash_initial_password(const KeyHierarchy& keys, std::string_view user_id,
                                  std::string_view password) {
  return std::string(kInitialPrefix) + to_hex(keys.initial_password_mac(user_id, password));
}

bool is_initial_hash(std::string_view stored) {
  return stored.starts_with(kInitialPrefix);
}

Result<std::string> hash_chosen_password(std::string_view password, unsigned long long ops,
                                         std::size_t mem) {
  ensure_sodium();
  char out[crypto_pwhash_STRBYTES];
  Argon2Slot slot;
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), ops, mem,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return fail(Errc::Internal, "not enough memory to hash the password; try again");
  }
  return std::string(out);
}

bool verify_password(const KeyHierarchy& keys, std::string_view user_id, std::string_view stored,
                     std::string_view password) {
  if (is_initial_hash(stored)) {
    return aead::equal_constant_time(stored, hash_initial_password(keys, user_id, password));
  }
  ensure_sodium();
  std::string s(stored);  // libsodium wants a NUL-terminated string
  Argon2Slot slot;
  return crypto_pwhash_str_verify(s.c_str(), password.data(), password.size()) == 0;
}

Result<void> check_password_policy(std::string_view user_id, std::string_view password) {
  if (password.size() < kMinPasswordLength || password.size() > kMaxPasswordLength) {
    return fail(Errc::InvalidInput, "the password must be 12 to 128 characters long");
  }
  bool lower_c = false, upper_c = false, digit = false, symbol = false;
  for (unsigned char c : password) {
    if (c < 0x21 || c > 0x7e) {
      return fail(Errc::InvalidInput,
                  "the password may contain only printable ASCII characters without spaces");
    }
    if (std::islower(c))
      lower_c = true;
    else if (std::isupper(c))
      upper_c = true;
    else if (std::isdigit(c))
      digit = true;
    else
      symbol = true;
  }
  if (lower_c + upper_c + digit + symbol < 3) {
    return fail(Errc::InvalidInput,
                "the password needs three of: lower case, upper case, digits, symbols");
  }
  if (!user_id.empty() && lower(password).find(lower(user_id)) != std::string::npos) {
    return fail(Errc::InvalidInput, "the password must not contain the user ID");
  }
  return {};
}

}  // namespace nanbyo::appcore
