// Signed CRLs that strongSwan and OpenSSL both accept: every CRL carries an
// authorityKeyIdentifier (strongSwan ignores a CRL without it) and a strictly
// increasing cRLNumber (strongSwan keeps the old CRL otherwise).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pki/clock.h"
#include "pki/key_signer.h"
#include "pki/result.h"

namespace nanbyo::pki {

struct RevokedEntry {
  std::string serial;  // canonical hex
  TimePoint revoked_at;
  int reason = 0;
};

struct CrlSpec {
  int64_t number = 0;
  TimePoint this_update;
  TimePoint next_update;
  std::vector<RevokedEntry> revoked;
};

Result<ossl::X509CrlPtr> build_crl(const CrlSpec& spec, KeySigner& issuer);

}  // namespace nanbyo::pki
