#include "pki/names.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

namespace nanbyo::pki {
namespace {

constexpr std::string_view kOrganization = "Nanbyo-Shoman DB";

void add_entry(X509_NAME* name, int nid, std::string_view value) {
  X509_NAME_add_entry_by_NID(name, nid, MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(value.data()),
                             static_cast<int>(value.size()), -1, 0);
}

std::string entry_text(X509_NAME* name, int nid) {
  int index = X509_NAME_get_index_by_NID(name, nid, -1);
  if (index < 0) return {};
  ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
  unsigned char* utf8 = nullptr;
  int len = ASN1_STRING_to_UTF8(&utf8, data);
  if (len < 0) return {};
  std::string out(reinterpret_cast<char*>(utf8), static_cast<std::size_t>(len));
  OPENSSL_free(utf8);
  return out;
}

}  // namespace

Result<void> validate_hospital_number(std::string_view number) {
  bool digits =
      std::all_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (number.size() != 10 || !digits) {
    return fail("hospital number must be the 10-digit 医療機関番号, got '" + std::string(number) +
                "'");
  }
  return {};
}

Result<void> validate_terminal_name(std::string_view name) {
  bool allowed = std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
  if (name.empty() || name.size() > 32 || !allowed) {
    return fail("terminal name must be 1-32 characters of A-Z a-z 0-9 . _ -, got '" +
                std::string(name) + "'");
  }
  return {};
}

Result<void> validate_dns_name(std::string_view name) {
  auto bad = [&] { return fail("not a valid DNS name: '" + std::string(name) + "'"); };
  if (name.empty() || name.size() > 253) return bad();
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t end = name.find('.', start);
    if (end == std::string_view::npos) end = name.size();
    std::string_view label = name.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
      return bad();
    for (char c : label) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return bad();
    }
    start = end + 1;
  }
  return {};
}

Result<void> validate_ip_address(std::string_view address) {
  std::string text(address);
  unsigned char buf[16];
  if (inet_pton(AF_INET, text.c_str(), buf) == 1 || inet_pton(AF_INET6, text.c_str(), buf) == 1) {
    return {};
  }
  return fail("not a valid IP address: '" + text + "'");
}

ossl::X509NamePtr ca_subject(std::string_view common_name) {
  ossl::X509NamePtr name(X509_NAME_new());
  add_entry(name.get(), NID_countryName, "JP");
  add_entry(name.get(), NID_organizationName, kOrganization);
  add_entry(name.get(), NID_commonName, common_name);
  return name;
}

ossl::X509NamePtr server_subject(std::string_view common_name) {
  return ca_subject(common_name);
}

ossl::X509NamePtr client_subject(const ClientIdentity& identity) {
  ossl::X509NamePtr name(X509_NAME_new());
  add_entry(name.get(), NID_countryName, "JP");
  add_entry(name.get(), NID_organizationName, kOrganization);
  add_entry(name.get(), NID_organizationIdentifier, identity.hospital_number);
  add_entry(name.get(), NID_commonName, identity.terminal);
  return name;
}

Result<ClientIdentity> client_identity(X509* cert) {
  X509_NAME* name = X509_get_subject_name(cert);
  ClientIdentity id{entry_text(name, NID_organizationIdentifier), entry_text(name, NID_commonName)};
  if (!validate_hospital_number(id.hospital_number)) {
    return fail("client certificate carries no valid 医療機関番号 (organizationIdentifier)");
  }
  if (!validate_terminal_name(id.terminal)) {
    return fail("client certificate carries no valid terminal name (CN)");
  }
  return id;
}

std::string serial_hex(X509* cert) {
  ossl::BignumPtr bn(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr));
  char* hex = BN_bn2hex(bn.get());
  std::string out(hex);
  OPENSSL_free(hex);
  return out;
}

Result<std::string> normalize_serial(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == ':') continue;
    if (!std::isxdigit(static_cast<unsigned char>(c))) {
      return fail("serial must be hexadecimal, got '" + std::string(text) + "'");
    }
    out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  out.erase(0, std::min(out.find_first_not_of('0'), out.size() ? out.size() - 1 : 0));
  if (out.empty() || out.size() > 40) {
    return fail("serial must be 1-40 hexadecimal digits, got '" + std::string(text) + "'");
  }
  return out;
}

std::string subject_text(X509* cert) {
  ossl::BioPtr bio(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(bio.get(), X509_get_subject_name(cert), 0,
                     XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

}  // namespace nanbyo::pki
