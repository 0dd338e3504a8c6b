#include "gateway/stages/http_hygiene.h"

#include "gateway/stages/ascii_case.h"
#include "gateway/stages/host_header.h"

namespace nanbyo::gw {
namespace {

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// How many times `field` occurs, and its last value (trimmed).
struct Occurrences {
  std::size_t count = 0;
  std::string_view value;
};

Occurrences occurrences(const Request& request, http::field field) {
  Occurrences found;
  for (auto it = request.find(field); it != request.end() && it->name() == field; ++it) {
    ++found.count;
    found.value = trimmed(std::string_view(it->value().data(), it->value().size()));
  }
  return found;
}

StageVerdict check_host(const Request& request) {
  const auto [count, value] = occurrences(request, http::field::host);
  if (count > 1) {
    return StageVerdict::refuse(http::status::bad_request, "bad-host",
                                std::to_string(count) + " Host headers", true);
  }
  if (count == 0) {
    if (request.version() >= 11) {
      return StageVerdict::refuse(http::status::bad_request, "bad-host",
                                  "an HTTP/1.1 request without Host", true);
    }
    return {};
  }
  if (!valid_host_header(value)) {
    return StageVerdict::refuse(http::status::bad_request, "bad-host",
                                "Host is not a host name or address with an optional port", true);
  }
  return {};
}

StageVerdict check_transfer_encoding(const Request& request) {
  const auto [count, value] = occurrences(request, http::field::transfer_encoding);
  if (count == 0) return {};
  if (count > 1 || !equals_ignoring_case(value, "chunked") || request.version() < 11) {
    return StageVerdict::refuse(http::status::bad_request, "bad-transfer-encoding",
                                "Transfer-Encoding other than a single \"chunked\" on HTTP/1.1",
                                true);
  }
  // Both framings at once is how requests are smuggled past a proxy (RFC 9112 6.1).
  if (request.find(http::field::content_length) != request.end()) {
    return StageVerdict::refuse(http::status::bad_request, "bad-transfer-encoding",
                                "Transfer-Encoding together with Content-Length", true);
  }
  return {};
}

}  // namespace

StageVerdict HttpHygiene::run(RequestView& view) const {
  Request& request = view.request;
  if (request.method() == http::verb::trace || request.method_string() == "TRACK") {
    return StageVerdict::refuse(http::status::method_not_allowed, "method-not-allowed",
                                std::string(request.method_string()) + " is not served", true);
  }
  if (StageVerdict v = check_host(request); !v.proceed) return v;
  if (StageVerdict v = check_transfer_encoding(request); !v.proceed) return v;
  for (auto it = request.begin(); it != request.end();) {
    const auto name = it->name_string();
    if (name.find('_') == beast::string_view::npos) {
      ++it;
      continue;
    }
    view.dropped.emplace_back(name.data(), name.size());
    it = request.erase(it);
  }
  return {};
}

}  // namespace nanbyo::gw
