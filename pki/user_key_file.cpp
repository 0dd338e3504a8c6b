#include "pki/user_key_file.h"

#include <map>
#include <sstream>
#include <vector>

#include "pki/aead.h"
#include "pki/random.h"

namespace nanbyo::pki {
namespace {

constexpr std::string_view kBegin = "-----BEGIN NANBYO USER KEY-----";
constexpr std::string_view kEnd = "-----END NANBYO USER KEY-----";
constexpr std::string_view kSealMagic = "NBSEAL01";
constexpr std::size_t kKeyIdBytes = 16;
constexpr std::size_t kSealHeader = 8 + kKeyIdBytes;

std::string body_lines(const UserKey& k) {
  return "Version: 1\nKey-Id: " + k.key_id + "\nUser-Id: " + k.user_id +
         "\nNot-Before: " + format_utc(k.not_before) + "\nNot-After: " + format_utc(k.not_after) +
         "\nAlgorithm: AES-256-GCM\nKey: " + to_base64(k.secret) + "\n";
}

std::string check_of(const UserKey& k) {
  return to_hex(aead::hmac_sha256(k.secret, body_lines(k)).substr(0, 16));
}

Error malformed(const std::string& why) {
  return fail("not a valid user key file: " + why);
}

}  // namespace

UserKey generate_user_key(const std::string& user_id, TimePoint not_before, TimePoint not_after) {
  return UserKey{to_hex(random_bytes(kKeyIdBytes)), user_id, not_before, not_after,
                 random_bytes(aead::kKeySize)};
}

std::string encode_key_file(const UserKey& key) {
  return std::string(kBegin) + "\n" + body_lines(key) + "Check: " + check_of(key) + "\n" +
         std::string(kEnd) + "\n";
}

Result<UserKey> parse_key_file(std::string_view text) {
  if (text.size() > 4096) return malformed("file is too large");
  std::istringstream in{std::string(text)};
  std::string line;
  if (!std::getline(in, line) || line != kBegin) return malformed("missing BEGIN line");
  std::map<std::string, std::string> fields;
  std::vector<std::string> order;
  while (std::getline(in, line) && line != kEnd) {
    auto colon = line.find(": ");
    if (colon == std::string::npos) return malformed("line without 'Name: value'");
    std::string name = line.substr(0, colon);
    if (fields.count(name)) return malformed("field " + name + " appears twice");
    fields[name] = line.substr(colon + 2);
    order.push_back(name);
  }
  if (line != kEnd) return malformed("missing END line");
  const std::vector<std::string> expected{"Version",   "Key-Id",    "User-Id", "Not-Before",
                                          "Not-After", "Algorithm", "Key",     "Check"};
  if (order != expected) return malformed("fields missing, unknown or out of order");
  if (fields["Version"] != "1") return malformed("unsupported version " + fields["Version"]);
  if (fields["Algorithm"] != "AES-256-GCM") return malformed("unsupported algorithm");

  UserKey key;
  key.key_id = fields["Key-Id"];
  key.user_id = fields["User-Id"];
  std::string raw_id;
  if (key.key_id.size() != 2 * kKeyIdBytes || !from_hex(key.key_id, raw_id) ||
      to_hex(raw_id) != key.key_id) {
    return malformed("Key-Id must be 32 lower-case hex digits");
  }
  if (!parse_utc(fields["Not-Before"], key.not_before) ||
      !parse_utc(fields["Not-After"], key.not_after)) {
    return malformed("validity dates must be ISO 8601 UTC");
  }
  if (!from_base64(fields["Key"], key.secret) || key.secret.size() != aead::kKeySize) {
    return malformed("Key must be 32 bytes in Base64");
  }
  if (!aead::equal_constant_time(check_of(key), fields["Check"]) || encode_key_file(key) != text) {
    return malformed("Check does not match (the file was altered or damaged)");
  }
  return key;
}

Result<void> check_key_validity(const UserKey& key, TimePoint now) {
  if (now < key.not_before) {
    return fail("key " + key.key_id + " is not valid before " + format_utc(key.not_before));
  }
  if (now >= key.not_after) {
    return fail("key " + key.key_id + " expired at " + format_utc(key.not_after));
  }
  return {};
}

Result<std::string> seal_with_key(const UserKey& key, std::string_view plaintext, TimePoint now) {
  NANBYO_TRY_VOID(check_key_validity(key, now));
  std::string raw_id;
  from_hex(key.key_id, raw_id);
  std::string header = std::string(kSealMagic) + raw_id;
  return header + aead::seal(key.secret, header, plaintext);
}

Result<std::string> sealed_key_id(std::string_view sealed) {
  if (sealed.size() < kSealHeader + aead::kNonceSize + aead::kTagSize ||
      sealed.substr(0, kSealMagic.size()) != kSealMagic) {
    return fail("not a file encrypted with a user key (bad header)");
  }
  return to_hex(sealed.substr(kSealMagic.size(), kKeyIdBytes));
}

Result<std::string> open_with_key(const UserKey& key, std::string_view sealed, TimePoint now) {
  NANBYO_TRY(key_id, sealed_key_id(sealed));
  if (key_id != key.key_id) {
    return fail("the file was encrypted with key " + key_id + ", not with key " + key.key_id);
  }
  NANBYO_TRY_VOID(check_key_validity(key, now));
  return aead::open(key.secret, sealed.substr(0, kSealHeader), sealed.substr(kSealHeader));
}

}  // namespace nanbyo::pki
