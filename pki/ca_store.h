// The CA's state in SQLite: issued certificates with status, revocation
// reason and times; CRL numbers; an event trail of every PKI decision.
#pragma once

#include <SQLiteCpp/Database.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pki/result.h"

namespace nanbyo::pki {

struct CertificateRecord {
  std::string serial;  // canonical hex (names.h)
  std::string kind;    // root-ca | issuing-ca | server | client
  std::string subject;
  std::string hospital;                          // client only
  std::string terminal;                          // client only
  std::string not_before, not_after, issued_at;  // ISO 8601 UTC
  std::string status = "valid";                  // valid | revoked
  std::string revoked_at;
  int reason = 0;
  std::string pem;
  std::string pkcs12_path;  // client certificates issued with a key
};

struct CertificateFilter {
  std::string hospital;  // empty = all
  std::string kind;      // empty = all
};

class CaStore {
 public:
  // Opens an existing database; `create` makes a new one (init only).
  static Result<CaStore> open(const std::filesystem::path& path, bool create);

  // Runs `work` inside BEGIN IMMEDIATE ... COMMIT; any failure rolls back.
  Result<void> write(const std::function<Result<void>()>& work);

  Result<void> insert(const CertificateRecord& record);
  Result<std::optional<CertificateRecord>> find(const std::string& serial);
  Result<std::vector<CertificateRecord>> list(const CertificateFilter& filter);
  Result<void> mark_revoked(const std::string& serial, int reason, const std::string& at);
  // The PC's PKCS#12 went onto the hospital's media and the CA no longer keeps it (issue 13).
  Result<void> forget_pkcs12(const std::string& serial);
  Result<int64_t> next_crl_number(const std::string& issuer);
  Result<void> log_event(const std::string& at, const std::string& action,
                         const std::string& serial, const std::string& detail);
  Result<std::string> meta(const std::string& key);
  Result<void> set_meta(const std::string& key, const std::string& value);

  SQLite::Database& database() { return *db_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  CaStore(std::filesystem::path path, std::unique_ptr<SQLite::Database> db)
      : path_(std::move(path)), db_(std::move(db)) {}
  template <typename F>
  auto guarded(F&& f) -> decltype(f());

  std::filesystem::path path_;
  std::unique_ptr<SQLite::Database> db_;
};

}  // namespace nanbyo::pki
