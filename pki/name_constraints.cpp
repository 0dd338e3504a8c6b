#include "pki/name_constraints.h"

#include <arpa/inet.h>
#include <openssl/x509v3.h>

#include <charconv>
#include <cstring>

#include "pki/names.h"

namespace nanbyo::pki {
namespace {

// "addr/prefix" -> "addr/mask", the form OpenSSL's configuration wants for IP subtrees.
Result<std::string> ip_subtree(const std::string& cidr) {
  const auto slash = cidr.find('/');
  const std::string address = cidr.substr(0, slash);
  unsigned char bytes[16]{};
  const bool v6 = address.find(':') != std::string::npos;
  if (inet_pton(v6 ? AF_INET6 : AF_INET, address.c_str(), bytes) != 1) {
    return fail("--permit-ip " + cidr + ": not an IP network (address/prefix)");
  }
  const unsigned bits = v6 ? 128 : 32;
  unsigned prefix = bits;
  if (slash != std::string::npos) {
    const std::string text = cidr.substr(slash + 1);
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), prefix);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() || prefix > bits) {
      return fail("--permit-ip " + cidr + ": bad prefix length");
    }
  }
  unsigned char mask[16]{};
  for (unsigned i = 0; i < prefix; ++i) mask[i / 8] |= static_cast<unsigned char>(0x80 >> (i % 8));
  for (unsigned i = 0; i < bits / 8; ++i) {
    if ((bytes[i] & ~mask[i]) != 0) {
      return fail("--permit-ip " + cidr + ": host bits set (give the network address)");
    }
  }
  char address_text[INET6_ADDRSTRLEN]{}, mask_text[INET6_ADDRSTRLEN]{};
  inet_ntop(v6 ? AF_INET6 : AF_INET, bytes, address_text, sizeof(address_text));
  inet_ntop(v6 ? AF_INET6 : AF_INET, mask, mask_text, sizeof(mask_text));
  return std::string(address_text) + "/" + mask_text;
}

}  // namespace

Result<std::string> name_constraints_config(const PermittedNames& names) {
  std::string value = "critical";
  for (const auto& dns : names.dns) {
    if (auto ok = validate_dns_name(dns); !ok) return fail("--permit-dns: " + ok.error().message);
    value += ",permitted;DNS:" + dns;
  }
  for (const auto& ip : names.ip) {
    NANBYO_TRY(subtree, ip_subtree(ip));
    value += ",permitted;IP:" + subtree;
  }
  return value;
}

bool has_name_constraints(X509* ca) {
  return X509_get_ext_by_NID(ca, NID_name_constraints, -1) >= 0;
}

Result<void> check_within_constraints(X509* ca, X509* cert) {
  std::unique_ptr<NAME_CONSTRAINTS, decltype(&NAME_CONSTRAINTS_free)> constraints(
      static_cast<NAME_CONSTRAINTS*>(X509_get_ext_d2i(ca, NID_name_constraints, nullptr, nullptr)),
      &NAME_CONSTRAINTS_free);
  if (!constraints) return {};
  // A certificate built in memory may carry a stale extension cache (no subjectAltName yet):
  // check a fresh decoding of it, as a verifier sees it, with its cache filled.
  ossl::X509Ptr decoded(X509_dup(cert));
  if (!decoded) return fail("cannot re-read the certificate");
  cert = decoded.get();
  X509_get_extension_flags(cert);  // fills the cache NAME_CONSTRAINTS_check reads SANs from
  const int verdict = NAME_CONSTRAINTS_check(cert, constraints.get());
  if (verdict != X509_V_OK) {
    return fail(std::string("outside the root CA's permitted names (") +
                X509_verify_cert_error_string(verdict) + ")");
  }
  if (X509_get_ext_by_NID(cert, NID_subject_alt_name, -1) < 0) {
    const int cn = NAME_CONSTRAINTS_check_CN(cert, constraints.get());
    if (cn != X509_V_OK) {
      return fail(std::string("its common name is outside the root CA's permitted names (") +
                  X509_verify_cert_error_string(cn) + ")");
    }
  }
  return {};
}

}  // namespace nanbyo::pki
