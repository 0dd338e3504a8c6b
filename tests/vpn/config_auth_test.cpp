// The config-auth parser reads what openconnect 9 sends and refuses DTDs, entities, foreign
// encodings and oversized bodies before libxml2 could act on them.
#include <catch2/catch.hpp>

#include "gateway/vpn/config_auth.h"

using namespace nanbyo::vpn;

namespace {

// As openconnect 9.x writes it (xmlDocDumpMemoryEnc of its xmlpost_new_query + group-access).
const char* kInit =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<config-auth client=\"vpn\" type=\"init\" aggregate-auth-version=\"2\">"
    "<version who=\"vpn\">v9.01</version><device-id>linux-64</device-id>"
    "<capabilities><auth-method>single-sign-on</auth-method>"
    "<auth-method>single-sign-on-v2</auth-method>"
    "<auth-method>single-sign-on-external-browser</auth-method></capabilities>"
    "<group-access>https://vpn.example.jp</group-access></config-auth>\n";

std::string refused(std::string_view body) {
  auto parsed = parse_config_auth(body);
  REQUIRE_FALSE(parsed.ok());
  return parsed.error().message;
}

}  // namespace

TEST_CASE("openconnect's init request is read", "[config-auth]") {
  auto init = parse_config_auth(kInit);
  REQUIRE(init.ok());
  CHECK(init->type == ConfigAuthType::Init);
  CHECK(init->aggregate_auth_version == "2");
  CHECK(init->version == "v9.01");
  CHECK(init->device_id == "linux-64");
  CHECK(init->group_access == "https://vpn.example.jp");
  CHECK(init->group_select.empty());
  CHECK_FALSE(init->client_cert_fail);
  CHECK_FALSE(init->has_credentials);
}

TEST_CASE("an init with a certificate failure and an auth group is read", "[config-auth]") {
  auto init = parse_config_auth(
      "<config-auth client=\"vpn\" type=\"init\">\n  <version who=\"vpn\">\n v8.20 \n</version>\n"
      "  <device-id platform-version=\"13\" device-type=\"x\" unique-id=\"y\">android</device-id>\n"
      "  <group-access>https://vpn.example.jp/tokyo</group-access><client-cert-fail/>\n"
      "  <group-select>&#x75C5;&amp;院</group-select><!-- a comment --></config-auth>");
  REQUIRE(init.ok());
  CHECK(init->version == "v8.20");
  CHECK(init->device_id == "android");
  CHECK(init->client_cert_fail);
  CHECK(init->group_select == "病&院");
}

TEST_CASE("an auth-reply is recognised without reading its credentials", "[config-auth]") {
  auto reply = parse_config_auth(
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
      "<config-auth client=\"vpn\" type=\"auth-reply\" aggregate-auth-version=\"2\">"
      "<version who=\"vpn\">v9.01</version><device-id>linux-64</device-id>"
      "<opaque is-for=\"sg\"><tunnel-group>x</tunnel-group></opaque>"
      "<auth><username>doctor</username><password>secret</password></auth>"
      "</config-auth>");
  REQUIRE(reply.ok());
  CHECK(reply->type == ConfigAuthType::AuthReply);
  CHECK(reply->has_credentials);
}

TEST_CASE("DOCTYPE, entities and other declarations are refused before parsing", "[config-auth]") {
  // The draft's own examples carry a DOCTYPE; openconnect does not send one.
  CHECK(refused("<?xml version=\"1.0\"?>\n<!DOCTYPE config-auth SYSTEM \"config-auth.dtd\">"
                "<config-auth client=\"vpn\" type=\"init\"/>") ==
        "XML DOCTYPE refused (no DTDs, no entities)");
  std::string laughs =
      "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;\">]>"
      "<config-auth client=\"vpn\" type=\"init\"><version>&lol2;</version></config-auth>";
  CHECK(refused(laughs) == "XML DOCTYPE refused (no DTDs, no entities)");
  std::string xxe =
      "<!DOCTYPE x [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
      "<config-auth client=\"vpn\" type=\"init\"><version>&xxe;</version></config-auth>";
  CHECK(refused(xxe) == "XML DOCTYPE refused (no DTDs, no entities)");
  CHECK(refused("<config-auth client=\"vpn\" type=\"init\"><![CDATA[x]]></config-auth>") ==
        "XML markup declaration \"<![CDATA[\" refused");
  CHECK(refused("<!-- <!DOCTYPE hidden> --><!ENTITY x \"y\"><config-auth/>") ==
        "XML markup declaration \"<!ENTITY \" refused");
  CHECK(refused("<!-- never closed <config-auth/>") == "unterminated XML comment in config-auth");
  // Inside a comment "<!DOCTYPE" is only text (found by the fuzzer).
  CHECK(parse_config_auth("<config-auth client=\"vpn\" type=\"init\"><!-- <!DOCTYPE x> -->"
                          "</config-auth>")
            .ok());
  // An entity without a DTD is undefined: libxml2 refuses the document.
  CHECK(refused("<config-auth client=\"vpn\" type=\"init\"><version>&xxe;</version>"
                "</config-auth>")
            .rfind("config-auth is not well-formed XML (line 1): Entity 'xxe' not defined", 0) ==
        0);
}

TEST_CASE("foreign encodings, NUL bytes and oversized bodies are refused", "[config-auth]") {
  CHECK(refused("<?xml version=\"1.0\" encoding=\"UTF-7\"?><config-auth/>") ==
        "XML encoding \"UTF-7\" refused (UTF-8 only)");
  CHECK(refused(std::string("<config-auth\0/>", 15)) == "config-auth body holds a NUL byte");
  CHECK(refused("") == "empty config-auth body");
  std::string big =
      "<config-auth client=\"vpn\" type=\"init\">" + std::string(20000, ' ') + "</config-auth>";
  CHECK(refused(big) == "config-auth body of 20052 bytes is over the 16384-byte limit");
}

TEST_CASE("structural errors are named", "[config-auth]") {
  CHECK(refused("<config-auth client=\"vpn\" type=\"init\">")
            .rfind("config-auth is not well-formed XML (line 1)", 0) == 0);
  CHECK(refused("<auth id=\"main\"/>") == "the XML root element is not <config-auth>");
  CHECK(refused("<config-auth client=\"sg\" type=\"init\"/>") ==
        "config-auth client \"sg\" is not \"vpn\"");
  CHECK(refused("<config-auth client=\"vpn\" type=\"complete\"/>") ==
        "config-auth type \"complete\" is not a client message");
  CHECK(refused("<config-auth client=\"vpn\"/>") ==
        "config-auth type \"\" is not a client message");
  CHECK(refused("<config-auth client=\"vpn\" type=\"init\"><version>a</version>"
                "<version>b</version></config-auth>") == "duplicate <version> in config-auth");
  CHECK(refused("<config-auth client=\"vpn\" type=\"init\"><device-id>" + std::string(300, 'x') +
                "</device-id></config-auth>") == "<device-id> is longer than 256 bytes");
  CHECK(refused("<config-auth client=\"vpn\" type=\"init\"><version>v9\t01</version>"
                "</config-auth>") == "<version> holds control characters");
}

TEST_CASE("the success answer is the complete form openconnect expects", "[config-auth]") {
  std::string body = build_auth_complete("難病・小慢DB <VPN> & co", "nanbyo-gateway 0.1");
  CHECK(body.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 0) == 0);
  CHECK(body.find("<config-auth client=\"vpn\" type=\"complete\" aggregate-auth-version=\"2\">") !=
        std::string::npos);
  CHECK(body.find("<version who=\"sg\">nanbyo-gateway 0.1</version>") != std::string::npos);
  CHECK(body.find("<auth id=\"success\">") != std::string::npos);
  CHECK(body.find("<title>難病・小慢DB &lt;VPN&gt; &amp; co</title>") != std::string::npos);
  CHECK(body.find("session-token") == std::string::npos);
  // Our own parser reads it back as a server message (not a client one).
  CHECK(refused(body) == "config-auth type \"complete\" is not a client message");
}
