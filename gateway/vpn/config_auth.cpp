#include "gateway/vpn/config_auth.h"

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include <cstring>
#include <mutex>
#include <new>

#include "gateway/stages/ascii_case.h"
#include "gateway/vpn/shown_text.h"
#include "gateway/vpn/xml_handles.h"

namespace nanbyo::vpn {
namespace {

const xmlChar* x(const char* text) {
  return reinterpret_cast<const xmlChar*>(text);
}
const char* c(const xmlChar* text) {
  return reinterpret_cast<const char*>(text);
}

// The encoding named in an XML declaration at the start, or "" when none is named.
std::string declared_encoding(std::string_view body) {
  if (body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);
  if (body.substr(0, 5) != "<?xml") return {};
  std::string_view decl = body.substr(0, body.find("?>"));
  auto at = decl.find("encoding");
  if (at == std::string_view::npos) return {};
  auto quote = decl.find_first_of("\"'", at);
  if (quote == std::string_view::npos) return "?";
  auto end = decl.find(decl[quote], quote + 1);
  if (end == std::string_view::npos) return "?";
  return std::string(decl.substr(quote + 1, end - quote - 1));
}

Result<void> refuse_before_parsing(std::string_view body) {
  if (body.empty()) return fail("empty config-auth body");
  if (body.size() > kMaxConfigAuthBytes) {
    return fail("config-auth body of " + std::to_string(body.size()) + " bytes is over the " +
                std::to_string(kMaxConfigAuthBytes) + "-byte limit");
  }
  if (body.find('\0') != std::string_view::npos) return fail("config-auth body holds a NUL byte");
  for (auto at = body.find("<!"); at != std::string_view::npos; at = body.find("<!", at)) {
    if (body.substr(at, 4) == "<!--") {
      auto end = body.find("-->", at + 4);
      if (end == std::string_view::npos) return fail("unterminated XML comment in config-auth");
      at = end + 3;
      continue;
    }
    if (body.substr(at, 9) == "<!DOCTYPE")
      return fail("XML DOCTYPE refused (no DTDs, no entities)");
    return fail("XML markup declaration \"" + shown(body.substr(at, 9)) + "\" refused");
  }
  std::string encoding = declared_encoding(body);
  if (!encoding.empty() && !gw::equals_ignoring_case(encoding, "UTF-8") &&
      !gw::equals_ignoring_case(encoding, "UTF8")) {
    return fail("XML encoding \"" + shown(encoding) + "\" refused (UTF-8 only)");
  }
  return {};
}

std::string trimmed(std::string_view text) {
  auto space = [](char ch) { return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n'; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return std::string(text);
}

Result<std::string> field(const xmlChar* raw, const char* name) {
  std::string text = trimmed(raw ? c(raw) : "");
  if (text.size() > kMaxConfigAuthField) {
    return fail(std::string("<") + name + "> is longer than " +
                std::to_string(kMaxConfigAuthField) + " bytes");
  }
  for (unsigned char ch : text) {
    if (ch < 0x20 || ch == 0x7f)
      return fail(std::string("<") + name + "> holds control characters");
  }
  return text;
}

Result<std::string> element_text(xmlNode* node, const char* name) {
  xml::CharPtr content(xmlNodeGetContent(node));
  return field(content.get(), name);
}

Result<std::string> attribute(xmlNode* node, const char* name) {
  xml::CharPtr value(xmlGetProp(node, x(name)));
  return field(value.get(), name);
}

bool has_element_child(xmlNode* node) {
  for (xmlNode* child = node->children; child; child = child->next) {
    if (child->type == XML_ELEMENT_NODE) return true;
  }
  return false;
}

Result<void> read_children(xmlNode* root, ConfigAuthRequest& out) {
  struct Known {
    const char* name;
    std::string* target;
    bool seen = false;
  };
  Known known[] = {{"version", &out.version},
                   {"device-id", &out.device_id},
                   {"group-access", &out.group_access},
                   {"group-select", &out.group_select}};
  bool seen_auth = false;
  for (xmlNode* node = root->children; node; node = node->next) {
    if (node->type != XML_ELEMENT_NODE) continue;
    const char* name = c(node->name);
    for (Known& k : known) {
      if (std::strcmp(name, k.name) != 0) continue;
      if (k.seen) return fail(std::string("duplicate <") + k.name + "> in config-auth");
      k.seen = true;
      NANBYO_TRY(text, element_text(node, k.name));
      *k.target = std::move(text);
    }
    if (std::strcmp(name, "client-cert-fail") == 0) out.client_cert_fail = true;
    if (std::strcmp(name, "auth") == 0) {
      if (seen_auth) return fail("duplicate <auth> in config-auth");
      seen_auth = true;
      out.has_credentials = has_element_child(node);
    }
  }
  return {};
}

std::string parse_error(xmlParserCtxt* parser) {
  const xmlError* error = xmlCtxtGetLastError(parser);
  if (error == nullptr || error->message == nullptr) return "config-auth is not well-formed XML";
  std::string message = trimmed(error->message);
  for (char& ch : message) {
    if (ch < 0x20 || ch == 0x7f) ch = ' ';
  }
  return "config-auth is not well-formed XML (line " + std::to_string(error->line) +
         "): " + message.substr(0, 120);
}

}  // namespace

Result<ConfigAuthRequest> parse_config_auth(std::string_view body) {
  NANBYO_TRY_VOID(refuse_before_parsing(body));
  static std::once_flag once;
  std::call_once(once, [] { xmlInitParser(); });

  xml::ParserPtr parser(xmlNewParserCtxt());
  if (!parser) throw std::bad_alloc();
  const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                      XML_PARSE_IGNORE_ENC | XML_PARSE_NOCDATA;
  xml::DocPtr doc(xmlCtxtReadMemory(parser.get(), body.data(), static_cast<int>(body.size()),
                                    "config-auth.xml", "UTF-8", options));
  if (!doc) return fail(parse_error(parser.get()));
  if (doc->intSubset != nullptr || doc->extSubset != nullptr) return fail("XML DTD refused");

  xmlNode* root = xmlDocGetRootElement(doc.get());
  if (root == nullptr || std::strcmp(c(root->name), "config-auth") != 0) {
    return fail("the XML root element is not <config-auth>");
  }
  ConfigAuthRequest out;
  NANBYO_TRY(client, attribute(root, "client"));
  if (client != "vpn") return fail("config-auth client \"" + shown(client) + "\" is not \"vpn\"");
  NANBYO_TRY(type, attribute(root, "type"));
  if (type == "init") {
    out.type = ConfigAuthType::Init;
  } else if (type == "auth-reply") {
    out.type = ConfigAuthType::AuthReply;
  } else {
    return fail("config-auth type \"" + shown(type) + "\" is not a client message");
  }
  NANBYO_TRY(aggregate, attribute(root, "aggregate-auth-version"));
  out.aggregate_auth_version = std::move(aggregate);
  NANBYO_TRY_VOID(read_children(root, out));
  return out;
}

std::string build_auth_complete(std::string_view title, std::string_view server_version) {
  xml::DocPtr doc(xmlNewDoc(x("1.0")));
  if (!doc) throw std::bad_alloc();
  xmlNode* root = xmlNewNode(nullptr, x("config-auth"));
  if (!root) throw std::bad_alloc();
  xmlDocSetRootElement(doc.get(), root);
  xmlNewProp(root, x("client"), x("vpn"));
  xmlNewProp(root, x("type"), x("complete"));
  xmlNewProp(root, x("aggregate-auth-version"), x("2"));
  std::string version_text(server_version), title_text(title);
  xmlNode* version = xmlNewTextChild(root, nullptr, x("version"), x(version_text.c_str()));
  xmlNode* auth = xmlNewChild(root, nullptr, x("auth"), nullptr);
  if (!version || !auth) throw std::bad_alloc();
  xmlNewProp(version, x("who"), x("sg"));
  xmlNewProp(auth, x("id"), x("success"));
  if (!xmlNewTextChild(auth, nullptr, x("title"), x(title_text.c_str()))) throw std::bad_alloc();

  xmlChar* raw = nullptr;
  int size = 0;
  xmlDocDumpFormatMemoryEnc(doc.get(), &raw, &size, "UTF-8", 1);
  xml::CharPtr text(raw);
  if (!text) throw std::bad_alloc();
  return std::string(c(text.get()), static_cast<std::size_t>(size));
}

}  // namespace nanbyo::vpn
