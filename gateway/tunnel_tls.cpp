#include "gateway/tunnel_tls.h"

#include <openssl/err.h>

namespace nanbyo::gw {
namespace {

std::string tls_error(SSL* ssl, int ret, const char* what) {
  const int code = SSL_get_error(ssl, ret);
  const unsigned long detail = ERR_get_error();
  ERR_clear_error();
  std::string message = std::string(what) + " failed (SSL error " + std::to_string(code) + ")";
  if (detail != 0) {
    char text[256];
    ERR_error_string_n(detail, text, sizeof text);
    message += ": " + std::string(text);
  }
  return message;
}

}  // namespace

TunnelTls::TunnelTls(SSL* ssl) : ssl_(ssl), in_(BIO_new(BIO_s_mem())), out_(BIO_new(BIO_s_mem())) {
  // An empty memory BIO means "try again", not end of file.
  BIO_set_mem_eof_return(in_, -1);
  BIO_set_mem_eof_return(out_, -1);
  SSL_set_bio(ssl_, in_, out_);  // frees Asio's half of its BIO pair
}

void TunnelTls::put_ciphertext(std::span<const std::uint8_t> bytes) {
  BIO_write(in_, bytes.data(), static_cast<int>(bytes.size()));
}

Result<std::size_t> TunnelTls::read(std::span<std::uint8_t> out) {
  const int n = SSL_read(ssl_, out.data(), static_cast<int>(out.size()));
  if (n > 0) return static_cast<std::size_t>(n);
  switch (SSL_get_error(ssl_, n)) {
    case SSL_ERROR_WANT_READ:
    case SSL_ERROR_WANT_WRITE:
      return std::size_t{0};
    case SSL_ERROR_ZERO_RETURN:
      return fail("closed");
    default:
      return fail(tls_error(ssl_, n, "TLS read"));
  }
}

Result<void> TunnelTls::write_record(std::span<const std::uint8_t> plaintext) {
  const int n = SSL_write(ssl_, plaintext.data(), static_cast<int>(plaintext.size()));
  if (n == static_cast<int>(plaintext.size())) return {};
  return fail(tls_error(ssl_, n, "TLS write"));
}

std::size_t TunnelTls::take_ciphertext(std::vector<std::uint8_t>& out) {
  const std::size_t pending = BIO_ctrl_pending(out_);
  if (pending == 0) return 0;
  const std::size_t start = out.size();
  out.resize(start + pending);
  const int n = BIO_read(out_, out.data() + start, static_cast<int>(pending));
  out.resize(start + static_cast<std::size_t>(n > 0 ? n : 0));
  return out.size() - start;
}

void TunnelTls::request_key_update() {
  if (SSL_version(ssl_) == TLS1_3_VERSION) SSL_key_update(ssl_, SSL_KEY_UPDATE_REQUESTED);
}

bool TunnelTls::has_ciphertext() const {
  return BIO_ctrl_pending(out_) > 0;
}

}  // namespace nanbyo::gw
