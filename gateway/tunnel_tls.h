// The TLS record layer of a running VPN tunnel, taken over from Asio's ssl::stream once the
// tunnel opens. openconnect reads one TLS record per CSTP frame ("Unexpected packet length"
// otherwise), so every frame is its own SSL_write; to keep one socket write for many frames
// the records go to a memory BIO and leave in one send(). Ciphertext read from the socket
// goes in through a memory BIO as well. Single-threaded: the connection's executor only.
#pragma once

#include <openssl/ssl.h>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "pki/result.h"

namespace nanbyo::gw {

class TunnelTls {
 public:
  // Replaces the SSL's BIOs (Asio's pair) by two memory BIOs. Plaintext the SSL already
  // holds stays readable; after this only this object may read or write the SSL.
  explicit TunnelTls(SSL* ssl);

  // Ciphertext from the socket.
  void put_ciphertext(std::span<const std::uint8_t> bytes);
  // Plaintext of the next record(s): > 0 bytes, 0 when more ciphertext is needed, or an
  // error (the peer's close_notify is the error "closed").
  Result<std::size_t> read(std::span<std::uint8_t> out);

  // One record per call (frames and headers are far below 16 KiB).
  Result<void> write_record(std::span<const std::uint8_t> plaintext);
  // The ciphertext waiting for the socket, appended to `out`.
  std::size_t take_ciphertext(std::vector<std::uint8_t>& out);
  bool has_ciphertext() const;
  // TLS 1.3 only (a no-op on 1.2): new keys both ways, sent with the next record.
  void request_key_update();

 private:
  SSL* ssl_;
  BIO* in_;   // owned by the SSL
  BIO* out_;  // owned by the SSL
};

}  // namespace nanbyo::gw
