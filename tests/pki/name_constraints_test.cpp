// The root's name constraints (issue 13, S-4): where PCs still trust a private root for the
// server, it can vouch only for the service's own names, and PC certificates still verify.
#include <catch2/catch.hpp>

#include <openssl/x509_vfy.h>

#include "pki/atomic_file.h"
#include "pki/hospital_bundle.h"
#include "pki/name_constraints.h"
#include "pki/pem.h"
#include "test_support.h"

using namespace nanbyo;
using namespace nanbyo::pki;
using nanbyo::testing::FakeClock;
using nanbyo::testing::TempDir;
namespace fs = std::filesystem;

namespace {

struct ConstrainedCa {
  TempDir dir;
  FakeClock clock;
  CaPaths paths{dir.path() / "ca"};
  std::unique_ptr<CertificateAuthority> ca;
  ConstrainedCa() {
    InitOptions options;
    options.permitted = {{"vpn.example.jp"}, {"192.0.2.0/24"}};
    REQUIRE(CertificateAuthority::init(paths, options, clock).ok());
    auto opened = CertificateAuthority::open(paths, clock);
    REQUIRE(opened.ok());
    ca = std::move(opened.value());
  }
};

ossl::X509Ptr leaf_of(const fs::path& path) {
  auto text = read_file(path);
  REQUIRE(text.ok());
  auto cert = pem::decode_certificate(*text, path.string());
  REQUIRE(cert.ok());
  return std::move(cert.value());
}

// OpenSSL's own chain verification, which applies the root's name constraints.
int verify(const ConstrainedCa& t, X509* leaf) {
  ossl::X509StorePtr store(X509_STORE_new());
  X509_STORE_add_cert(store.get(), t.ca->root_certificate());
  ossl::X509StackPtr untrusted(sk_X509_new_null());
  sk_X509_push(untrusted.get(), t.ca->issuing_certificate());
  ossl::X509StoreCtxPtr ctx(X509_STORE_CTX_new());
  X509_STORE_CTX_init(ctx.get(), store.get(), leaf, untrusted.get());
  X509_verify_cert(ctx.get());
  const int error = X509_STORE_CTX_get_error(ctx.get());
  sk_X509_zero(untrusted.get());
  return error;
}

}  // namespace

TEST_CASE("permitted names become a critical nameConstraints extension of the root",
          "[ca][name-constraints]") {
  ConstrainedCa t;
  CHECK(has_name_constraints(t.ca->root_certificate()));
  const int index = X509_get_ext_by_NID(t.ca->root_certificate(), NID_name_constraints, -1);
  REQUIRE(index >= 0);
  CHECK(X509_EXTENSION_get_critical(X509_get_ext(t.ca->root_certificate(), index)) == 1);
  CHECK_FALSE(has_name_constraints(t.ca->issuing_certificate()));
}

TEST_CASE("a server certificate for the service's names verifies, others are refused",
          "[ca][name-constraints]") {
  ConstrainedCa t;
  ServerOptions inside;
  inside.dns_names = {"gw1.vpn.example.jp"};
  inside.ip_addresses = {"192.0.2.10"};
  auto issued = t.ca->issue_server(inside);
  REQUIRE(issued.ok());
  auto cert = leaf_of(issued->cert_path);
  CHECK(verify(t, cert.get()) == X509_V_OK);

  ServerOptions outside;
  outside.dns_names = {"www.example.com"};
  auto refused = t.ca->issue_server(outside);
  REQUIRE_FALSE(refused.ok());
  CHECK_THAT(refused.error().message,
             Catch::Contains("a server certificate for www.example.com would be outside the "
                             "root CA's permitted names"));
  ServerOptions other_ip;
  other_ip.dns_names = {"vpn.example.jp"};
  other_ip.ip_addresses = {"198.51.100.1"};
  CHECK_FALSE(t.ca->issue_server(other_ip).ok());
}

TEST_CASE("PC certificates under a constrained root still verify", "[ca][name-constraints]") {
  ConstrainedCa t;
  ClientOptions options;
  options.identity = {"1310000001", "uketsuke-01"};
  auto issued = t.ca->issue_client(options);
  REQUIRE(issued.ok());
  auto cert = leaf_of(issued->cert_path);
  CHECK(verify(t, cert.get()) == X509_V_OK);

  ClientOptions dotted;
  dotted.identity = {"1310000001", "pc.ward3"};  // reads as a host name to verifiers
  auto refused = t.ca->issue_client(dotted);
  REQUIRE_FALSE(refused.ok());
  CHECK_THAT(refused.error().message, Catch::Contains("choose a name without '.'"));
}

TEST_CASE("with a constrained root the media may carry it for the VPN client",
          "[ca][name-constraints][bundle]") {
  ConstrainedCa t;
  ClientOptions options;
  options.identity = {"1310000001", "pc01"};
  REQUIRE(t.ca->issue_client(options).ok());
  BundleOptions bundle_options{"1310000001", "vpn.example.jp:443", t.dir.path() / "media", true};
  auto bundle = make_hospital_bundle(*t.ca, bundle_options);
  REQUIRE(bundle.ok());
  auto root = read_file(bundle->dir / "server-ca.crt");
  REQUIRE(root.ok());
  CHECK(*root == pem::encode(t.ca->root_certificate()));
  auto conf = read_file(bundle->dir / "openconnect" / "pc01.conf");
  REQUIRE(conf.ok());
  CHECK(*conf == "certificate pc/pc01.p12\ncafile server-ca.crt\n");
}

TEST_CASE("permitted names are checked before anything is made", "[ca][name-constraints]") {
  for (const auto& [dns, ip] : std::vector<std::pair<std::string, std::string>>{
           {"-bad-.example", ""}, {"", "192.0.2.1/24"}, {"", "192.0.2.0/33"}, {"", "vpn"}}) {
    PermittedNames names;
    if (!dns.empty()) names.dns.push_back(dns);
    if (!ip.empty()) names.ip.push_back(ip);
    INFO(dns << ip);
    CHECK_FALSE(name_constraints_config(names).ok());
  }
  auto ok = name_constraints_config({{"vpn.example.jp"}, {"192.0.2.0/24", "2001:db8::/32"}});
  REQUIRE(ok.ok());
  CHECK(*ok ==
        "critical,permitted;DNS:vpn.example.jp,permitted;IP:192.0.2.0/255.255.255.0,"
        "permitted;IP:2001:db8::/ffff:ffff::");
}
