#include "gateway/runtime_builder.h"

#include "gateway/geoip/country_db.h"
#include "gateway/inspection/inspector.h"
#include "gateway/ips_enforcement.h"
#include "gateway/tls_context.h"
#include "gateway/vpn_state.h"
#include "pki/atomic_file.h"
#include "pki/names.h"
#include "pki/pem.h"

namespace nanbyo::gw {

Result<std::shared_ptr<const Runtime>> build_runtime(std::shared_ptr<const policy::Policy> policy,
                                                     const Runtime* previous) {
  auto runtime = std::make_shared<Runtime>();
  for (const auto& listener : policy->listeners) {
    TlsSettings settings{listener.tls.certificate,
                         listener.tls.private_key,
                         listener.tls.client_ca,
                         listener.tls.crl,
                         listener.tls.min_version == policy::TlsVersion::Tls12,
                         listener.client_certificate};
    auto context = make_server_context(settings);
    if (!context) return fail("listener " + listener.name + ": " + context.error().message);
    runtime->tls[listener.name] = std::move(context.value());
  }
  if (policy->vpn) {
    NANBYO_TRY(profile, build_vpn_profile(*policy->vpn));
    runtime->vpn = std::move(profile);
  }
  runtime->ips = ips_settings_of(*policy);
  runtime->tunnel_scans = tunnel_scan_limits_of(*policy);
  if (policy->geoip) {
    NANBYO_TRY(countries, CountryDb::open(policy->geoip->database));
    runtime->geoip = std::move(countries);
  }
  NANBYO_TRY(inspector, Inspector::build(*policy, previous ? previous->inspector : nullptr));
  runtime->inspector = std::move(inspector);
  runtime->policy = std::move(policy);
  return std::shared_ptr<const Runtime>(std::move(runtime));
}

Result<std::set<std::string>> revoked_serials(const policy::Policy& policy) {
  std::set<std::string> serials;
  std::set<std::filesystem::path> files;
  for (const auto& listener : policy.listeners) {
    if (!listener.tls.crl.empty()) files.insert(listener.tls.crl);
  }
  if (policy.ipsec) files.insert(policy.ipsec->crl);  // charon's CRL (S-10)
  for (const auto& file : files) {
    NANBYO_TRY(text, read_file(file, 64 << 20));
    NANBYO_TRY(crls, pem::decode_crls(text, file.string()));
    for (const auto& crl : crls) {
      STACK_OF(X509_REVOKED)* revoked = X509_CRL_get_REVOKED(crl.get());
      for (int i = 0; i < sk_X509_REVOKED_num(revoked); ++i) {
        const ASN1_INTEGER* serial =
            X509_REVOKED_get0_serialNumber(sk_X509_REVOKED_value(revoked, i));
        ossl::BignumPtr bn(ASN1_INTEGER_to_BN(serial, nullptr));
        char* hex = BN_bn2hex(bn.get());
        serials.insert(hex);
        OPENSSL_free(hex);
      }
    }
  }
  return serials;
}

}  // namespace nanbyo::gw
