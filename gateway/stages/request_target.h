// The path of a request target as the router and the upstream will both read it (issue 14).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace nanbyo::gw {

struct NormalizedTarget {
  std::string path;    // what routes match: the decoded path, no query
  std::string target;  // what the upstream gets: the decoded path and the query as sent
};

// An origin-form target with percent-escapes of unreserved characters (RFC 3986 2.3:
// letters, digits, "-", "_", "~") decoded, so "/%61dmin" is "/admin" to the router and
// to an upstream that decodes. Refused (nullopt): not origin-form, a fragment, a
// backslash, a malformed escape, an encoded ".", "/", "\" or NUL (their meaning differs
// between servers: refused rather than guessed), empty, "." or ".." segments (a trailing
// "/" is allowed).
std::optional<NormalizedTarget> normalize_target(std::string_view target);

}  // namespace nanbyo::gw
