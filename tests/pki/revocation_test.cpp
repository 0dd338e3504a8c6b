// Revocation publishes a CRL at once that OpenSSL and strongSwan honour, and
// refuses what cannot be revoked without touching anything (S-8).
#include <catch2/catch.hpp>

#include <SQLiteCpp/Database.h>

#include "pki/atomic_file.h"
#include "pki/pem.h"
#include "test_support.h"

using namespace nanbyo;
using namespace nanbyo::pki;
using nanbyo::testing::TestCa;
namespace fs = std::filesystem;

namespace {

std::vector<ossl::X509CrlPtr> published_crls(const TestCa& t) {
  auto text = read_file(t.paths.crl());
  REQUIRE(text.ok());
  std::vector<ossl::X509CrlPtr> out;
  std::string_view rest = *text;
  while (!rest.empty()) {
    auto crl = pem::decode_crl(rest, "crl.pem");
    if (!crl.ok()) break;
    out.push_back(std::move(crl.value()));
    auto end = rest.find("-----END X509 CRL-----");
    rest.remove_prefix(end + 23);
  }
  return out;
}

long crl_number(X509_CRL* crl) {
  ossl::Asn1IntegerPtr n(
      static_cast<ASN1_INTEGER*>(X509_CRL_get_ext_d2i(crl, NID_crl_number, nullptr, nullptr)));
  REQUIRE(n);
  return ASN1_INTEGER_get(n.get());
}

bool lists(X509_CRL* crl, const std::string& serial) {
  STACK_OF(X509_REVOKED)* revoked = X509_CRL_get_REVOKED(crl);
  for (int i = 0; i < sk_X509_REVOKED_num(revoked); ++i) {
    ossl::BignumPtr bn(ASN1_INTEGER_to_BN(
        X509_REVOKED_get0_serialNumber(sk_X509_REVOKED_value(revoked, i)), nullptr));
    char* hex = BN_bn2hex(bn.get());
    bool match = serial == hex;
    OPENSSL_free(hex);
    if (match) return true;
  }
  return false;
}

std::string issue_pc(TestCa& t, const std::string& terminal) {
  ClientOptions options;
  options.identity = {"1310000001", terminal};
  auto issued = t.ca->issue_client(options);
  REQUIRE(issued.ok());
  return issued->record.serial;
}

}  // namespace

TEST_CASE("revoking a PC certificate publishes a CRL listing it", "[revocation]") {
  TestCa t;
  std::string serial = issue_pc(t, "pc01");
  std::string other = issue_pc(t, "pc02");
  auto before = published_crls(t);
  REQUIRE(before.size() == 2);  // issuing CA's CRL, then the root's

  auto revoked = t.ca->revoke(serial, "key-compromise");
  REQUIRE(revoked.ok());
  CHECK(revoked->status == "revoked");

  auto after = published_crls(t);
  REQUIRE(after.size() == 2);
  CHECK(lists(after[0].get(), serial));
  CHECK_FALSE(lists(after[0].get(), other));
  CHECK(crl_number(after[0].get()) > crl_number(before[0].get()));
  // strongSwan ignores a CRL without authorityKeyIdentifier.
  CHECK(X509_CRL_get_ext_by_NID(after[0].get(), NID_authority_key_identifier, -1) >= 0);
  CHECK(X509_CRL_verify(after[0].get(), X509_get0_pubkey(t.ca->issuing_certificate())) == 1);
  CHECK(X509_CRL_verify(after[1].get(), X509_get0_pubkey(t.ca->root_certificate())) == 1);

  auto records = t.ca->list(CertificateFilter{"1310000001", "client"});
  REQUIRE(records.ok());
  for (const auto& r : *records) CHECK(r.status == (r.serial == serial ? "revoked" : "valid"));
}

TEST_CASE("serials are accepted in any case and with colons", "[revocation]") {
  TestCa t;
  std::string serial = issue_pc(t, "pc01");
  std::string typed;
  for (std::size_t i = 0; i < serial.size(); i += 2) {
    typed += (i ? ":" : "") + serial.substr(i, 2);
  }
  for (auto& c : typed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  CHECK(t.ca->revoke(typed, "superseded").ok());
}

TEST_CASE("refused revocations change nothing on disk", "[revocation][bad-input]") {
  TestCa t;
  std::string serial = issue_pc(t, "pc01");
  REQUIRE(t.ca->revoke(serial, "key-compromise").ok());
  auto before = testing::snapshot(t.paths.dir);

  auto unknown = t.ca->revoke("DEADBEEF", "key-compromise");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().message == "unknown serial DEADBEEF: no certificate of this CA has it");

  auto twice = t.ca->revoke(serial, "superseded");
  REQUIRE_FALSE(twice.ok());
  CHECK_THAT(twice.error().message,
             Catch::StartsWith("certificate " + serial + " is already revoked"));
  CHECK_THAT(twice.error().message, Catch::Contains("key-compromise"));

  auto reason = t.ca->revoke(issue_pc(t, "pc02"), "because");
  REQUIRE_FALSE(reason.ok());
  CHECK_THAT(reason.error().message, Catch::StartsWith("unknown revocation reason 'because'"));

  before = testing::snapshot(t.paths.dir);
  auto not_hex = t.ca->revoke("xyz", "key-compromise");
  REQUIRE_FALSE(not_hex.ok());
  CHECK(testing::snapshot(t.paths.dir) == before);
}

TEST_CASE("a missing CA database is named and not created", "[revocation][bad-input]") {
  testing::TempDir dir;
  testing::FakeClock clock;
  CaPaths paths{dir.path() / "nowhere"};
  auto opened = CertificateAuthority::open(paths, clock);
  REQUIRE_FALSE(opened.ok());
  CHECK(opened.error().message ==
        "CA database not found: " + paths.database().string() + " (run `nanbyo-pki init` first)");
  CHECK_FALSE(fs::exists(paths.dir));
}

TEST_CASE("a locked CA database fails fast with a clear message", "[revocation][bad-input]") {
  TestCa t;
  std::string serial = issue_pc(t, "pc01");
  auto before = testing::snapshot(t.paths.dir);
  {
    SQLite::Database holder(t.paths.database().string(), SQLite::OPEN_READWRITE);
    holder.exec("BEGIN EXCLUSIVE");
    auto revoked = t.ca->revoke(serial, "key-compromise");
    REQUIRE_FALSE(revoked.ok());
    CHECK(revoked.error().message ==
          "CA database is locked by another process: " + t.paths.database().string());
    holder.exec("ROLLBACK");
  }
  CHECK(testing::snapshot(t.paths.dir) == before);
  CHECK(t.ca->revoke(serial, "key-compromise").ok());  // works once the lock is gone
}

TEST_CASE("a file that is not a CA database is reported as such", "[revocation][bad-input]") {
  testing::TempDir dir;
  testing::FakeClock clock;
  CaPaths paths{dir.path()};
  REQUIRE(write_file_atomic(paths.database(), std::string(4096, 'x')).ok());
  auto opened = CertificateAuthority::open(paths, clock);
  REQUIRE_FALSE(opened.ok());
  CHECK_THAT(opened.error().message, Catch::StartsWith("not a CA database"));
}

TEST_CASE("a revocation that cannot commit publishes nothing", "[revocation][bad-input]") {
  TestCa t;
  std::string serial = issue_pc(t, "pc01");
  auto before = testing::snapshot(t.paths.dir);
  {
    // A reader holding a shared lock makes COMMIT fail after the CRL is signed.
    SQLite::Database reader(t.paths.database().string(), SQLite::OPEN_READONLY);
    reader.exec("BEGIN");
    reader.exec("SELECT count(*) FROM certificates");
    auto revoked = t.ca->revoke(serial, "key-compromise");
    REQUIRE_FALSE(revoked.ok());
    CHECK_THAT(revoked.error().message, Catch::Contains("locked"));
    reader.exec("ROLLBACK");
  }
  CHECK(testing::snapshot(t.paths.dir) == before);
  auto crls_before = published_crls(t);
  REQUIRE(t.ca->revoke(serial, "key-compromise").ok());
  CHECK(crl_number(published_crls(t)[0].get()) == crl_number(crls_before[0].get()) + 1);
}

TEST_CASE("revoking a PC does not need the root CA key", "[revocation]") {
  TestCa t;  // opened while the root key was present; keys load at first signature
  std::string serial = issue_pc(t, "pc01");
  fs::rename(t.paths.root_key(), t.dir.path() / "offline-root.key");
  CHECK(t.ca->revoke(serial, "key-compromise").ok());
  CHECK(t.ca->publish_crl(7).ok());
}
