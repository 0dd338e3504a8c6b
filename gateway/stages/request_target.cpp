#include "gateway/stages/request_target.h"

#include "pki/encoding.h"

namespace nanbyo::gw {
namespace {

bool unreserved(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '~';
}

// Decodes the escapes of unreserved characters; false on a malformed or forbidden escape.
bool decode_unreserved(std::string_view in, std::string& out) {
  out.clear();
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '\\') return false;
    if (c != '%') {
      out += c;
      continue;
    }
    if (i + 2 >= in.size()) return false;
    const int high = hex_digit_value(in[i + 1]);
    const int low = hex_digit_value(in[i + 2]);
    if (high < 0 || low < 0) return false;
    const auto byte = static_cast<unsigned char>(high * 16 + low);
    if (byte == '.' || byte == '/' || byte == '\\' || byte == 0) return false;
    if (unreserved(byte)) {
      out += static_cast<char>(byte);
    } else {
      out.append(in.substr(i, 3));
    }
    i += 2;
  }
  return true;
}

bool segments_normal(std::string_view path) {
  std::size_t start = 1;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view segment = path.substr(start, end - start);
    const bool last = end == path.size();
    if ((segment.empty() && !last) || segment == "." || segment == "..") return false;
    start = end + 1;
  }
  return true;
}

}  // namespace

std::optional<NormalizedTarget> normalize_target(std::string_view target) {
  if (target.empty() || target.front() != '/') return std::nullopt;
  if (target.find('#') != std::string_view::npos) return std::nullopt;  // never in a request
  const std::size_t query = target.find('?');
  NormalizedTarget out;
  if (!decode_unreserved(target.substr(0, query), out.path) || !segments_normal(out.path)) {
    return std::nullopt;
  }
  out.target = out.path;
  if (query != std::string_view::npos) out.target.append(target.substr(query));
  return out;
}

}  // namespace nanbyo::gw
