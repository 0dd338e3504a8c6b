// Shared fixtures for the pki tests: a temporary CA directory, a settable
// clock, and a snapshot of a directory to prove that nothing on disk changed.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "pki/certificate_authority.h"
#include "pki/clock.h"

namespace nanbyo::testing {

class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimePoint t = TimePoint(std::chrono::seconds(1'790'000'000))) : now_(t) {}
  TimePoint now() const override { return now_; }
  void advance(std::chrono::seconds s) { now_ += s; }

 private:
  TimePoint now_;
};

class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// path -> content + permission bits, for every file below `dir`.
std::map<std::string, std::string> snapshot(const std::filesystem::path& dir);

// A freshly initialised CA in a temporary directory.
struct TestCa {
  TempDir dir;
  FakeClock clock;
  pki::CaPaths paths{dir.path() / "ca"};
  std::unique_ptr<pki::CertificateAuthority> ca;
  explicit TestCa(pki::KeyAlgorithm algorithm = pki::KeyAlgorithm::EcdsaP256);
};

}  // namespace nanbyo::testing
