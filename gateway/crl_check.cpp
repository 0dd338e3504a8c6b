#include "gateway/crl_check.h"

namespace nanbyo::gw {
namespace {

struct LoadedCrl {
  ossl::X509CrlPtr crl;
  ossl::X509Ptr signer;        // the CA certificate whose key verified the signature at load
  int load_error = X509_V_OK;  // a CRL no handshake may use, and why
};

struct CrlSet {
  std::vector<LoadedCrl> crls;
};

void free_crl_set(void*, void* ptr, CRYPTO_EX_DATA*, int, long, void*) {
  delete static_cast<CrlSet*>(ptr);  // the owning X509_STORE is being freed
}

int crl_set_index() {
  static const int index = X509_STORE_get_ex_new_index(0, nullptr, nullptr, nullptr, free_crl_set);
  return index;
}

// Critical extensions OpenSSL would refuse as unhandled, and scoped CRLs (an
// issuingDistributionPoint: nanbyo-pki never issues one) are refused: fail closed.
int usability_error(X509_CRL* crl) {
  for (int i = 0; i < X509_CRL_get_ext_count(crl); ++i) {
    X509_EXTENSION* ext = X509_CRL_get_ext(crl, i);
    const int nid = OBJ_obj2nid(X509_EXTENSION_get_object(ext));
    if (nid == NID_issuing_distribution_point || nid == NID_delta_crl) {
      return X509_V_ERR_UNABLE_TO_GET_CRL;
    }
    if (X509_EXTENSION_get_critical(ext) && nid != NID_crl_number &&
        nid != NID_authority_key_identifier) {
      return X509_V_ERR_UNHANDLED_CRITICAL_CRL_EXTENSION;
    }
  }
  return X509_V_OK;
}

int time_error(X509_CRL* crl) {
  const int last = X509_cmp_current_time(X509_CRL_get0_lastUpdate(crl));
  if (last == 0) return X509_V_ERR_ERROR_IN_CRL_LAST_UPDATE_FIELD;
  if (last > 0) return X509_V_ERR_CRL_NOT_YET_VALID;
  if (const ASN1_TIME* next = X509_CRL_get0_nextUpdate(crl)) {
    const int n = X509_cmp_current_time(next);
    if (n == 0) return X509_V_ERR_ERROR_IN_CRL_NEXT_UPDATE_FIELD;
    if (n < 0) return X509_V_ERR_CRL_HAS_EXPIRED;
  }
  return X509_V_OK;
}

// The verdict on `cert` (issued by `issuer`): the newest usable CRL of that issuer decides;
// without one, the reason none was usable.
int check_certificate(const CrlSet& set, X509* cert, X509* issuer) {
  const LoadedCrl* best = nullptr;
  int error = X509_V_ERR_UNABLE_TO_GET_CRL;
  for (const auto& c : set.crls) {
    if (X509_NAME_cmp(X509_CRL_get_issuer(c.crl.get()), X509_get_subject_name(issuer)) != 0) {
      continue;
    }
    int e = c.load_error;
    // Verified at load by this very CA certificate, or (an issuer outside the trust
    // bundle, sent by the client) verified now, as OpenSSL would.
    if (e == X509_V_OK && !(c.signer && X509_cmp(c.signer.get(), issuer) == 0) &&
        X509_CRL_verify(c.crl.get(), X509_get0_pubkey(issuer)) != 1) {
      e = X509_V_ERR_CRL_SIGNATURE_FAILURE;
    }
    if (e == X509_V_OK) e = time_error(c.crl.get());
    if (e != X509_V_OK) {
      if (error == X509_V_ERR_UNABLE_TO_GET_CRL) error = e;
      continue;
    }
    if (!best || ASN1_TIME_compare(X509_CRL_get0_lastUpdate(best->crl.get()),
                                   X509_CRL_get0_lastUpdate(c.crl.get())) < 0) {
      best = &c;
    }
  }
  if (!best) return error;
  X509_REVOKED* entry = nullptr;
  // 2 means listed with reason removeFromCRL: not revoked.
  return X509_CRL_get0_by_cert(best->crl.get(), &entry, cert) == 1 ? X509_V_ERR_CERT_REVOKED
                                                                   : X509_V_OK;
}

// X509_STORE check_revocation hook: every certificate of the chain, root included
// (CRL_CHECK_ALL), reported through the verify callback like OpenSSL's own check.
int check_revocation(X509_STORE_CTX* ctx) {
  const auto* set = static_cast<const CrlSet*>(
      X509_STORE_get_ex_data(X509_STORE_CTX_get0_store(ctx), crl_set_index()));
  if (!set) return 1;
  STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(ctx);
  const int n = sk_X509_num(chain);
  for (int i = 0; i < n; ++i) {
    X509* cert = sk_X509_value(chain, i);
    X509* issuer = i + 1 < n ? sk_X509_value(chain, i + 1) : cert;
    const int error = (i + 1 < n || X509_check_issued(cert, cert) == X509_V_OK)
                          ? check_certificate(*set, cert, issuer)
                          : X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER;
    if (error == X509_V_OK) continue;
    X509_STORE_CTX_set_error_depth(ctx, i);
    X509_STORE_CTX_set_current_cert(ctx, cert);
    X509_STORE_CTX_set_error(ctx, error);
    if (!X509_STORE_CTX_get_verify_cb(ctx)(0, ctx)) return 0;
  }
  return 1;
}

}  // namespace

void install_crl_check(X509_STORE* store, const std::vector<ossl::X509Ptr>& cas,
                       std::vector<ossl::X509CrlPtr> crls) {
  auto set = std::make_unique<CrlSet>();
  for (auto& crl : crls) {
    LoadedCrl loaded{std::move(crl), nullptr, X509_V_OK};
    loaded.load_error = usability_error(loaded.crl.get());
    bool named = false;
    for (const auto& ca : cas) {
      if (X509_NAME_cmp(X509_CRL_get_issuer(loaded.crl.get()), X509_get_subject_name(ca.get()))) {
        continue;
      }
      named = true;
      if (X509_CRL_verify(loaded.crl.get(), X509_get0_pubkey(ca.get())) == 1) {
        X509_up_ref(ca.get());
        loaded.signer.reset(ca.get());
        break;
      }
    }
    // A CRL in the name of a trusted CA that none of its keys signed is never usable.
    if (named && !loaded.signer && loaded.load_error == X509_V_OK) {
      loaded.load_error = X509_V_ERR_CRL_SIGNATURE_FAILURE;
    }
    set->crls.push_back(std::move(loaded));
  }
  X509_STORE_set_ex_data(store, crl_set_index(), set.release());
  X509_STORE_set_check_revocation(store, check_revocation);
}

}  // namespace nanbyo::gw
