// The per-hospital media of O-1: the PCs' PKCS#12 files, the CA chain, VPN
// client profiles (openconnect and AnyConnect) and a Japanese README. PKCS#12
// passwords are not in the media: they are printed once at issuance and
// delivered separately.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "pki/certificate_authority.h"
#include "pki/result.h"

namespace nanbyo::pki {

struct BundleOptions {
  std::string hospital;           // 医療機関番号
  std::string server;             // gateway host[:port] as the PCs reach it
  std::filesystem::path out_dir;  // default: <ca>/bundles; the bundle is <out_dir>/<hospital>
};

struct Bundle {
  std::filesystem::path dir;
  std::vector<std::string> terminals;
};

Result<Bundle> make_hospital_bundle(CertificateAuthority& ca, const BundleOptions& options);

}  // namespace nanbyo::pki
