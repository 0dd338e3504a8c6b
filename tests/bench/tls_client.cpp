#include "tests/bench/tls_client.h"

#include <arpa/inet.h>
#include <openssl/err.h>

#include <stdexcept>

namespace nanbyo::bench {
namespace {

[[noreturn]] void fail(const std::string& what) {
  std::string reason = ssl_error_text();
  throw std::runtime_error(what + (reason.empty() ? "" : ": " + reason));
}

bool is_ip_address(const std::string& name) {
  unsigned char buf[16];
  return inet_pton(AF_INET, name.c_str(), buf) == 1 || inet_pton(AF_INET6, name.c_str(), buf) == 1;
}

}  // namespace

std::string ssl_error_text() {
  std::string text;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!text.empty()) text += "; ";
    text += buf;
  }
  return text;
}

ossl::SslCtxPtr make_client_context(const ClientTlsFiles& files) {
  ossl::SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx) fail("cannot create a TLS context");
  SSL_CTX* c = ctx.get();
  SSL_CTX_set_min_proto_version(c, TLS1_3_VERSION);
  // No resumption: each new connection is a full mutual-TLS handshake.
  SSL_CTX_set_session_cache_mode(c, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_verify(c, SSL_VERIFY_PEER, nullptr);
  if (SSL_CTX_load_verify_locations(c, files.ca_file.c_str(), nullptr) != 1) {
    fail("cannot load CA bundle " + files.ca_file);
  }
  if (SSL_CTX_use_certificate_chain_file(c, files.cert_file.c_str()) != 1) {
    fail("cannot load client certificate " + files.cert_file);
  }
  if (SSL_CTX_use_PrivateKey_file(c, files.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    fail("cannot load client key " + files.key_file);
  }
  if (SSL_CTX_check_private_key(c) != 1)
    fail(files.key_file + " does not match " + files.cert_file);
  return ctx;
}

ossl::SslPtr new_client_ssl(SSL_CTX* ctx, int fd, const std::string& server_name) {
  ossl::SslPtr ssl(SSL_new(ctx));
  if (!ssl) fail("cannot create a TLS connection");
  SSL_set_fd(ssl.get(), fd);
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl.get());
  if (is_ip_address(server_name)) {
    X509_VERIFY_PARAM_set1_ip_asc(param, server_name.c_str());
  } else {
    SSL_set1_host(ssl.get(), server_name.c_str());
    SSL_set_tlsext_host_name(ssl.get(), server_name.c_str());
  }
  SSL_set_connect_state(ssl.get());
  return ssl;
}

}  // namespace nanbyo::bench
