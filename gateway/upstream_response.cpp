#include "gateway/upstream_response.h"

#include <boost/beast/http/status.hpp>

#include "gateway/contract/session_header.h"
#include "gateway/stages/ascii_case.h"
#include "gateway/stages/hop_by_hop_fields.h"

namespace nanbyo::gw {
namespace {

// Ends at the gateway whatever the response says; Content-Length and Transfer-Encoding
// because the gateway frames the body it holds itself.
bool never_passed_on(http::field name) {
  return always_hop_by_hop(name) || name == http::field::transfer_encoding ||
         name == http::field::content_length;
}

void append(std::string& out, beast::string_view text) {
  out.append(text.data(), text.size());
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Whether `name` is one of the comma-separated `names`.
bool named_in(std::string_view names, std::string_view name) {
  while (!names.empty()) {
    const auto comma = names.find(',');
    if (equals_ignoring_case(trimmed(names.substr(0, comma)), name)) return true;
    if (comma == std::string_view::npos) break;
    names.remove_prefix(comma + 1);
  }
  return false;
}

// `fields` without the lines whose name is one of `names`.
std::string without_named(const std::string& fields, std::string_view names) {
  std::string kept;
  kept.reserve(fields.size());
  std::string_view rest(fields);
  while (!rest.empty()) {
    const auto end = rest.find("\r\n") + 2;  // every line ends so (on_field_impl)
    const std::string_view line = rest.substr(0, end);
    if (!named_in(names, line.substr(0, line.find(':')))) kept.append(line);
    rest.remove_prefix(end);
  }
  return kept;
}

}  // namespace

void UpstreamResponseParser::on_request_impl(http::verb, beast::string_view, beast::string_view,
                                             int, beast::error_code& ec) {
  ec = http::error::bad_method;  // a response parser never sees a request line
}

void UpstreamResponseParser::on_response_impl(int code, beast::string_view reason, int version,
                                              beast::error_code&) {
  out_.status = static_cast<unsigned>(code);
  out_.version = static_cast<unsigned>(version);
  out_.reason.assign(reason.data(), reason.size());
  out_.fields.reserve(1024);  // most headers in one allocation, not one per doubling
}

void UpstreamResponseParser::on_field_impl(http::field name, beast::string_view name_string,
                                           beast::string_view value, beast::error_code&) {
  if (is_header_done()) return;  // a chunked body's trailer: nothing of it is passed on
  if (never_passed_on(name)) {
    if (name == http::field::connection) note_connection_names(value);
    return;
  }
  const std::string_view field_name(name_string.data(), name_string.size());
  if (name == http::field::unknown && equals_ignoring_case(field_name, contract::kSessionHeader)) {
    out_.session.emplace(value.data(), value.size());
    return;
  }
  append(out_.fields, name_string);
  out_.fields += ": ";
  append(out_.fields, value);
  out_.fields += "\r\n";
}

// "close" and "keep-alive" name no header the gateway passes on: only other names count.
void UpstreamResponseParser::note_connection_names(beast::string_view value) {
  std::string_view rest(value.data(), value.size());
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const auto name = trimmed(rest.substr(0, comma));
    if (!name.empty() && !equals_ignoring_case(name, "close") &&
        !equals_ignoring_case(name, "keep-alive")) {
      if (!connection_names_.empty()) connection_names_ += ',';
      connection_names_.append(name);
    }
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
}

void UpstreamResponseParser::on_header_impl(beast::error_code&) {
  // Headers named in Connection are hop-by-hop too; a name may come before its Connection.
  if (!connection_names_.empty()) out_.fields = without_named(out_.fields, connection_names_);
  if (const auto length = content_length()) out_.content_length = *length;
}

void UpstreamResponseParser::on_body_init_impl(const boost::optional<std::uint64_t>& length,
                                               beast::error_code&) {
  // Within the body limit: the parser refused a longer Content-Length before this.
  if (length) out_.body.reserve(static_cast<std::size_t>(*length));
}

std::size_t UpstreamResponseParser::on_body_impl(beast::string_view body, beast::error_code&) {
  append(out_.body, body);
  return body.size();
}

void UpstreamResponseParser::on_chunk_header_impl(std::uint64_t, beast::string_view,
                                                  beast::error_code&) {}

std::size_t UpstreamResponseParser::on_chunk_body_impl(std::uint64_t, beast::string_view body,
                                                       beast::error_code&) {
  append(out_.body, body);
  return body.size();
}

void UpstreamResponseParser::on_finish_impl(beast::error_code&) {}

void serialize_header(const UpstreamResponse& response, unsigned version, bool keep_alive,
                      bool head_request, std::string& out) {
  const unsigned code = response.status;
  out.clear();
  out += "HTTP/";
  out += static_cast<char>('0' + version / 10);
  out += '.';
  out += static_cast<char>('0' + version % 10);
  out += ' ';
  out += static_cast<char>('0' + code / 100 % 10);
  out += static_cast<char>('0' + code / 10 % 10);
  out += static_cast<char>('0' + code % 10);
  out += ' ';
  if (response.reason.empty()) {
    append(out, http::obsolete_reason(static_cast<http::status>(code)));
  } else {
    out += response.reason;
  }
  out += "\r\n";
  out += response.fields;
  // No body follows 1xx, 204, 304 or a HEAD answer: their Content-Length, where one may be
  // sent, is the upstream's; every other body is framed by the length the gateway holds.
  const bool bodyless = head_request || code / 100 == 1 || code == 204 || code == 304;
  if (!bodyless) {
    out += "Content-Length: ";
    out += std::to_string(response.body.size());
    out += "\r\n";
  } else if (response.content_length && code != 204 && code / 100 != 1) {
    out += "Content-Length: ";
    out += std::to_string(*response.content_length);
    out += "\r\n";
  }
  if (version >= 11 && !keep_alive) out += "Connection: close\r\n";
  if (version < 11 && keep_alive) out += "Connection: keep-alive\r\n";
  out += "\r\n";
}

}  // namespace nanbyo::gw
