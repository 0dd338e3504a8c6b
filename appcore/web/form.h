// application/x-www-form-urlencoded bodies and query strings, with limits:
// the only form encoding the screens post (uploads go as a raw body, see
// routes_import.cpp), so there is no multipart parser to harden.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace nanbyo::web {

class FormData {
 public:
  // Refuses malformed percent escapes, more than `max_fields` fields, and a
  // name that appears twice (a second value is ambiguous, so it is an error).
  static std::optional<FormData> parse(std::string_view encoded, std::size_t max_fields = 200);

  // "" when absent.
  const std::string& get(const std::string& name) const;
  bool has(const std::string& name) const { return fields_.count(name) > 0; }
  const std::map<std::string, std::string>& fields() const { return fields_; }

 private:
  std::map<std::string, std::string> fields_;
};

// Percent-decoding with '+' as space; nullopt on a broken escape.
std::optional<std::string> url_decode(std::string_view text);
std::string url_encode(std::string_view text);

// The path and query of a request target, split at the first '?'.
struct Target {
  std::string path;
  std::string query;
};
Target split_target(std::string_view target);

}  // namespace nanbyo::web
