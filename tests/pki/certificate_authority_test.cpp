// The CA issues certificates that chain to its root, carry the hospital's
// identity, and are written with owner-only private keys (S-1, O-1).
#include <catch2/catch.hpp>

#include <openssl/x509_vfy.h>

#include "pki/atomic_file.h"
#include "pki/names.h"
#include "pki/pem.h"
#include "pki/pkcs12.h"
#include "test_support.h"

using namespace nanbyo;
using namespace nanbyo::pki;
using nanbyo::testing::TestCa;
namespace fs = std::filesystem;

namespace {

ossl::X509Ptr load_cert(const fs::path& path) {
  auto text = read_file(path);
  REQUIRE(text.ok());
  auto cert = pem::decode_certificate(*text, path.string());
  REQUIRE(cert.ok());
  return std::move(cert.value());
}

// X509_verify_cert against the CA's root, with the issuing CA as untrusted
// intermediate, optionally checking the leaf against the published CRL.
int verify(const TestCa& t, X509* leaf, bool check_crl = false) {
  ossl::X509StorePtr store(X509_STORE_new());
  auto root = load_cert(t.paths.root_cert());
  X509_STORE_add_cert(store.get(), root.get());
  if (check_crl) {
    auto crl_text = read_file(t.paths.crl());
    REQUIRE(crl_text.ok());
    auto crl = pem::decode_crl(*crl_text, "crl");
    REQUIRE(crl.ok());
    X509_STORE_add_crl(store.get(), crl->get());
    X509_STORE_set_flags(store.get(), X509_V_FLAG_CRL_CHECK);
  }
  auto issuing = load_cert(t.paths.issuing_cert());
  ossl::X509StackPtr untrusted(sk_X509_new_null());
  sk_X509_push(untrusted.get(), issuing.get());
  ossl::X509StoreCtxPtr ctx(X509_STORE_CTX_new());
  X509_STORE_CTX_init(ctx.get(), store.get(), leaf, untrusted.get());
  X509_verify_cert(ctx.get());
  int err = X509_STORE_CTX_get_error(ctx.get());
  sk_X509_zero(untrusted.get());  // issuing is owned by its X509Ptr
  return err;
}

fs::perms mode_of(const fs::path& p) {
  return fs::status(p).permissions();
}

}  // namespace

TEST_CASE("init writes a complete CA whose private keys only the owner can read", "[ca]") {
  TestCa t;
  for (auto p :
       {t.paths.root_key(), t.paths.issuing_key(), t.paths.user_key_wrap(), t.paths.database()}) {
    INFO(p);
    CHECK(mode_of(p) == fs::perms(0600));
  }
  CHECK(mode_of(t.paths.private_dir()) == fs::perms(0700));
  CHECK(fs::exists(t.paths.chain()));
  CHECK(fs::exists(t.paths.crl()));
  auto issuing = load_cert(t.paths.issuing_cert());
  CHECK(verify(t, issuing.get()) == X509_V_OK);
}

TEST_CASE("init refuses to replace an existing CA and changes nothing", "[ca]") {
  TestCa t;
  auto before = testing::snapshot(t.paths.dir);
  auto again = CertificateAuthority::init(t.paths, InitOptions{}, t.clock);
  REQUIRE_FALSE(again.ok());
  CHECK_THAT(again.error().message, Catch::Contains("already exists"));
  CHECK(testing::snapshot(t.paths.dir) == before);
}

TEST_CASE("a hospital PC certificate chains to the root and names its hospital", "[ca]") {
  TestCa t;
  ClientOptions options;
  options.identity = {"1310000001", "uketsuke-01"};
  auto issued = t.ca->issue_client(options);
  REQUIRE(issued.ok());
  auto cert = load_cert(issued->cert_path);
  CHECK(verify(t, cert.get()) == X509_V_OK);

  auto identity = client_identity(cert.get());
  REQUIRE(identity.ok());
  CHECK(identity->hospital_number == "1310000001");
  CHECK(identity->terminal == "uketsuke-01");
  CHECK((X509_get_extended_key_usage(cert.get()) & XKU_SSL_CLIENT) != 0);
  CHECK((X509_get_extended_key_usage(cert.get()) & XKU_SSL_SERVER) == 0);
  CHECK(mode_of(issued->key_path) == fs::perms(0600));
  CHECK(mode_of(issued->pkcs12_path) == fs::perms(0600));

  auto records = t.ca->list(CertificateFilter{"1310000001", ""});
  REQUIRE(records.ok());
  REQUIRE(records->size() == 1);
  CHECK(records->front().serial == issued->record.serial);
  CHECK(records->front().terminal == "uketsuke-01");
}

TEST_CASE("the PKCS#12 opens with the printed password only", "[ca][pkcs12]") {
  TestCa t;
  ClientOptions options;
  options.identity = {"1310000001", "pc01"};
  auto issued = t.ca->issue_client(options);
  REQUIRE(issued.ok());
  CHECK(issued->pkcs12_password.size() == 20);
  auto der = read_file(issued->pkcs12_path);
  REQUIRE(der.ok());

  auto opened = open_pkcs12(*der, issued->pkcs12_password, "pc01.p12");
  REQUIRE(opened.ok());
  CHECK(serial_hex(opened->cert.get()) == issued->record.serial);
  CHECK(opened->chain.size() == 2);

  auto wrong = open_pkcs12(*der, "not-the-password", "pc01.p12");
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().message == "wrong password for PKCS#12 file pc01.p12");

  std::string corrupt = *der;
  corrupt.resize(corrupt.size() / 2);
  auto broken = open_pkcs12(corrupt, issued->pkcs12_password, "half.p12");
  REQUIRE_FALSE(broken.ok());
  CHECK_THAT(broken.error().message, Catch::Contains("not a PKCS#12 file"));
}

TEST_CASE("a server certificate carries its names and rejects malformed ones", "[ca]") {
  TestCa t;
  ServerOptions options;
  options.dns_names = {"vpn.example.jp"};
  options.ip_addresses = {"127.0.0.1", "::1"};
  auto issued = t.ca->issue_server(options);
  REQUIRE(issued.ok());
  auto cert = load_cert(issued->cert_path);
  CHECK(verify(t, cert.get()) == X509_V_OK);
  CHECK(X509_check_host(cert.get(), "vpn.example.jp", 0, 0, nullptr) == 1);
  CHECK(X509_check_ip_asc(cert.get(), "127.0.0.1", 0) == 1);
  CHECK(X509_check_host(cert.get(), "other.example.jp", 0, 0, nullptr) == 0);

  auto before = testing::snapshot(t.paths.dir);
  for (auto bad : {"bad name.example", "-lead.example", "a,DNS:evil.example"}) {
    ServerOptions o;
    o.dns_names = {bad};
    auto refused = t.ca->issue_server(o);
    REQUIRE_FALSE(refused.ok());
    CHECK_THAT(refused.error().message, Catch::StartsWith("not a valid DNS name"));
  }
  ServerOptions bad_ip;
  bad_ip.ip_addresses = {"300.1.1.1"};
  CHECK_FALSE(t.ca->issue_server(bad_ip).ok());
  CHECK(testing::snapshot(t.paths.dir) == before);
}

TEST_CASE("an RSA 3072 CA issues RSA 3072 certificates", "[ca][rsa]") {
  TestCa t(KeyAlgorithm::Rsa3072);
  ClientOptions options;
  options.identity = {"2710000002", "pc-rsa"};
  auto issued = t.ca->issue_client(options);
  REQUIRE(issued.ok());
  auto cert = load_cert(issued->cert_path);
  CHECK(verify(t, cert.get()) == X509_V_OK);
  CHECK(EVP_PKEY_get_bits(X509_get0_pubkey(cert.get())) == 3072);
}

TEST_CASE("bad operator input is refused before anything is written", "[ca][bad-input]") {
  TestCa t;
  auto before = testing::snapshot(t.paths.dir);
  ClientOptions bad_hospital;
  bad_hospital.identity = {"13100", "pc01"};
  auto r1 = t.ca->issue_client(bad_hospital);
  REQUIRE_FALSE(r1.ok());
  CHECK(r1.error().message == "hospital number must be the 10-digit 医療機関番号, got '13100'");

  ClientOptions bad_terminal;
  bad_terminal.identity = {"1310000001", "pc 01/../x"};
  CHECK_FALSE(t.ca->issue_client(bad_terminal).ok());

  ClientOptions bad_days;
  bad_days.identity = {"1310000001", "pc01"};
  bad_days.days = 0;
  auto r3 = t.ca->issue_client(bad_days);
  REQUIRE_FALSE(r3.ok());
  CHECK(r3.error().message == "validity must be 1-3650 days, got 0");
  CHECK(testing::snapshot(t.paths.dir) == before);
}

TEST_CASE("an unwritable password file records no certificate", "[ca][bad-input]") {
  TestCa t;
  REQUIRE(write_file_atomic(t.dir.path() / "afile", "x").ok());
  ClientOptions options;
  options.identity = {"1310000001", "pc09"};
  options.password_file = t.dir.path() / "afile" / "pw";
  auto before = testing::snapshot(t.paths.dir);
  auto issued = t.ca->issue_client(options);
  REQUIRE_FALSE(issued.ok());
  CHECK(testing::snapshot(t.paths.dir) == before);
  auto records = t.ca->list(CertificateFilter{"1310000001", ""});
  REQUIRE(records.ok());
  CHECK(records->empty());
}

TEST_CASE("leaf certificates never outlive the issuing CA", "[ca]") {
  testing::TempDir dir;
  testing::FakeClock clock;
  CaPaths paths{dir.path()};
  InitOptions init;
  init.issuing_days = 100;
  REQUIRE(CertificateAuthority::init(paths, init, clock).ok());
  auto ca = CertificateAuthority::open(paths, clock);
  REQUIRE(ca.ok());
  ClientOptions options;
  options.identity = {"1310000001", "pc01"};
  options.days = 730;
  auto issued = (*ca)->issue_client(options);
  REQUIRE(issued.ok());
  CHECK(ASN1_TIME_compare(X509_get0_notAfter((*ca)->issuing_certificate()),
                          X509_get0_notAfter(load_cert(issued->cert_path).get())) >= 0);
}
