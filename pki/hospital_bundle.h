// The per-hospital media of O-1: the PCs' PKCS#12 files, VPN client profiles
// (openconnect and AnyConnect) and a Japanese README. PKCS#12 passwords are not
// in the media: they are printed once at issuance and delivered separately.
//
// Issue 13: the PKCS#12 files move onto the media; once the media directory is
// complete the CA deletes its copies (and the PCs' key files) and forgets them,
// so the CA directory keeps no PC's private key. The hospital is not asked to
// trust the private root for the server (S-4: the gateway shows a public CA's
// certificate); only with private_server_ca does the media carry the root, as
// server-ca.crt for the VPN client, and only when the root is name-constrained.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "pki/certificate_authority.h"
#include "pki/result.h"

namespace nanbyo::pki {

struct BundleOptions {
  std::string hospital;            // 医療機関番号
  std::string server;              // gateway host[:port] as the PCs reach it
  std::filesystem::path out_dir;   // default: <ca>/bundles; the bundle is <out_dir>/<hospital>
  bool private_server_ca = false;  // the gateway's certificate comes from this CA's root
  // What the gateway's policy routes through the VPN (vpn.mode, issue 15), which the README
  // must state truly: full, the PC reaches nothing but the system while connected (S-6);
  // split, only the service's traffic enters the tunnel and the PC keeps its other access.
  bool full_tunnel = true;
};

struct Bundle {
  std::filesystem::path dir;
  std::vector<std::string> terminals;
  std::vector<std::string> leftovers;  // PC key files the CA could not delete (say so)
};

Result<Bundle> make_hospital_bundle(CertificateAuthority& ca, const BundleOptions& options);

}  // namespace nanbyo::pki
