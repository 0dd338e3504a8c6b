// What the gateway loads into charon (issue 16, S-10): the connection from the policy's ipsec
// section, strict revocation, the service networks as the only selectors; and the peer's
// hospital and terminal as charon prints its identity.
#include <catch2/catch.hpp>

#include "gateway/ipsec/charon_config.h"
#include "gateway/ipsec/peer_certificate.h"

using namespace nanbyo::ipsec;
using namespace std::chrono_literals;

namespace {

nanbyo::policy::Ipsec sample_ipsec() {
  nanbyo::policy::Ipsec ipsec;
  ipsec.local_addresses.push_back(nanbyo::net::IpAddress::parse("192.0.2.10").value());
  ipsec.address_pool = nanbyo::net::Cidr::parse("10.254.0.0/24").value();
  ipsec.service_networks.push_back(nanbyo::net::Cidr::parse("10.10.0.0/24").value());
  ipsec.dpd = 45s;
  return ipsec;
}

}  // namespace

TEST_CASE("S-10 load-conn carries the policy's connection", "[ipsec]") {
  const auto message = load_conn_message(sample_ipsec(), "SERVER PEM", {"CA1", "CA2"});
  const ViciSection* conn = message.section("ipsec");
  REQUIRE(conn);
  CHECK(conn->get("version") == "2");
  CHECK(*conn->list("local_addrs") == std::vector<std::string>{"192.0.2.10"});
  CHECK(*conn->list("proposals") ==
        std::vector<std::string>{"aes256gcm16-prfsha256-ecp256", "aes128gcm16-prfsha256-ecp256"});
  CHECK(*conn->list("pools") == std::vector<std::string>{"ipsec-pool"});
  CHECK(conn->get("dpd_delay") == "45s");
  CHECK(*conn->section("local")->list("certs") == std::vector<std::string>{"SERVER PEM"});
  const ViciSection* remote = conn->section("remote");
  CHECK(remote->get("auth") == "pubkey");
  CHECK(remote->get("revocation") == "strict");
  CHECK(remote->list("cacerts")->size() == 2);
  const ViciSection* child = conn->section("children")->section("ipsec");
  REQUIRE(child);
  CHECK(*child->list("local_ts") == std::vector<std::string>{"10.10.0.0/24"});
  CHECK(*child->list("esp_proposals") ==
        std::vector<std::string>{"aes256gcm16-ecp256", "aes128gcm16-ecp256"});
  CHECK(child->get("rekey_time") == "3600s");
  CHECK(encode_message(message).ok());
}

TEST_CASE("S-10 the pool, CA, CRL, key and terminate messages", "[ipsec]") {
  CHECK(load_pool_message(sample_ipsec()).section("ipsec-pool")->get("addrs") == "10.254.0.0/24");
  CHECK(load_ca_message("X").get("flag") == "CA");
  CHECK(load_crl_message("X").get("type") == "X509_CRL");
  CHECK(load_key_message("ecdsa", "K").get("type") == "ecdsa");
  const auto terminate = terminate_message("7");
  CHECK(terminate.get("ike-id") == "7");
  CHECK(terminate.get("force") == "yes");
  CHECK(terminate.get("timeout") == "-1");
}

TEST_CASE("S-10 PEM blocks are split with their armour", "[ipsec]") {
  const std::string two =
      "junk\n-----BEGIN X509 CRL-----\nAA\n-----END X509 CRL-----\n"
      "-----BEGIN X509 CRL-----\nBB\n-----END X509 CRL-----\n-----BEGIN X509 CRL-----\nCC";
  const auto blocks = pem_blocks(two, "X509 CRL");
  REQUIRE(blocks.size() == 2);
  CHECK(blocks[1] == "-----BEGIN X509 CRL-----\nBB\n-----END X509 CRL-----\n");
}

TEST_CASE("S-10 the peer's hospital and terminal come from charon's identity text", "[ipsec]") {
  auto named = named_peer("C=JP, O=Nanbyo-Shoman DB, 55:04:61=1310000001, CN=pc01");
  CHECK(named.hospital == "1310000001");
  CHECK(named.terminal == "pc01");
  CHECK(named_peer("CN=pc01").hospital.empty());
  CHECK_FALSE(peer_identity({}, "CN=pc01"));
  auto none = peer_identity({}, "C=JP, 55:04:61=1310000001, CN=pc01");
  REQUIRE_FALSE(none);
  CHECK(none.error().message.find("1310000001") != std::string::npos);
}
