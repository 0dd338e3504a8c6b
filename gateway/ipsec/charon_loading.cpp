#include "gateway/ipsec/charon_loading.h"

#include <openssl/evp.h>

#include "gateway/ipsec/charon_config.h"
#include "pki/atomic_file.h"
#include "pki/pem.h"
#include "pki/secret.h"
#include "service/credentials.h"

namespace nanbyo::ipsec {

using gw::awaitable;

namespace {

// charon's name for the key type of a PEM private key.
Result<std::string> charon_key_type(std::string_view pem) {
  NANBYO_TRY(key, pem::decode_private_key(pem, "ipsec.private_key"));
  switch (EVP_PKEY_get_base_id(key.get())) {
    case EVP_PKEY_EC:
      return std::string("ecdsa");
    case EVP_PKEY_RSA:
      return std::string("rsa");
    case EVP_PKEY_ED25519:
      return std::string("ed25519");
    default:
      return fail("ipsec.private_key: a key type charon cannot use");
  }
}

Result<std::string> read_pem(const std::filesystem::path& file) {
  return read_file(file, 4 << 20);
}

}  // namespace

// Named requests rather than temporaries inside co_await (g++ 12 destroys some twice).
awaitable<Result<void>> load_crl(ViciClient& vici, const policy::Ipsec& config) {
  auto text = read_pem(config.crl);
  if (!text) co_return text.error();
  const auto crls = pem_blocks(*text, "X509 CRL");
  if (crls.empty()) co_return fail("ipsec.crl: no CRL in " + config.crl.string());
  for (const auto& crl : crls) {
    ViciSection request = load_crl_message(crl);
    auto loaded = co_await vici.command("load-cert", std::move(request));
    if (!loaded) co_return loaded.error();
  }
  // charon's revocation check takes the first valid CRL it finds, and its certificate cache
  // (searched first) still holds the one it verified last: without the flush a revoked
  // certificate would pass until that copy is evicted.
  ViciSection flush = flush_certs_message("X509_CRL");
  if (auto flushed = co_await vici.command("flush-certs", std::move(flush)); !flushed) {
    co_return flushed.error();
  }
  co_return co_await forget_ocsp_answers(vici);
}

awaitable<Result<void>> forget_ocsp_answers(ViciClient& vici) {
  ViciSection flush = flush_certs_message("OCSP_RESPONSE");
  if (auto flushed = co_await vici.command("flush-certs", std::move(flush)); !flushed) {
    co_return flushed.error();
  }
  co_return Result<void>{};
}

awaitable<Result<void>> load_everything(ViciClient& vici, const policy::Ipsec& config,
                                        const OcspSetup* ocsp) {
  auto ca_text = read_pem(config.client_ca);
  if (!ca_text) co_return ca_text.error();
  const auto cas = pem_blocks(*ca_text, "CERTIFICATE");
  if (cas.empty())
    co_return fail("ipsec.client_ca: no certificate in " + config.client_ca.string());
  for (const auto& ca : cas) {
    ViciSection request = load_ca_message(ca);
    auto loaded = co_await vici.command("load-cert", std::move(request));
    if (!loaded) co_return loaded.error();
  }
  if (ocsp != nullptr) {
    ViciSection signer = load_ocsp_signer_message(ocsp->signer_pem);
    if (auto loaded = co_await vici.command("load-cert", std::move(signer)); !loaded) {
      co_return loaded.error();
    }
    for (std::size_t i = 0; i < cas.size(); ++i) {
      ViciSection authority =
          load_authority_message(config.name + "-ca" + std::to_string(i), cas[i], ocsp->uri);
      auto loaded = co_await vici.command("load-authority", std::move(authority));
      if (!loaded) co_return loaded.error();
    }
  }
  auto cert = read_pem(config.certificate);
  if (!cert) co_return cert.error();
  {
    // The key goes over the socket and is wiped here; charon keeps it in memory only.
    auto key_file = service::resolve_credential_path(config.private_key.string());
    if (!key_file) co_return key_file.error();
    auto key_text = read_file(*key_file, 1 << 20);
    if (!key_text) co_return key_text.error();
    Secret key(std::move(*key_text));
    auto type = charon_key_type(key.view());
    if (!type) co_return type.error();
    ViciSection request = load_key_message(*type, std::string(key.view()));
    auto loaded = co_await vici.command("load-key", std::move(request));
    if (!loaded) co_return loaded.error();
  }
  if (auto crl = co_await load_crl(vici, config); !crl) co_return crl.error();
  ViciSection pool = load_pool_message(config);
  if (auto loaded = co_await vici.command("load-pool", std::move(pool)); !loaded) {
    co_return loaded.error();
  }
  ViciSection conn = load_conn_message(config, *cert, cas);
  if (auto loaded = co_await vici.command("load-conn", std::move(conn)); !loaded) {
    co_return loaded.error();
  }
  co_return Result<void>{};
}

}  // namespace nanbyo::ipsec
