#include "gateway/http_wire.h"

namespace nanbyo::gw {
namespace {

void append(std::string& out, beast::string_view text) {
  out.append(text.data(), text.size());
}

void append_version(unsigned version, std::string& out) {
  out += "HTTP/";
  out += static_cast<char>('0' + version / 10);
  out += '.';
  out += static_cast<char>('0' + version % 10);
}

// The fields in their order, then the added lines and the blank line.
template <bool isRequest>
void append_fields(const http::message<isRequest, http::string_body>& message, std::string& out,
                   std::string_view added_fields = {}) {
  for (const auto& field : message) {
    append(out, field.name_string());
    out += ": ";
    append(out, field.value());
    out += "\r\n";
  }
  out.append(added_fields);
  out += "\r\n";
}

}  // namespace

bool serialize_header(const Request& request, std::string& out, std::string_view added_fields) {
  if (request.chunked()) return false;
  out.clear();
  append(out, request.method_string());
  out += ' ';
  append(out, request.target());
  out += ' ';
  append_version(request.version(), out);
  out += "\r\n";
  append_fields(request, out, added_fields);
  return true;
}

bool serialize_header(const Response& response, std::string& out) {
  if (response.chunked()) return false;
  out.clear();
  append_version(response.version(), out);
  const unsigned code = response.result_int();
  out += ' ';
  out += static_cast<char>('0' + code / 100 % 10);
  out += static_cast<char>('0' + code / 10 % 10);
  out += static_cast<char>('0' + code % 10);
  out += ' ';
  const auto reason = response.reason();
  append(out, reason.empty() ? http::obsolete_reason(response.result()) : reason);
  out += "\r\n";
  append_fields(response, out);
  return true;
}

}  // namespace nanbyo::gw
