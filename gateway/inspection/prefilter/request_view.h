// A request as the engine's variables see it, for the requests the prefilter can model
// exactly (issue 14 part 4): no body, HTTP/1.x, printable 7-bit header values, an origin-
// form target without percent-escapes or '+', and query and cookie strings in plain
// name=value form. Any other request goes to the engine whole.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nanbyo::gw::prefilter {

// What the gateway hands over: the request as received.
struct HttpInput {
  std::string_view method;
  std::string_view target;
  int version = 11;  // 10 or 11
  std::vector<std::pair<std::string_view, std::string_view>> headers;
  std::string_view body;
  std::string_view remote_address;
};

// The engine's variables the prefilter models; Empty: known to hold nothing without a
// body; Tx: the rules' own variables; MatchedVar(s): a chain's earlier matches; Unknown:
// anything else.
enum class Coll : std::uint8_t {
  RequestMethod,
  RequestProtocol,
  RequestLine,
  RequestUri,
  RequestUriRaw,
  RequestFilename,
  RequestBasename,
  QueryString,
  RemoteAddr,
  ArgsCombinedSize,
  Args,
  ArgsNames,
  Headers,
  HeaderNames,
  Cookies,
  CookieNames,
  Empty,
  Tx,
  MatchedVars,  // what the earlier links of the rule matched, transformed
  MatchedVar,   // the last of them
  Unknown,
};
inline constexpr int kModelledCollections = static_cast<int>(Coll::Empty);

// The collection a rule's variable names ("REQUEST_HEADERS", case-insensitive).
Coll collection_named(std::string_view name);

struct Instance {
  std::string key;  // the argument, header or cookie name; "" for a single value
  std::string value;
};

class RequestView {
 public:
  // nullopt: the request is outside what the prefilter models.
  static std::optional<RequestView> of(const HttpInput& input);

  const std::vector<Instance>& in(Coll c) const { return colls_[static_cast<int>(c)]; }
  // The value of a header, case-insensitive; nullptr when absent.
  const std::string* header(std::string_view name) const;

 private:
  std::vector<Instance> colls_[kModelledCollections];
};

}  // namespace nanbyo::gw::prefilter
