#include "test_support.h"

#include <catch2/catch.hpp>

#include <cstdlib>

#include "pki/atomic_file.h"

namespace nanbyo::testing {
namespace fs = std::filesystem;

TempDir::TempDir() {
  std::string tmpl = (fs::temp_directory_path() / "nanbyo-test-XXXXXX").string();
  REQUIRE(mkdtemp(tmpl.data()) != nullptr);
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> out;
  if (!fs::exists(dir)) return out;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    auto perms = std::to_string(static_cast<int>(entry.status().permissions()));
    if (entry.is_regular_file()) {
      auto content = read_file(entry.path());
      out[entry.path().string()] = perms + ":" + (content ? *content : "<unreadable>");
    } else {
      out[entry.path().string()] = perms + ":<dir>";
    }
  }
  return out;
}

TestCa::TestCa(pki::KeyAlgorithm algorithm) {
  pki::InitOptions options;
  options.algorithm = algorithm;
  auto initialised = pki::CertificateAuthority::init(paths, options, clock);
  REQUIRE(initialised.ok());
  auto opened = pki::CertificateAuthority::open(paths, clock);
  REQUIRE(opened.ok());
  ca = std::move(opened.value());
}

}  // namespace nanbyo::testing
