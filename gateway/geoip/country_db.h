// GeoIP (issue 14): the country of a source address from a MaxMind DB file (libmaxminddb),
// and the listener's country allow-list. Opened with the Runtime snapshot, so a reload
// reads a replaced file; lookups are read-only and safe from every worker.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gateway/asio.h"
#include "pki/result.h"

struct MMDB_s;

namespace nanbyo::gw {

class CountryDb {
 public:
  static Result<std::shared_ptr<const CountryDb>> open(const std::filesystem::path& file);
  ~CountryDb();
  CountryDb(const CountryDb&) = delete;
  CountryDb& operator=(const CountryDb&) = delete;

  // "JP", or nothing when the database does not know the address.
  std::optional<std::string> country(const asio::ip::address& address) const;

 private:
  CountryDb() = default;
  std::unique_ptr<MMDB_s> db_;
};

struct CountryVerdict {
  bool allowed = true;
  std::string country;  // as found, or "unknown"
};

// Whether `address` may connect to a listener with `allowed` (policy: empty means JP,
// "*" any). An address the database does not know passes only when it is private,
// loopback or link-local (a hospital network behind the appliance); a public one is
// refused: an allow-list that unknown addresses pass would allow anyone it misses.
CountryVerdict judge_country(const CountryDb& db, const std::vector<std::string>& allowed,
                             const asio::ip::address& address);

}  // namespace nanbyo::gw
