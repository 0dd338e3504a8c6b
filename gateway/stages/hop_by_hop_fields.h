// The fields that are hop-by-hop whatever Connection says (RFC 9110 7.6.1), for both
// directions: the request's (hop_by_hop.h) and the upstream response's
// (upstream_response.h). Beast's field header only, so the fuzzers' clang build uses it.
#pragma once

#include <boost/beast/http/field.hpp>

namespace nanbyo::gw {

inline bool always_hop_by_hop(boost::beast::http::field f) {
  using boost::beast::http::field;
  switch (f) {
    case field::connection:
    case field::keep_alive:
    case field::proxy_connection:
    case field::proxy_authorization:
    case field::te:
    case field::trailer:
    case field::upgrade:
      return true;
    default:
      return false;
  }
}

}  // namespace nanbyo::gw
