#include "gateway/stages/hop_by_hop.h"

#include <string>
#include <vector>

namespace nanbyo::gw {

void strip_hop_by_hop(http::fields& fields) {
  // Headers named in Connection are hop-by-hop too (RFC 9110 7.6.1).
  std::vector<std::string> named;
  for (auto it = fields.find(http::field::connection);
       it != fields.end() && it->name() == http::field::connection; ++it) {
    std::string value(it->value());
    std::size_t start = 0;
    while (start < value.size()) {
      auto end = value.find(',', start);
      if (end == std::string::npos) end = value.size();
      std::string token = value.substr(start, end - start);
      token.erase(0, token.find_first_not_of(" \t"));
      token.erase(token.find_last_not_of(" \t") + 1);
      if (!token.empty()) named.push_back(token);
      start = end + 1;
    }
  }
  for (const auto& name : named) fields.erase(name);
  for (auto f : {http::field::connection, http::field::keep_alive, http::field::proxy_connection,
                 http::field::proxy_authorization, http::field::te, http::field::trailer,
                 http::field::upgrade}) {
    fields.erase(f);
  }
}

}  // namespace nanbyo::gw
