// The dates operators alert on (issue 17, O-2): when each listener's server certificate and
// the CAs its clients chain to expire, and when each CRL file's CRLs must be replaced. Read
// at scrape time: the certificates from the TLS contexts in use, the CRLs from the files the
// CRL watcher loads (a CRL past its nextUpdate makes every handshake fail).
#pragma once

#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "gateway/services.h"

namespace nanbyo::gw {

struct CertificateDate {
  std::string role;      // "server" | "ca"
  std::string listener;  // the listener (or "ipsec") using it
  std::string subject;   // RFC 2253
  int64_t not_after_unix = 0;
};

struct CrlDate {
  std::string file;
  std::string issuer;            // RFC 2253
  int64_t next_update_unix = 0;  // 0 when the CRL has none
};

// Every CRL file the policy names: the listeners' and IPsec's.
std::set<std::filesystem::path> crl_files(const policy::Policy& policy);

// The server certificate and the trust anchors of every listener of `runtime`.
std::vector<CertificateDate> certificate_dates(const Runtime& runtime);
// A file that cannot be read contributes nothing (the CRL watcher reports it).
std::vector<CrlDate> crl_dates(const std::set<std::filesystem::path>& files);

}  // namespace nanbyo::gw
