// A running OpenConnect tunnel: CSTP frames in TLS records on the socket one way, IP packets
// on the session's TUN interface the other (issue 4, S-6, S-8). The TLS record layer is the
// session's own from here (tunnel_tls.h); Asio's ssl::stream is no longer used.
//
// Three coroutines on the connection's executor (one thread, no locks):
// - uplink: socket -> TLS -> CstpFrameParser -> packet policy -> TUN; answers DPD; ends on a
//   client DISCONNECT, a malformed frame, a TLS error or the peer closing. Every packet also
//   passes the scan and flood detector (vpn/scan_detector.h), whose alerts are IPS offences. It
//   stops reading while the control frames it queued (DPD answers) wait for a client that does not
//   read.
// - downlink: the only writer of the socket. Encrypts queued control frames and every packet
//   the TUN holds (one record each), then sends them in one write; woken for control frames
//   by cancelling its TUN wait.
// - housekeeping: silence beyond 3 x DPD, a peer that stops reading, idle and session
//   timeouts, the goodbye deadline, TLS 1.3 key updates on long tunnels.
// stop() is the one way to end: the first reason wins, an optional goodbye (DISCONNECT frame)
// goes out, then the socket closes and all three return.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/session_context.h"
#include "gateway/tunnel_tls.h"
#include "gateway/vpn/address_pool.h"
#include "gateway/vpn/cstp_frame.h"
#include "gateway/vpn/drop_audit.h"
#include "gateway/vpn/scan_detector.h"
#include "gateway/vpn_state.h"

namespace nanbyo::gw {

// The reason given to an older tunnel of the same certificate when the PC opens a new one
// (openconnect reconnecting): it keeps the cookie the new tunnel uses.
inline constexpr std::string_view kTunnelReplaced = "replaced by a new tunnel of this certificate";

struct TunnelSetup {
  std::string cookie;      // the webvpn secret, to kill it when the session ends for good
  std::string session_id;  // not secret; in every audit record of the tunnel
  net::Ipv4Address address;
  unsigned mtu = 0;
  std::shared_ptr<const VpnProfile> profile;
  int tun_fd = -1;  // owned from here on
  std::string tun_name;
  std::optional<net::IpAddress> address_v6;  // a full tunnel's IPv6 capture address
};

struct TunnelTotals {
  std::string reason;
  uint64_t packets_in = 0, packets_out = 0, dropped = 0;
  uint64_t bytes_in = 0, bytes_out = 0;
};

class TunnelSession {
 public:
  TunnelSession(Stream& stream, Connection& conn, Context& ctx, TunnelSetup setup);
  ~TunnelSession();

  // Sends `connected_header` (the 200 CONNECTED answer), then runs until the tunnel is
  // over. `leftover` holds plaintext read past the CONNECT request.
  awaitable<TunnelTotals> run(std::string connected_header, beast::flat_buffer& leftover);

  // Ends the tunnel (first reason wins). `forget_cookie`: the client may not come back
  // with it (revocation, operator, client logout, misbehaviour).
  void stop(const std::string& reason, bool goodbye, bool forget_cookie);

 private:
  awaitable<void> uplink();
  awaitable<void> downlink();
  awaitable<void> housekeeping();
  void read_records();
  void take(std::span<const std::uint8_t> bytes);
  void on_frame(const vpn::CstpFrame& frame);
  void on_packet(std::span<const std::uint8_t> packet);
  void audit_drops(const std::vector<vpn::DropAuditLimiter::Record>& records);
  void queue_control(std::vector<std::uint8_t> frame);
  void wake_downlink();
  void encode_pending();
  awaitable<bool> flush();

  TcpSocket& socket_;
  Connection& conn_;
  Context& ctx_;
  TunnelSetup setup_;
  TunnelTls tls_;
  asio::posix::stream_descriptor tun_;
  asio::steady_timer joined_;
  asio::steady_timer tick_;
  asio::steady_timer drained_;  // the uplink waits here while control_ is full
  vpn::CstpFrameParser parser_;
  std::deque<std::vector<std::uint8_t>> control_;  // whole frames waiting for the downlink
  std::vector<std::uint8_t> frame_;                // one data frame being encrypted
  std::vector<std::uint8_t> plain_;                // the uplink's decrypted bytes
  std::vector<std::uint8_t> outgoing_;             // ciphertext waiting for the socket
  std::size_t sent_ = 0;
  bool waiting_tun_ = false;
  bool closing_ = false;
  bool downlink_done_ = false;
  int running_ = 0;  // coroutines besides the uplink
  TunnelTotals totals_;
  using Clock = std::chrono::steady_clock;
  Clock::time_point started_, last_rx_, last_data_, closing_since_;
  std::optional<Clock::time_point> write_blocked_since_;
  vpn::DropAuditLimiter drop_audit_;
  vpn::ScanDetector scans_;
  uint64_t bytes_at_key_update_ = 0;
};

}  // namespace nanbyo::gw
