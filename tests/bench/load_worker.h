// One thread of the load client: an epoll loop driving its share of the
// connections, non-blocking, edge-triggered, each a small state machine
// (connect, mutual-TLS handshake, write request, read response).
//   keep-alive:     each connection sends GET after GET over one TLS connection;
//   new-connection: each request on a fresh TCP connection and full mutual-TLS
//                   handshake ("Connection: close", no session resumption).
// Every latency whose response completes inside the measurement window is kept.
#pragma once

#include <netinet/in.h>
#include <openssl/ssl.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "pki/ossl_handles.h"
#include "tests/bench/http_response_reader.h"

namespace nanbyo::bench {

using Clock = std::chrono::steady_clock;

enum class LoadMode { KeepAlive, NewConnection };

struct LoadPlan {
  LoadMode mode = LoadMode::KeepAlive;
  sockaddr_in server{};
  std::string server_name;  // checked in the server certificate
  SSL_CTX* tls = nullptr;
  std::string request;         // the bytes of one request
  long long expect_body = -1;  // body length a good response has, or -1
  // The attack mix (issue 14): every attack_every-th request of a connection is this one
  // instead, and a good answer to it is 403 (the inspection refused it); 0: no attacks.
  std::string attack_request;
  unsigned attack_every = 0;
  Clock::time_point measure_from;
  Clock::time_point measure_until;  // the worker stops here
};

struct LoadCounters {
  uint64_t completed = 0;        // good responses completed inside the window
  uint64_t completed_total = 0;  // good responses, warm-up included
  uint64_t handshakes = 0;       // handshakes completed inside the window
  uint64_t server_closed = 0;    // idle keep-alive connections the server ended (reopened)
  uint64_t err_connect = 0;
  uint64_t err_handshake = 0;
  uint64_t err_io = 0;                 // reset, truncated or malformed response
  uint64_t err_status = 0;             // a status other than 200
  uint64_t err_body = 0;               // body length other than expected
  uint64_t attacks_blocked = 0;        // attacks answered 403 inside the window
  uint64_t attacks_passed = 0;         // attacks answered 200: a detection missed
  std::vector<uint64_t> latency_ns;    // per response inside the window
  std::vector<uint64_t> handshake_ns;  // new-connection mode: TCP connect + TLS handshake

  uint64_t errors() const { return err_connect + err_handshake + err_io + err_status + err_body; }
  void merge(LoadCounters&& other);
};

class LoadWorker {
 public:
  LoadWorker(const LoadPlan& plan, int connections);
  ~LoadWorker();
  LoadWorker(const LoadWorker&) = delete;
  LoadWorker& operator=(const LoadWorker&) = delete;

  void run();  // returns at plan.measure_until
  LoadCounters& counters() { return counters_; }

 private:
  enum class State { Closed, Connecting, Handshake, Writing, Reading };
  struct Conn {
    int fd = -1;
    uint32_t generation = 0;
    ossl::SslPtr ssl;
    State state = State::Closed;
    HttpResponseReader reader;
    Clock::time_point opened;
    Clock::time_point request_started;
    uint64_t responses = 0;  // on this TCP connection
    uint64_t sent = 0;       // requests written on this slot, for the attack mix
    bool attacking = false;  // the request in flight is the attack
  };

  void open(std::size_t slot);
  void close(Conn& c, bool send_close_notify);
  void reopen(std::size_t slot);
  void fail(std::size_t slot, uint64_t& counter);
  void drive(std::size_t slot, uint32_t events);
  bool finish_response(std::size_t slot);  // true: keep driving this connection
  void choose_request(Conn& c);
  bool in_window(Clock::time_point t) const {
    return t >= plan_.measure_from && t < plan_.measure_until;
  }

  const LoadPlan& plan_;
  int epoll_fd_ = -1;
  std::vector<Conn> conns_;
  LoadCounters counters_;
};

}  // namespace nanbyo::bench
