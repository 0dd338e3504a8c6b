#include "appcore/core/key_hierarchy.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <sys/stat.h>
#include <unistd.h>

#include "appcore/core/errors.h"
#include "pki/aead.h"
#include "pki/random.h"
#include "service/credentials.h"

namespace nanbyo::appcore {
namespace {

constexpr std::string_view kDataKeyName = "data-key-v1";
constexpr std::string_view kDataKeyAad = "nanbyo appcore data key v1";

void wipe(std::string& s) {
  if (!s.empty()) OPENSSL_cleanse(s.data(), s.size());
}

Result<void> create_key_file(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return fail(Errc::Internal, "cannot create the master key " + path.string());
  std::string key = random_bytes(aead::kKeySize);
  bool ok =
      ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) && ::fsync(fd) == 0;
  ::close(fd);
  wipe(key);
  if (!ok) {
    ::unlink(path.c_str());
    return fail(Errc::Internal, "cannot write the master key " + path.string());
  }
  return {};
}

}  // namespace

Result<std::string> load_master_key(const std::filesystem::path& path, bool create) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (!create) {
      return fail(Errc::Internal,
                  "the master key " + path.string() + " is missing (32 random bytes, mode 0600)");
    }
    NANBYO_TRY_VOID(create_key_file(path));
    if (::stat(path.c_str(), &st) != 0) return fail(Errc::Internal, "master key vanished");
  }
  if (!S_ISREG(st.st_mode)) return fail(Errc::Internal, path.string() + " is not a regular file");
  if ((st.st_mode & 077) != 0 && !service::is_systemd_credential(path)) {
    return fail(Errc::Internal, "the master key " + path.string() +
                                    " is readable by group or others; chmod 0600 it");
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail(Errc::Internal, "cannot read the master key " + path.string());
  std::string key(aead::kKeySize + 1, '\0');
  ssize_t n = ::read(fd, key.data(), key.size());
  ::close(fd);
  if (n != static_cast<ssize_t>(aead::kKeySize)) {
    wipe(key);
    return fail(Errc::Internal, "the master key " + path.string() + " must be exactly 32 bytes");
  }
  key.resize(aead::kKeySize);
  return key;
}

Result<KeyHierarchy> KeyHierarchy::open(Store& store, const std::string& master_key) {
  if (master_key.size() != aead::kKeySize) return fail(Errc::Internal, "master key size");
  NANBYO_TRY(wrapped, store.keyring_get(std::string(kDataKeyName)));
  std::string data_key;
  if (wrapped) {
    auto opened = aead::open(master_key, kDataKeyAad, *wrapped);
    if (!opened) {
      return fail(Errc::Internal,
                  "the master key does not open this database's data key (wrong key file?)");
    }
    data_key = std::move(opened.value());
  } else {
    data_key = random_bytes(aead::kKeySize);
    NANBYO_TRY_VOID(store.keyring_put(std::string(kDataKeyName),
                                      aead::seal(master_key, kDataKeyAad, data_key)));
  }
  KeyHierarchy k;
  k.field_ = aead::hmac_sha256(data_key, "appcore field encryption v1");
  k.index_ = aead::hmac_sha256(data_key, "appcore blind index v1");
  k.password_ = aead::hmac_sha256(data_key, "appcore initial password v1");
  k.user_key_wrap_ = aead::hmac_sha256(data_key, "appcore user key wrap v1");
  wipe(data_key);
  return k;
}

KeyHierarchy::~KeyHierarchy() {
  wipe(field_);
  wipe(index_);
  wipe(password_);
  wipe(user_key_wrap_);
}

namespace {
std::string aad_of(std::string_view table, std::string_view column, std::string_view row) {
  std::string aad;
  aad.reserve(table.size() + column.size() + row.size() + 2);
  aad.append(table).push_back('\0');
  aad.append(column).push_back('\0');
  aad.append(row);
  return aad;
}
}  // namespace

std::string KeyHierarchy::seal(std::string_view table, std::string_view column,
                               std::string_view row, std::string_view plaintext) const {
  if (plaintext.empty()) return {};
  return aead::seal(field_, aad_of(table, column, row), plaintext);
}

Result<std::string> KeyHierarchy::open(std::string_view table, std::string_view column,
                                       std::string_view row, std::string_view sealed) const {
  if (sealed.empty()) return std::string();
  auto opened = aead::open(field_, aad_of(table, column, row), sealed);
  if (!opened) {
    return fail(Errc::Internal, "an encrypted field of " + std::string(table) + "." +
                                    std::string(column) + " for " + std::string(row) +
                                    " does not decrypt (tampered or moved)");
  }
  return opened;
}

std::string KeyHierarchy::blind_index(std::string_view purpose, std::string_view value) const {
  std::string msg(purpose);
  msg.push_back('\0');
  msg.append(value);
  return aead::hmac_sha256(index_, msg);
}

std::string KeyHierarchy::initial_password_mac(std::string_view user_id,
                                               std::string_view password) const {
  std::string msg(user_id);
  msg.push_back('\0');
  msg.append(password);
  return aead::hmac_sha256(password_, msg);
}

}  // namespace nanbyo::appcore
