// The load client's side of mutual TLS: one SSL_CTX that presents the client
// certificate and verifies the server against the CA bundle, and one SSL per
// connection checked against the server's name or IP address. Sessions are
// never cached or resumed: every connection is a full handshake.
#pragma once

#include <string>

#include "pki/ossl_handles.h"

namespace nanbyo::bench {

struct ClientTlsFiles {
  std::string ca_file;    // trust anchors for the server (ca-chain.crt)
  std::string cert_file;  // client certificate, leaf first, then the issuing CA
  std::string key_file;   // its private key (PEM, unencrypted)
};

// Throws std::runtime_error with OpenSSL's reason when a file cannot be used.
ossl::SslCtxPtr make_client_context(const ClientTlsFiles& files);

// A client SSL on `fd` that checks the server certificate names `server_name`
// (an IP address is checked as one and sent without SNI).
ossl::SslPtr new_client_ssl(SSL_CTX* ctx, int fd, const std::string& server_name);

// OpenSSL's queued errors as one line (and clears the queue).
std::string ssl_error_text();

}  // namespace nanbyo::bench
