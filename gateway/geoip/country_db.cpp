#include "gateway/geoip/country_db.h"

#include <maxminddb.h>

#include <algorithm>

namespace nanbyo::gw {
namespace {

bool local_address(const asio::ip::address& address) {
  if (address.is_loopback()) return true;
  if (address.is_v4()) {
    const auto b = address.to_v4().to_bytes();
    return b[0] == 10 || (b[0] == 172 && (b[1] & 0xF0) == 16) || (b[0] == 192 && b[1] == 168) ||
           (b[0] == 169 && b[1] == 254);
  }
  const auto v6 = address.to_v6();
  if (v6.is_v4_mapped()) {
    return local_address(asio::ip::make_address_v4(asio::ip::v4_mapped, v6));
  }
  const auto b = v6.to_bytes();
  return v6.is_link_local() || (b[0] & 0xFE) == 0xFC;  // fe80::/10, fc00::/7
}

}  // namespace

CountryDb::~CountryDb() {
  if (db_) MMDB_close(db_.get());
}

Result<std::shared_ptr<const CountryDb>> CountryDb::open(const std::filesystem::path& file) {
  auto db = std::shared_ptr<CountryDb>(new CountryDb());
  db->db_ = std::make_unique<MMDB_s>();
  if (int rc = MMDB_open(file.c_str(), MMDB_MODE_MMAP, db->db_.get()); rc != MMDB_SUCCESS) {
    db->db_.reset();
    return fail("cannot open the GeoIP database " + file.string() + ": " + MMDB_strerror(rc));
  }
  return std::shared_ptr<const CountryDb>(std::move(db));
}

std::optional<std::string> CountryDb::country(const asio::ip::address& address) const {
  // The address as a sockaddr, as the connection has it: no text round trip per connection.
  const asio::ip::tcp::endpoint endpoint(address, 0);
  int mmdb_error = 0;
  MMDB_lookup_result_s result = MMDB_lookup_sockaddr(db_.get(), endpoint.data(), &mmdb_error);
  if (mmdb_error != MMDB_SUCCESS || !result.found_entry) return std::nullopt;
  MMDB_entry_data_s data;
  if (MMDB_get_value(&result.entry, &data, "country", "iso_code", nullptr) != MMDB_SUCCESS ||
      !data.has_data || data.type != MMDB_DATA_TYPE_UTF8_STRING) {
    return std::nullopt;
  }
  return std::string(data.utf8_string, data.data_size);
}

CountryVerdict judge_country(const CountryDb& db, const std::vector<std::string>& allowed,
                             const asio::ip::address& address) {
  const auto found = db.country(address);
  CountryVerdict v{true, found.value_or("unknown")};
  if (std::find(allowed.begin(), allowed.end(), "*") != allowed.end()) return v;
  if (!found) {
    v.allowed = local_address(address);
    return v;
  }
  static const std::vector<std::string> japan{"JP"};
  const auto& list = allowed.empty() ? japan : allowed;
  v.allowed = std::find(list.begin(), list.end(), *found) != list.end();
  return v;
}

}  // namespace nanbyo::gw
