// service/: journal priorities and systemd credentials (issue 13, parts 2 and 4).
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "../pki/test_support.h"
#include "service/credentials.h"
#include "service/journal.h"
#include "service/version.h"

using namespace nanbyo;

namespace {
std::string device_inode(int fd) {
  struct stat st {};
  REQUIRE(fstat(fd, &st) == 0);
  return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
}
}  // namespace

TEST_CASE("a stream is the journal only when JOURNAL_STREAM names that very stream", "[journal]") {
  testing::TempDir dir;
  int journal = ::open((dir.path() / "journal").c_str(), O_CREAT | O_RDWR, 0600);
  int other = ::open((dir.path() / "other").c_str(), O_CREAT | O_RDWR, 0600);
  REQUIRE(journal >= 0);
  REQUIRE(other >= 0);
  const std::string named = device_inode(journal);
  CHECK(service::is_journal_stream(named.c_str(), journal));
  // A child whose stderr was redirected to a file inherits the variable.
  CHECK_FALSE(service::is_journal_stream(named.c_str(), other));
  CHECK_FALSE(service::is_journal_stream(nullptr, journal));
  CHECK_FALSE(service::is_journal_stream("garbage", journal));
  ::close(journal);
  ::close(other);
}

TEST_CASE("credential:NAME is the file systemd put in CREDENTIALS_DIRECTORY", "[credentials]") {
  ::setenv("CREDENTIALS_DIRECTORY", "/run/credentials/nanbyo-appcore.service", 1);
  auto resolved = service::resolve_credential_path("credential:appcore-master.key");
  REQUIRE(resolved.ok());
  CHECK(*resolved == "/run/credentials/nanbyo-appcore.service/appcore-master.key");
  auto plain = service::resolve_credential_path("/etc/nanbyo/x.key");
  REQUIRE(plain.ok());
  CHECK(*plain == "/etc/nanbyo/x.key");
  for (const char* bad : {"credential:", "credential:../etc/shadow", "credential:a/b"})
    CHECK_FALSE(service::resolve_credential_path(bad).ok());
  ::unsetenv("CREDENTIALS_DIRECTORY");
}

TEST_CASE("credential:NAME outside systemd is an error that says what is missing",
          "[credentials]") {
  ::unsetenv("CREDENTIALS_DIRECTORY");
  auto resolved = service::resolve_credential_path("credential:gateway-tls.key");
  REQUIRE_FALSE(resolved.ok());
  CHECK(resolved.error().message.find("LoadCredential=") != std::string::npos);
}

TEST_CASE("a file is a systemd credential only inside CREDENTIALS_DIRECTORY", "[credentials]") {
  ::setenv("CREDENTIALS_DIRECTORY", "/run/credentials/nanbyo-appcore.service", 1);
  CHECK(service::is_systemd_credential("/run/credentials/nanbyo-appcore.service/master.key"));
  CHECK_FALSE(service::is_systemd_credential("/run/credentials/nanbyo-appcore.service"));
  CHECK_FALSE(service::is_systemd_credential("/run/credentials/nanbyo-appcore.service/../x"));
  CHECK_FALSE(service::is_systemd_credential("/etc/nanbyo/credentials/appcore-master.key"));
  ::unsetenv("CREDENTIALS_DIRECTORY");
  CHECK_FALSE(service::is_systemd_credential("/run/credentials/nanbyo-appcore.service/master.key"));
}

TEST_CASE("the version is the project's", "[version]") {
  CHECK(std::string(service::version()) == NANBYO_PROJECT_VERSION);
}
