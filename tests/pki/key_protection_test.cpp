// The CA's keys at rest and in memory (issue 13): encrypted under a passphrase, usable with the
// root key kept offline, and no PC key kept once its media exist.
#include <catch2/catch.hpp>

#include "pki/atomic_file.h"
#include "pki/hospital_bundle.h"
#include "pki/pem.h"
#include "pki/secret.h"
#include "test_support.h"

using namespace nanbyo;
using namespace nanbyo::pki;
using nanbyo::testing::FakeClock;
using nanbyo::testing::TempDir;
namespace fs = std::filesystem;

namespace {

std::shared_ptr<const Secret> passphrase(std::string text) {
  return std::make_shared<const Secret>(std::move(text));
}

struct EncryptedCa {
  TempDir dir;
  FakeClock clock;
  CaPaths paths{dir.path() / "ca"};
  EncryptedCa() {
    InitOptions options;
    options.passphrase = passphrase("correct horse battery staple");
    REQUIRE(CertificateAuthority::init(paths, options, clock).ok());
  }
};

Result<Issued> issue_pc(CertificateAuthority& ca, const std::string& terminal) {
  ClientOptions options;
  options.identity = {"1310000001", terminal};
  return ca.issue_client(options);
}

}  // namespace

TEST_CASE("with a passphrase both CA keys are written as encrypted PKCS#8", "[ca][keys]") {
  EncryptedCa t;
  for (const auto& key : {t.paths.root_key(), t.paths.issuing_key()}) {
    auto text = read_file(key);
    REQUIRE(text.ok());
    CHECK(pem::is_encrypted_private_key(*text));
    CHECK(text->find("BEGIN PRIVATE KEY") == std::string::npos);
    CHECK(fs::status(key).permissions() == fs::perms(0600));
  }
}

TEST_CASE("an encrypted CA signs only with its passphrase, and says which is missing",
          "[ca][keys]") {
  EncryptedCa t;
  auto without = CertificateAuthority::open(t.paths, t.clock);
  REQUIRE(without.ok());  // listing needs no key
  auto refused = issue_pc(**without, "pc01");
  REQUIRE_FALSE(refused.ok());
  CHECK_THAT(refused.error().message, Catch::Contains("issuing-ca.key is encrypted: give its "
                                                      "passphrase with --passphrase-file"));

  auto wrong = CertificateAuthority::open(t.paths, t.clock, passphrase("not the passphrase"));
  REQUIRE(wrong.ok());
  auto bad = issue_pc(**wrong, "pc01");
  REQUIRE_FALSE(bad.ok());
  CHECK_THAT(bad.error().message, Catch::Contains("cannot be decrypted: wrong passphrase?"));

  auto right =
      CertificateAuthority::open(t.paths, t.clock, passphrase("correct horse battery staple"));
  REQUIRE(right.ok());
  CHECK(issue_pc(**right, "pc01").ok());
}

TEST_CASE("with the root key offline the issuing CA still issues, revokes and publishes",
          "[ca][keys]") {
  testing::TestCa t;
  const fs::path offline = t.dir.path() / "offline-root.key";
  fs::rename(t.paths.root_key(), offline);
  auto ca = CertificateAuthority::open(t.paths, t.clock);
  REQUIRE(ca.ok());
  auto issued = issue_pc(**ca, "pc01");
  REQUIRE(issued.ok());
  CHECK((*ca)->revoke(issued->record.serial, "key-compromise").ok());
  CHECK((*ca)->publish_crl(7).ok());

  SECTION("only a root signature asks for the root key") {
    auto records = (*ca)->list(CertificateFilter{"", "issuing-ca"});
    REQUIRE(records.ok());
    auto root_work = (*ca)->revoke(records->front().serial, "ca-compromise");
    REQUIRE_FALSE(root_work.ok());
    CHECK_THAT(root_work.error().message,
               Catch::Contains("CA private key missing: " + t.paths.root_key().string()));
    fs::rename(offline, t.paths.root_key());
    auto back = CertificateAuthority::open(t.paths, t.clock);
    REQUIRE(back.ok());
    CHECK((*back)->revoke(records->front().serial, "ca-compromise").ok());
  }
}

TEST_CASE("secrets are wiped when they go", "[keys]") {
  std::string text = "a passphrase long enough";
  Secret secret(std::move(text));
  CHECK(text.empty());
  CHECK(secret.view() == "a passphrase long enough");
  Secret moved(std::move(secret));
  CHECK(secret.empty());
  CHECK(moved.view() == "a passphrase long enough");
  std::string plain = "short";
  wipe(plain);
  CHECK(plain.empty());
}

TEST_CASE("once a hospital's media exist the CA keeps no PC key or PKCS#12", "[ca][bundle]") {
  testing::TestCa t;
  auto issued = issue_pc(*t.ca, "pc01");
  REQUIRE(issued.ok());
  REQUIRE(fs::exists(issued->pkcs12_path));
  REQUIRE(fs::exists(issued->key_path));
  BundleOptions options{"1310000001", "vpn.example.jp:443", t.dir.path() / "media", false};
  auto bundle = make_hospital_bundle(*t.ca, options);
  REQUIRE(bundle.ok());
  CHECK(bundle->leftovers.empty());
  CHECK(fs::exists(bundle->dir / "pc" / "pc01.p12"));
  CHECK_FALSE(fs::exists(issued->pkcs12_path));
  CHECK_FALSE(fs::exists(issued->key_path));
  auto records = t.ca->list(CertificateFilter{"1310000001", "client"});
  REQUIRE(records.ok());
  CHECK(records->front().pkcs12_path.empty());

  SECTION("the media do not ask the hospital to trust the private root") {
    CHECK_FALSE(fs::exists(bundle->dir / "ca-chain.crt"));
    CHECK_FALSE(fs::exists(bundle->dir / "server-ca.crt"));
    auto readme = read_file(bundle->dir / "README-ja.txt");
    REQUIRE(readme.ok());
    CHECK(readme->find("取り込む必要はありません") != std::string::npos);
    auto conf = read_file(bundle->dir / "openconnect" / "pc01.conf");
    REQUIRE(conf.ok());
    CHECK(*conf == "certificate pc/pc01.p12\n");
  }
  SECTION("the same PC cannot be bundled again: the CA no longer has its PKCS#12") {
    BundleOptions again{"1310000001", "vpn.example.jp:443", t.dir.path() / "media2", false};
    auto refused = make_hospital_bundle(*t.ca, again);
    REQUIRE_FALSE(refused.ok());
    CHECK_THAT(refused.error().message, Catch::Contains("no valid PC certificate"));
  }
}

TEST_CASE("a private server CA goes on the media only when the root is name-constrained",
          "[ca][bundle]") {
  testing::TestCa t;
  REQUIRE(issue_pc(*t.ca, "pc01").ok());
  BundleOptions options{"1310000001", "vpn.example.jp:443", t.dir.path() / "media", true};
  auto refused = make_hospital_bundle(*t.ca, options);
  REQUIRE_FALSE(refused.ok());
  CHECK_THAT(refused.error().message, Catch::Contains("the root CA has no name constraints"));
}

// Issue 15 (S-6): the README tells the hospital what its PCs reach while connected, as the
// gateway's vpn.mode sets it.
TEST_CASE("the media README states the tunnel mode of the gateway's policy", "[ca][bundle]") {
  for (const bool full : {true, false}) {
    DYNAMIC_SECTION((full ? "full" : "split")) {
      testing::TestCa t;
      REQUIRE(issue_pc(*t.ca, "pc01").ok());
      BundleOptions options{"1310000001", "vpn.example.jp:443", t.dir.path() / "media", false,
                            full};
      auto bundle = make_hospital_bundle(*t.ca, options);
      REQUIRE(bundle.ok());
      auto readme = read_file(bundle->dir / "README-ja.txt");
      REQUIRE(readme.ok());
      const bool says_full =
          readme->find("難病・小慢DB以外 (インターネットを") != std::string::npos;
      const bool says_split =
          readme->find("VPNを通るのは難病・小慢DB宛ての通信だけです") != std::string::npos;
      CHECK(says_full == full);
      CHECK(says_split == !full);
    }
  }
}
