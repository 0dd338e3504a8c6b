// Where nanbyo-pki finds the passphrase of the CA keys (issue 13): the first of
//   --passphrase-file FILE, $NANBYO_PKI_PASSPHRASE_FILE, and the systemd credential
//   nanbyo-pki-passphrase ($CREDENTIALS_DIRECTORY/nanbyo-pki-passphrase, when it exists);
// none of them: the keys are read (and `init` writes them) unencrypted.
#include <cstdlib>
#include <filesystem>

#include "pki/cli/context.h"

namespace nanbyo::pki::cli {
namespace {

constexpr std::size_t kMinPassphrase = 12;

std::string passphrase_path(const std::string& option_file) {
  if (!option_file.empty()) return option_file;
  const char* env = std::getenv("NANBYO_PKI_PASSPHRASE_FILE");
  if (env != nullptr && *env != '\0') return env;
  const char* credentials = std::getenv("CREDENTIALS_DIRECTORY");
  if (credentials != nullptr && *credentials != '\0') {
    const auto credential = std::filesystem::path(credentials) / "nanbyo-pki-passphrase";
    std::error_code ec;
    if (std::filesystem::exists(credential, ec)) return credential.string();
  }
  return "";
}

}  // namespace

Result<std::shared_ptr<const Secret>> Context::passphrase() const {
  const std::string path = passphrase_path(passphrase_file);
  if (path.empty()) return std::shared_ptr<const Secret>();
  NANBYO_TRY(text, read_secret(path));
  auto secret = std::make_shared<const Secret>(std::move(text));
  if (secret->size() < kMinPassphrase) {
    return fail("the passphrase in " + path + " is shorter than " + std::to_string(kMinPassphrase) +
                " characters");
  }
  return secret;
}

Result<std::unique_ptr<CertificateAuthority>> Context::open_ca() const {
  NANBYO_TRY(secret, passphrase());
  return CertificateAuthority::open(paths(), clock, std::move(secret));
}

}  // namespace nanbyo::pki::cli
