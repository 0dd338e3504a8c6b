#include "tests/bench/load_worker.h"

#include <netinet/tcp.h>
#include <openssl/err.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>

#include "tests/bench/tls_client.h"

namespace nanbyo::bench {
namespace {

uint64_t ns_between(Clock::time_point a, Clock::time_point b) {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(b - a).count());
}

bool would_block(SSL* ssl, int r) {
  int e = SSL_get_error(ssl, r);
  return e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE;
}

}  // namespace

void LoadCounters::merge(LoadCounters&& o) {
  completed += o.completed;
  completed_total += o.completed_total;
  handshakes += o.handshakes;
  server_closed += o.server_closed;
  err_connect += o.err_connect;
  err_handshake += o.err_handshake;
  err_io += o.err_io;
  err_status += o.err_status;
  err_body += o.err_body;
  attacks_blocked += o.attacks_blocked;
  attacks_passed += o.attacks_passed;
  latency_ns.insert(latency_ns.end(), o.latency_ns.begin(), o.latency_ns.end());
  handshake_ns.insert(handshake_ns.end(), o.handshake_ns.begin(), o.handshake_ns.end());
}

LoadWorker::LoadWorker(const LoadPlan& plan, int connections)
    : plan_(plan), epoll_fd_(epoll_create1(EPOLL_CLOEXEC)), conns_(connections) {
  if (epoll_fd_ < 0) throw std::runtime_error("epoll_create1 failed");
  counters_.latency_ns.reserve(1 << 18);
}

LoadWorker::~LoadWorker() {
  for (auto& c : conns_) close(c, false);
  ::close(epoll_fd_);
}

void LoadWorker::open(std::size_t slot) {
  Conn& c = conns_[slot];
  c.fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (c.fd < 0) throw std::runtime_error("socket() failed");
  int one = 1;
  setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  c.generation++;
  c.opened = Clock::now();
  c.responses = 0;
  c.reader.reset();
  c.ssl = new_client_ssl(plan_.tls, c.fd, plan_.server_name);
  c.state = State::Connecting;
  int r = connect(c.fd, reinterpret_cast<const sockaddr*>(&plan_.server), sizeof plan_.server);
  if (r != 0 && errno != EINPROGRESS) {
    counters_.err_connect++;
    close(c, false);
    return;  // tried again when the loop notices a closed slot
  }
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLOUT | EPOLLET | EPOLLRDHUP;
  ev.data.u64 = (static_cast<uint64_t>(c.generation) << 32) | slot;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, c.fd, &ev);
}

void LoadWorker::close(Conn& c, bool send_close_notify) {
  if (c.fd < 0) return;
  if (send_close_notify && c.ssl) SSL_shutdown(c.ssl.get());  // one try: never wait for the peer's
  c.ssl.reset();
  ::close(c.fd);  // also removes it from the epoll set
  c.fd = -1;
  c.state = State::Closed;
}

void LoadWorker::reopen(std::size_t slot) {
  close(conns_[slot], false);
  if (Clock::now() < plan_.measure_until) open(slot);
}

void LoadWorker::fail(std::size_t slot, uint64_t& counter) {
  if (Clock::now() < plan_.measure_until) counter++;
  reopen(slot);
}

bool LoadWorker::finish_response(std::size_t slot) {
  Conn& c = conns_[slot];
  const auto now = Clock::now();
  const HttpResponseReader& r = c.reader;
  if (c.attacking) {
    // The attack's answer: 403 counts as a good (refused) response, 200 as a missed one.
    if (r.status() != 403 && r.status() != 200) {
      fail(slot, counters_.err_status);
      return false;
    }
    if (in_window(now))
      (r.status() == 403 ? counters_.attacks_blocked : counters_.attacks_passed)++;
  } else if (r.status() != 200) {
    fail(slot, counters_.err_status);
    return false;
  }
  if ((!c.attacking && plan_.expect_body >= 0 &&
       r.body_bytes() != static_cast<std::size_t>(plan_.expect_body)) ||
      r.extra_bytes() != 0) {
    fail(slot, counters_.err_body);
    return false;
  }
  c.responses++;
  counters_.completed_total++;
  if (in_window(now)) {
    counters_.completed++;
    counters_.latency_ns.push_back(ns_between(c.request_started, now));
  }
  if (plan_.mode == LoadMode::NewConnection) {
    close(c, true);
    if (now < plan_.measure_until) open(slot);
    return false;
  }
  if (r.server_closes()) {  // e.g. a per-connection request limit
    counters_.server_closed++;
    reopen(slot);
    return false;
  }
  c.state = State::Writing;
  choose_request(c);
  c.request_started = now;
  return true;
}

// Once per request, before its first write (a write that would block is retried with the
// same bytes): every attack_every-th request of the slot is the attack.
void LoadWorker::choose_request(Conn& c) {
  c.attacking = plan_.attack_every != 0 && ++c.sent % plan_.attack_every == 0;
}

void LoadWorker::drive(std::size_t slot, uint32_t events) {
  Conn& c = conns_[slot];
  if (c.state == State::Connecting) {
    if (events & (EPOLLERR | EPOLLHUP)) return fail(slot, counters_.err_connect);
    if (!(events & EPOLLOUT)) return;
    c.state = State::Handshake;
  }
  char buf[16384];
  for (;;) {
    SSL* ssl = c.ssl.get();
    switch (c.state) {
      case State::Closed:
      case State::Connecting:
        return;
      case State::Handshake: {
        int r = SSL_connect(ssl);
        if (r != 1) {
          if (would_block(ssl, r)) return;
          ERR_clear_error();
          return fail(slot, counters_.err_handshake);
        }
        const auto now = Clock::now();
        if (in_window(now)) {
          counters_.handshakes++;
          if (plan_.mode == LoadMode::NewConnection) {
            counters_.handshake_ns.push_back(ns_between(c.opened, now));
          }
        }
        c.request_started = plan_.mode == LoadMode::NewConnection ? c.opened : now;
        c.state = State::Writing;
        choose_request(c);
        break;
      }
      case State::Writing: {
        const std::string& request = c.attacking ? plan_.attack_request : plan_.request;
        int r = SSL_write(ssl, request.data(), static_cast<int>(request.size()));
        if (r <= 0) {
          if (would_block(ssl, r)) return;
          ERR_clear_error();
          return fail(slot, counters_.err_io);
        }
        c.reader.reset();
        c.state = State::Reading;
        break;
      }
      case State::Reading: {
        int r = SSL_read(ssl, buf, sizeof buf);
        HttpResponseReader::Progress p;
        if (r > 0) {
          p = c.reader.feed(buf, static_cast<std::size_t>(r));
        } else if (would_block(ssl, r)) {
          return;
        } else {
          ERR_clear_error();
          // An idle keep-alive connection the server ended: not an error, reopen it.
          if (plan_.mode == LoadMode::KeepAlive && !c.reader.got_some() && c.responses > 0) {
            counters_.server_closed++;
            return reopen(slot);
          }
          p = c.reader.end_of_stream();
        }
        if (p == HttpResponseReader::Progress::Bad) return fail(slot, counters_.err_io);
        if (p == HttpResponseReader::Progress::Done && !finish_response(slot)) return;
        break;
      }
    }
  }
}

void LoadWorker::run() {
  for (std::size_t i = 0; i < conns_.size(); ++i) open(i);
  epoll_event events[256];
  for (;;) {
    const auto now = Clock::now();
    if (now >= plan_.measure_until) break;
    // A slot left closed by a failed connect() is retried here.
    for (std::size_t i = 0; i < conns_.size(); ++i) {
      if (conns_[i].fd < 0) open(i);
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(plan_.measure_until - now);
    int timeout = static_cast<int>(std::clamp<long long>(left.count() + 1, 1, 100));
    int n = epoll_wait(epoll_fd_, events, 256, timeout);
    for (int i = 0; i < n; ++i) {
      const std::size_t slot = events[i].data.u64 & 0xffffffffu;
      const auto generation = static_cast<uint32_t>(events[i].data.u64 >> 32);
      if (slot >= conns_.size() || conns_[slot].generation != generation || conns_[slot].fd < 0) {
        continue;  // an event for a connection already replaced
      }
      drive(slot, events[i].events);
    }
  }
  for (auto& c : conns_) close(c, false);
}

}  // namespace nanbyo::bench
