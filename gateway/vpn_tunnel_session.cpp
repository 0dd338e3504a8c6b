#include "gateway/vpn_tunnel_session.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "gateway/ips_enforcement.h"
#include "gateway/vpn/ip_packet.h"

namespace nanbyo::gw {
namespace {

using namespace std::chrono_literals;

constexpr std::size_t kReadChunk = 64 * 1024;
constexpr std::size_t kBatchBytes = 64 * 1024;  // ciphertext per socket write from the TUN side
constexpr auto kWriteTimeout = 10s;             // a client that stops reading is dropped
// Control frames (DPD answers) waiting for the downlink; at this many the uplink reads nothing
// more until they are out, so a client that sends DPD requests but reads nothing cannot make
// the queue grow (issue 15): one read chunk's frames at most come on top.
constexpr std::size_t kMaxQueuedControl = 64;
constexpr auto kGoodbyeTimeout = 1s;
// Drop records per session, kind and destination: the first at once, then one per interval
// with the count; past this many destinations the rest share one (vpn/drop_audit.h).
constexpr auto kDropAuditInterval = 10s;
constexpr std::size_t kDropAuditDestinations = 32;
constexpr auto kTick = 250ms;
constexpr uint64_t kKeyUpdateBytes = 1ull << 30;  // TLS 1.3 KeyUpdate every GiB sent

// IPv6 link-local traffic (router solicitations, MLD) that every client OS sends on a new
// interface: dropped and counted, but not worth an audit record each.
bool link_local_noise(std::span<const std::uint8_t> packet) {
  return packet.size() >= 40 && (packet[0] >> 4) == 6 && packet[8] == 0xfe &&
         (packet[9] & 0xc0) == 0x80;
}

}  // namespace

TunnelSession::TunnelSession(Stream& stream, Connection& conn, Context& ctx, TunnelSetup setup)
    : socket_(beast::get_lowest_layer(stream).socket()),
      conn_(conn),
      ctx_(ctx),
      setup_(std::move(setup)),
      tls_(stream.native_handle()),
      tun_(stream.get_executor(), std::exchange(setup_.tun_fd, -1)),
      joined_(stream.get_executor()),
      tick_(stream.get_executor()),
      drained_(stream.get_executor()),
      parser_(vpn::CstpLimits{setup_.mtu, false}),
      started_(Clock::now()),
      last_rx_(started_),
      last_data_(started_),
      drop_audit_(kDropAuditInterval, kDropAuditDestinations),
      scans_(ctx.runtime->tunnel_scans) {
  ctx.deadline->expires_never();  // the tunnel keeps its own time (DPD, idle)
  frame_.resize(vpn::kCstpHeaderSize + setup_.mtu + 64);
  plain_.resize(kReadChunk);
  conn_.set_close_handler(
      [this](const std::string& reason) { stop(reason, true, reason != kTunnelReplaced); });
}

TunnelSession::~TunnelSession() {
  conn_.set_close_handler(nullptr);
}

awaitable<TunnelTotals> TunnelSession::run(std::string connected_header,
                                           beast::flat_buffer& leftover) {
  control_.emplace_back(connected_header.begin(), connected_header.end());
  auto executor = co_await asio::this_coro::executor;
  auto joined = [this](std::exception_ptr) {
    --running_;
    joined_.cancel();
  };
  running_ = 2;
  asio::co_spawn(executor, downlink(), joined);
  asio::co_spawn(executor, housekeeping(), joined);
  take({static_cast<const std::uint8_t*>(leftover.data().data()), leftover.size()});
  leftover.consume(leftover.size());
  co_await uplink();
  stop("client-gone", false, false);  // no-op when a reason is already set
  while (running_ > 0) {
    joined_.expires_at(asio::steady_timer::time_point::max());
    beast::error_code ec;
    co_await joined_.async_wait(asio::redirect_error(use_awaitable, ec));
  }
  audit_drops(drop_audit_.flush());  // the drops since the last records, before the close record
  co_return totals_;
}

void TunnelSession::stop(const std::string& reason, bool goodbye, bool forget_cookie) {
  if (forget_cookie && ctx_.services.vpn) ctx_.services.vpn->cookies.revoke(setup_.cookie);
  if (closing_) return;
  closing_ = true;
  closing_since_ = Clock::now();
  totals_.reason = reason;
  if (goodbye) control_.push_back(vpn::disconnect_frame(reason));
  wake_downlink();
  drained_.cancel();  // an uplink held back by a full queue sees the end
}

void TunnelSession::queue_control(std::vector<std::uint8_t> frame) {
  control_.push_back(std::move(frame));
  wake_downlink();
}

void TunnelSession::wake_downlink() {
  if (waiting_tun_) tun_.cancel();  // the downlink wakes, sends, and waits again
}

awaitable<void> TunnelSession::uplink() {
  read_records();  // plaintext the SSL already held
  std::vector<std::uint8_t> chunk(kReadChunk);
  while (!closing_) {
    // Backpressure: while the client leaves its answers unread, read nothing more from it;
    // the housekeeping drops it after kWriteTimeout of blocked writes.
    while (control_.size() >= kMaxQueuedControl && !closing_) {
      drained_.expires_at(asio::steady_timer::time_point::max());
      beast::error_code held;
      co_await drained_.async_wait(asio::redirect_error(use_awaitable, held));
    }
    if (closing_) break;
    beast::error_code ec;
    co_await socket_.async_wait(tcp::socket::wait_read, asio::redirect_error(use_awaitable, ec));
    if (closing_) break;
    if (ec) {
      stop("client-gone: " + ec.message(), false, false);
      break;
    }
    const ssize_t n = ::recv(socket_.native_handle(), chunk.data(), chunk.size(), MSG_DONTWAIT);
    if (n == 0) {
      stop("client-gone: connection closed", false, false);
      break;
    }
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) continue;
      stop(std::string("client-gone: ") + std::strerror(errno), false, false);
      break;
    }
    last_rx_ = Clock::now();
    conn_.bytes_in += static_cast<uint64_t>(n);
    totals_.bytes_in += static_cast<uint64_t>(n);
    tls_.put_ciphertext({chunk.data(), static_cast<std::size_t>(n)});
    read_records();
    if (tls_.has_ciphertext()) wake_downlink();  // e.g. the answer to a KeyUpdate
  }
}

void TunnelSession::read_records() {
  while (!closing_) {
    auto got = tls_.read(plain_);
    if (!got) {
      stop(got.error().message == "closed" ? "client-gone: close_notify"
                                           : "tls-error: " + got.error().message,
           false, false);
      return;
    }
    if (*got == 0) return;
    take({plain_.data(), *got});
  }
}

void TunnelSession::take(std::span<const std::uint8_t> bytes) {
  while (!bytes.empty() && !closing_) {
    const auto step = parser_.feed(bytes);
    bytes = bytes.subspan(step.consumed);
    if (step.status == vpn::CstpFrameParser::Status::NeedMore) return;
    if (step.status == vpn::CstpFrameParser::Status::Failed) {
      ctx_.services.metrics.vpn_frames_rejected++;
      ctx_.audit("vpn-frame-reject", audit::Outcome::Deny,
                 {{"check", "malformed-frame"},
                  {"detail", parser_.error_message()},
                  {"session", setup_.session_id}});
      stop("malformed-frame", true, true);
      return;
    }
    on_frame(parser_.frame());
  }
}

void TunnelSession::on_frame(const vpn::CstpFrame& frame) {
  switch (frame.type) {
    case vpn::CstpType::Data:
      on_packet(frame.payload);
      break;
    case vpn::CstpType::DpdRequest:
      queue_control(vpn::dpd_response_for(frame));
      break;
    case vpn::CstpType::DpdResponse:
    case vpn::CstpType::Keepalive:
      break;  // the bytes themselves proved the peer alive
    case vpn::CstpType::Disconnect:
    case vpn::CstpType::Terminate: {
      const auto why = vpn::parse_disconnect(frame.payload);
      stop("client-disconnect" + (why.text.empty() ? "" : ": " + why.text), false, true);
      break;
    }
    case vpn::CstpType::Compressed:
      break;  // the parser refuses it: compression is never agreed
  }
}

void TunnelSession::on_packet(std::span<const std::uint8_t> packet) {
  const auto now = Clock::now();
  const auto info = vpn::inspect_packet(packet);
  // Scans and floods count whatever the packet policy makes of the packets (issue 15).
  const auto alerts = info ? scans_.observe(*info, now) : scans_.observe_unreadable(now);
  for (const vpn::ScanAlert& alert : alerts) charge_tunnel_alert(ctx_, setup_.session_id, alert);
  const auto decision =
      info ? setup_.profile->packets.evaluate(*info, net::IpAddress(setup_.address),
                                              setup_.address_v6 ? &*setup_.address_v6 : nullptr)
           : vpn::PacketDecision{vpn::Verdict::DropMalformed, info.error().message, {}};
  if (decision.verdict == vpn::Verdict::Allow) {
    last_data_ = now;
    // A TUN write does not block; a full queue (ENOBUFS) drops the packet as a router would.
    if (::write(tun_.native_handle(), packet.data(), packet.size()) >= 0) {
      ++totals_.packets_in;
      ctx_.services.metrics.vpn_packets_in++;
    }
    return;
  }
  ++totals_.dropped;
  ctx_.services.metrics.vpn_packets_dropped++;
  if (decision.verdict == vpn::Verdict::DropOutsideService) {
    ctx_.services.metrics.vpn_packets_outside_service++;
  }
  if (link_local_noise(packet)) return;
  if (auto record = drop_audit_.on_drop(decision, now)) audit_drops({*record});
}

// `dropped`: the drops the record covers (the first one alone, or those of an interval).
void TunnelSession::audit_drops(const std::vector<vpn::DropAuditLimiter::Record>& records) {
  for (const auto& r : records) {
    ctx_.audit("vpn-packet-drop", audit::Outcome::Deny,
               {{"check", std::string(vpn::to_string(r.verdict))},
                {"destination", r.destination},
                {"detail", r.detail},
                {"dropped", std::to_string(r.dropped)},
                {"session", setup_.session_id}});
  }
}

// Control frames, then every packet the TUN holds, each its own TLS record.
void TunnelSession::encode_pending() {
  while (!control_.empty()) {
    if (auto ok = tls_.write_record(control_.front()); !ok) {
      stop("tls-error: " + ok.error().message, false, false);
      return;
    }
    control_.pop_front();
  }
  drained_.cancel();  // the uplink may read again
  const std::size_t room = frame_.size() - vpn::kCstpHeaderSize;
  std::size_t batch = 0;
  while (!closing_ && batch < kBatchBytes) {
    const ssize_t n = ::read(tun_.native_handle(), frame_.data() + vpn::kCstpHeaderSize, room);
    if (n <= 0) {
      if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        stop(std::string("tun-error: ") + std::strerror(errno), true, false);
      }
      return;
    }
    const auto header = vpn::encode_header(vpn::CstpType::Data, static_cast<std::uint16_t>(n));
    std::memcpy(frame_.data(), header.data(), header.size());
    const std::size_t size = vpn::kCstpHeaderSize + static_cast<std::size_t>(n);
    if (auto ok = tls_.write_record({frame_.data(), size}); !ok) {
      stop("tls-error: " + ok.error().message, false, false);
      return;
    }
    batch += size;
    ++totals_.packets_out;
    ctx_.services.metrics.vpn_packets_out++;
  }
}

// Sends every ciphertext byte waiting; false when the socket failed.
awaitable<bool> TunnelSession::flush() {
  tls_.take_ciphertext(outgoing_);
  while (sent_ < outgoing_.size()) {
    const ssize_t n = ::send(socket_.native_handle(), outgoing_.data() + sent_,
                             outgoing_.size() - sent_, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n > 0) {
      sent_ += static_cast<std::size_t>(n);
      conn_.bytes_out += static_cast<uint64_t>(n);
      totals_.bytes_out += static_cast<uint64_t>(n);
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
      if (!write_blocked_since_) write_blocked_since_ = Clock::now();
      beast::error_code ec;
      co_await socket_.async_wait(tcp::socket::wait_write, asio::redirect_error(use_awaitable, ec));
      if (!ec) continue;
    }
    co_return false;
  }
  outgoing_.clear();
  sent_ = 0;
  write_blocked_since_.reset();
  co_return true;
}

awaitable<void> TunnelSession::downlink() {
  for (;;) {
    const bool last = closing_;
    if (!last && control_.empty() && !tls_.has_ciphertext()) {
      beast::error_code ec;
      waiting_tun_ = true;
      co_await tun_.async_wait(asio::posix::descriptor::wait_read,
                               asio::redirect_error(use_awaitable, ec));
      waiting_tun_ = false;
      if (ec && ec != asio::error::operation_aborted) {
        stop("tun-error: " + ec.message(), true, false);
      }
      if (ec) continue;
    }
    encode_pending();
    if (!co_await flush()) {
      stop("client-gone: write failed", false, false);
      break;
    }
    if (last) break;  // the goodbye, if any, is out
  }
  downlink_done_ = true;
  conn_.shutdown_socket();  // ends the uplink's wait too
}

awaitable<void> TunnelSession::housekeeping() {
  const auto& settings = setup_.profile->settings;
  while (!downlink_done_) {
    tick_.expires_after(kTick);
    beast::error_code ec;
    co_await tick_.async_wait(asio::redirect_error(use_awaitable, ec));
    if (downlink_done_) break;
    const auto now = Clock::now();
    audit_drops(drop_audit_.due(now));
    if (closing_) {
      // The goodbye could not leave (a peer that does not read): close without it.
      if (now - closing_since_ >= kGoodbyeTimeout) conn_.shutdown_socket();
    } else if (write_blocked_since_ && now - *write_blocked_since_ >= kWriteTimeout) {
      stop("client-not-reading", false, false);
      conn_.shutdown_socket();
    } else if (now - last_rx_ >= 3 * settings.dpd) {
      stop("dpd-timeout", true, false);
    } else if (settings.session_timeout && now - started_ >= *settings.session_timeout) {
      stop("session-timeout", true, true);
    } else if (settings.idle_timeout && now - last_data_ >= *settings.idle_timeout) {
      stop("idle-timeout", true, true);
    } else if (totals_.bytes_out - bytes_at_key_update_ >= kKeyUpdateBytes) {
      // Goes out with the downlink's next record; the client answers in kind.
      tls_.request_key_update();
      bytes_at_key_update_ = totals_.bytes_out;
    }
  }
}

}  // namespace nanbyo::gw
