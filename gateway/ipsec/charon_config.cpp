#include "gateway/ipsec/charon_config.h"

namespace nanbyo::ipsec {
namespace {

std::string seconds(std::chrono::seconds s) {
  return std::to_string(s.count()) + "s";
}

}  // namespace

std::string pool_name(const policy::Ipsec& ipsec) {
  return ipsec.name + "-pool";
}

ViciSection load_conn_message(const policy::Ipsec& ipsec, const std::string& server_cert_pem,
                              const std::vector<std::string>& ca_certs_pem) {
  ViciSection message;
  ViciSection& conn = message.add_section(ipsec.name);
  conn.add("version", "2");
  if (!ipsec.local_addresses.empty()) {
    std::vector<std::string> addresses;
    for (const auto& a : ipsec.local_addresses) addresses.push_back(a.to_string());
    conn.add_list("local_addrs", std::move(addresses));
  }
  conn.add_list("proposals", ipsec.ike_proposals);
  conn.add_list("pools", {pool_name(ipsec)});
  conn.add("dpd_delay", seconds(ipsec.dpd));
  conn.add("rekey_time", seconds(ipsec.ike_lifetime));
  conn.add("send_certreq", "yes");
  conn.add("send_cert", "always");
  // A PC that connects again replaces its old SA instead of holding two addresses.
  conn.add("unique", "replace");
  ViciSection& local = conn.add_section("local");
  local.add("auth", "pubkey");
  local.add_list("certs", {server_cert_pem});
  ViciSection& remote = conn.add_section("remote");
  remote.add("auth", "pubkey");
  remote.add_list("cacerts", ca_certs_pem);
  // strict: a certificate whose revocation status is unknown (no CRL) is refused too.
  remote.add("revocation", "strict");
  ViciSection& child = conn.add_section("children").add_section(ipsec.name);
  std::vector<std::string> selectors;
  for (const auto& network : ipsec.service_networks) selectors.push_back(network.to_string());
  child.add_list("local_ts", std::move(selectors));
  child.add_list("remote_ts", {"dynamic"});
  child.add_list("esp_proposals", ipsec.esp_proposals);
  child.add("rekey_time", seconds(ipsec.child_lifetime));
  child.add("dpd_action", "clear");
  child.add("start_action", "none");
  return message;
}

ViciSection load_pool_message(const policy::Ipsec& ipsec) {
  ViciSection message;
  message.add_section(pool_name(ipsec)).add("addrs", ipsec.address_pool.to_string());
  return message;
}

namespace {

ViciSection load_cert_message(const char* type, const char* flag, const std::string& pem) {
  ViciSection message;
  message.add("type", type);
  message.add("flag", flag);
  message.add("data", pem);
  return message;
}

}  // namespace

ViciSection load_ca_message(const std::string& pem) {
  return load_cert_message("X509", "CA", pem);
}

ViciSection load_crl_message(const std::string& pem) {
  return load_cert_message("X509_CRL", "NONE", pem);
}

ViciSection load_ocsp_signer_message(const std::string& pem) {
  return load_cert_message("X509", "OCSP", pem);
}

ViciSection load_authority_message(const std::string& name, const std::string& ca_pem,
                                   const std::string& ocsp_uri) {
  ViciSection message;
  ViciSection& authority = message.add_section(name);
  authority.add("cacert", ca_pem);
  authority.add_list("ocsp_uris", {ocsp_uri});
  return message;
}

ViciSection flush_certs_message(const std::string& type) {
  ViciSection message;
  message.add("type", type);
  return message;
}

ViciSection load_key_message(const std::string& type, const std::string& pem) {
  ViciSection message;
  message.add("type", type);
  message.add("data", pem);
  return message;
}

ViciSection terminate_message(const std::string& ike_id) {
  ViciSection message;
  message.add("ike-id", ike_id);
  message.add("force", "yes");
  message.add("timeout", "-1");
  return message;
}

std::vector<std::string> pem_blocks(const std::string& text, const std::string& label) {
  const std::string begin = "-----BEGIN " + label + "-----";
  const std::string end = "-----END " + label + "-----";
  std::vector<std::string> blocks;
  std::size_t at = 0;
  for (;;) {
    const std::size_t b = text.find(begin, at);
    if (b == std::string::npos) break;
    const std::size_t e = text.find(end, b);
    if (e == std::string::npos) break;
    blocks.push_back(text.substr(b, e + end.size() - b) + "\n");
    at = e + end.size();
  }
  return blocks;
}

}  // namespace nanbyo::ipsec
