#include "gateway/inspection/prefilter/request_view.h"

#include <algorithm>

#include "gateway/inspection/prefilter/ascii.h"

namespace nanbyo::gw::prefilter {

namespace {

bool token_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("!#$&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool printable_value(std::string_view v) {
  return std::all_of(v.begin(), v.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u >= 0x20 && u <= 0x7e) || u == '\t';
  });
}

// Splits on `separator`; every piece must be "name=value" with a non-empty name.
std::optional<std::vector<Instance>> pairs(std::string_view text, char separator) {
  std::vector<Instance> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find(separator, start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view piece = text.substr(start, end - start);
    const auto eq = piece.find('=');
    if (eq == std::string_view::npos || eq == 0) return std::nullopt;
    out.push_back({std::string(piece.substr(0, eq)), std::string(piece.substr(eq + 1))});
    start = end + 1;
  }
  return out;
}

// "a=1; b=2": a space after each ';' and nothing else unusual.
std::optional<std::vector<Instance>> cookies(std::string_view value) {
  std::vector<Instance> out;
  std::size_t start = 0;
  while (start <= value.size()) {
    auto end = value.find(';', start);
    if (end == std::string_view::npos) end = value.size();
    std::string_view piece = value.substr(start, end - start);
    if (start > 0) {
      if (piece.empty() || piece[0] != ' ') return std::nullopt;
      piece.remove_prefix(1);
    }
    const auto eq = piece.find('=');
    if (eq == std::string_view::npos || eq == 0) return std::nullopt;
    const auto name = piece.substr(0, eq);
    const auto val = piece.substr(eq + 1);
    if (!std::all_of(name.begin(), name.end(), token_char)) return std::nullopt;
    if (val.find_first_of(" \t\"%") != std::string_view::npos) return std::nullopt;
    out.push_back({std::string(name), std::string(val)});
    start = end + 1;
  }
  return out;
}

}  // namespace

Coll collection_named(std::string_view name) {
  static const std::pair<const char*, Coll> kNames[] = {
      {"REQUEST_METHOD", Coll::RequestMethod},
      {"REQUEST_PROTOCOL", Coll::RequestProtocol},
      {"REQUEST_LINE", Coll::RequestLine},
      {"REQUEST_URI", Coll::RequestUri},
      {"REQUEST_URI_RAW", Coll::RequestUriRaw},
      {"REQUEST_FILENAME", Coll::RequestFilename},
      {"REQUEST_BASENAME", Coll::RequestBasename},
      {"QUERY_STRING", Coll::QueryString},
      {"REMOTE_ADDR", Coll::RemoteAddr},
      {"ARGS_COMBINED_SIZE", Coll::ArgsCombinedSize},
      {"ARGS", Coll::Args},
      {"ARGS_GET", Coll::Args},
      {"ARGS_NAMES", Coll::ArgsNames},
      {"ARGS_GET_NAMES", Coll::ArgsNames},
      {"REQUEST_HEADERS", Coll::Headers},
      {"REQUEST_HEADERS_NAMES", Coll::HeaderNames},
      {"REQUEST_COOKIES", Coll::Cookies},
      {"REQUEST_COOKIES_NAMES", Coll::CookieNames},
      // Filled only from a body, which a modelled request does not have.
      {"REQUEST_BODY", Coll::Empty},
      {"ARGS_POST", Coll::Empty},
      {"ARGS_POST_NAMES", Coll::Empty},
      {"FILES", Coll::Empty},
      {"FILES_NAMES", Coll::Empty},
      {"FILES_SIZES", Coll::Empty},
      {"FILES_TMPNAMES", Coll::Empty},
      {"FILES_TMP_CONTENT", Coll::Empty},
      {"MULTIPART_PART_HEADERS", Coll::Empty},
      {"MULTIPART_FILENAME", Coll::Empty},
      {"MULTIPART_NAME", Coll::Empty},
      {"XML", Coll::Empty},
      {"TX", Coll::Tx},
      {"MATCHED_VARS", Coll::MatchedVars},
      {"MATCHED_VAR", Coll::MatchedVar},
  };
  for (const auto& [n, c] : kNames) {
    if (ascii_iequals(name, n)) return c;
  }
  return Coll::Unknown;
}

std::optional<RequestView> RequestView::of(const HttpInput& in) {
  if (in.version != 10 && in.version != 11) return std::nullopt;
  if (!in.body.empty() || in.method.empty()) return std::nullopt;
  if (!std::all_of(in.method.begin(), in.method.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
    return std::nullopt;
  const std::string_view target = in.target;
  if (target.empty() || target[0] != '/') return std::nullopt;
  for (char c : target) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x21 || u > 0x7e || c == '%' || c == '+' || c == '#' || c == '\\') return std::nullopt;
  }
  RequestView v;
  auto put = [&](Coll c, std::string key, std::string value) {
    v.colls_[static_cast<int>(c)].push_back({std::move(key), std::move(value)});
  };
  const std::string protocol = in.version == 10 ? "HTTP/1.0" : "HTTP/1.1";
  const auto question = target.find('?');
  const std::string_view path = target.substr(0, question);
  put(Coll::RequestMethod, "", std::string(in.method));
  put(Coll::RequestProtocol, "", protocol);
  put(Coll::RequestLine, "", std::string(in.method) + " " + std::string(target) + " " + protocol);
  put(Coll::RequestUri, "", std::string(target));
  put(Coll::RequestUriRaw, "", std::string(target));
  put(Coll::RequestFilename, "", std::string(path));
  put(Coll::RequestBasename, "", std::string(path.substr(path.rfind('/') + 1)));
  put(Coll::RemoteAddr, "", std::string(in.remote_address));
  std::size_t combined = 0;
  if (question != std::string_view::npos) {
    const auto query = target.substr(question + 1);
    put(Coll::QueryString, "", std::string(query));
    if (!query.empty()) {
      auto args = pairs(query, '&');
      if (!args) return std::nullopt;
      for (auto& a : *args) {
        combined += a.key.size() + a.value.size();
        put(Coll::ArgsNames, a.key, a.key);
        put(Coll::Args, std::move(a.key), std::move(a.value));
      }
    }
  }
  put(Coll::ArgsCombinedSize, "", std::to_string(combined));
  for (const auto& [name, value] : in.headers) {
    if (name.empty() || !std::all_of(name.begin(), name.end(), token_char)) return std::nullopt;
    if (!printable_value(value)) return std::nullopt;
    put(Coll::Headers, std::string(name), std::string(value));
    put(Coll::HeaderNames, std::string(name), std::string(name));
    if (ascii_iequals(name, "cookie")) {
      auto jar = cookies(value);
      if (!jar) return std::nullopt;
      for (auto& c : *jar) {
        put(Coll::CookieNames, c.key, c.key);
        put(Coll::Cookies, std::move(c.key), std::move(c.value));
      }
    }
  }
  return v;
}

const std::string* RequestView::header(std::string_view name) const {
  for (const auto& h : in(Coll::Headers)) {
    if (ascii_iequals(h.key, name)) return &h.value;
  }
  return nullptr;
}

}  // namespace nanbyo::gw::prefilter
