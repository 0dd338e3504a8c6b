#include "gateway/stages/hop_by_hop.h"

#include <algorithm>
#include <string>
#include <vector>

#include "gateway/stages/hop_by_hop_fields.h"

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
  // One pass, erasing by iterator: cheaper than a search per name on every request.
  for (auto it = fields.begin(); it != fields.end();) {
    const auto name = it->name_string();
    const bool drop = always_hop_by_hop(it->name()) ||
                      std::any_of(named.begin(), named.end(),
                                  [&](const std::string& n) { return beast::iequals(name, n); });
    it = drop ? fields.erase(it) : std::next(it);
  }
}

}  // namespace nanbyo::gw
