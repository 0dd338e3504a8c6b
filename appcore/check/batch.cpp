#include "appcore/check/batch.h"

#include <charconv>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace nanbyo::check {

namespace {

// Well-formed UTF-8 (RFC 3629: no overlong forms, surrogates or code points
// above U+10FFFF), what nlohmann's dump() accepts.
bool is_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    const std::size_t n = c >= 0xC2 && c <= 0xDF   ? 1
                          : (c & 0xF0) == 0xE0     ? 2
                          : c >= 0xF0 && c <= 0xF4 ? 3
                                                   : 0;
    if (n == 0 || s.size() - i <= n) return false;
    const auto second = static_cast<unsigned char>(s[i + 1]);
    const unsigned char lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
    const unsigned char hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
    if (second < lo || second > hi) return false;
    for (std::size_t k = 2; k <= n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += n + 1;
  }
  return true;
}

// `s` as a JSON string, byte for byte what nlohmann's dump() writes (UTF-8 kept,
// quotes, backslashes and control characters escaped), without building a
// document first: a batch holds up to 100,000 forms.
void append_json(std::string& out, std::string_view s) {
  if (!is_utf8(s)) {  // nlohmann refuses it (type_error 316), as before
    out += nlohmann::json(std::string(s)).dump();
    return;
  }
  out += '"';
  std::size_t plain = 0;  // start of the run of characters copied as they are
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default: {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out += buf;
      }
    }
  }
  out.append(s.data() + plain, s.size() - plain);
  out += '"';
}

}  // namespace

std::string encode_batch(const Batch& batch) {
  // Keys in nlohmann's (sorted) order, so the bytes are the same as its dump().
  std::size_t size = 256;
  for (const auto& f : batch.forms)
    size += f.file.size() + f.ref.size() + f.definition.size() + f.xml.size() * 11 / 10 + 64;
  std::string out;
  out.reserve(size);
  out += "{\"created_at\":";
  append_json(out, batch.created_at);
  out += ",\"format\":\"nanbyo-forms-batch\",\"format_version\":1,\"forms\":[";
  for (std::size_t i = 0; i < batch.forms.size(); ++i) {
    const BatchForm& f = batch.forms[i];
    out += i == 0 ? "{\"definition\":" : ",{\"definition\":";
    append_json(out, f.definition);
    out += ",\"file\":";
    append_json(out, f.file);
    out += ",\"ref\":";
    append_json(out, f.ref);
    out += ",\"xml\":";
    append_json(out, f.xml);
    out += '}';
  }
  out += "],\"tool_version\":";
  append_json(out, batch.tool_version);
  out += ",\"user_id\":";
  append_json(out, batch.user_id);
  out += '}';
  return out;
}

Result<Batch> decode_batch(std::string_view text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return fail("the batch is not readable");
  auto str = [&](const nlohmann::json& o, const char* key) -> std::optional<std::string> {
    auto it = o.find(key);
    if (it == o.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
  };
  if (str(j, "format") != "nanbyo-forms-batch") return fail("the file is not a forms batch");
  auto fv = j.find("format_version");
  if (fv == j.end() || !fv->is_number_integer() || fv->get<int>() != 1)
    return fail("unknown batch format version");
  Batch b;
  auto tv = str(j, "tool_version");
  auto user = str(j, "user_id");
  auto created = str(j, "created_at");
  auto forms = j.find("forms");
  if (!tv || !user || !created || forms == j.end() || !forms->is_array())
    return fail("the batch lacks tool_version, user_id, created_at or forms");
  if (forms->size() > kMaxBatchForms) return fail("too many forms in one batch");
  b.tool_version = *tv;
  b.user_id = *user;
  b.created_at = *created;
  for (const auto& f : *forms) {
    if (!f.is_object()) return fail("a batch entry is not an object");
    auto file = str(f, "file"), ref = str(f, "ref"), def = str(f, "definition"),
         xml = str(f, "xml");
    if (!file || !ref || !def || !xml)
      return fail("a batch entry lacks file, ref, definition or xml");
    b.forms.push_back({*file, *ref, *def, *xml});
  }
  return b;
}

Result<std::string> seal_batch(const Batch& batch, const pki::UserKey& key, TimePoint now) {
  return pki::seal_with_key(key, encode_batch(batch), now);
}

std::optional<int> compare_versions(std::string_view a, std::string_view b) {
  auto parts = [](std::string_view v) -> std::optional<std::vector<long>> {
    std::vector<long> out;
    while (!v.empty()) {
      auto dot = v.find('.');
      auto part = v.substr(0, dot);
      long n = 0;
      auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), n);
      if (ec != std::errc() || end != part.data() + part.size()) return std::nullopt;
      out.push_back(n);
      if (dot == std::string_view::npos) break;
      v.remove_prefix(dot + 1);
    }
    if (out.empty()) return std::nullopt;
    out.resize(3, 0);
    return out;
  };
  auto x = parts(a), y = parts(b);
  if (!x || !y) return std::nullopt;
  return *x < *y ? -1 : (*x > *y ? 1 : 0);
}

}  // namespace nanbyo::check
