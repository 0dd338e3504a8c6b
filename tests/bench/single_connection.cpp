#include "tests/bench/single_connection.h"

#include <openssl/err.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <optional>

#include "tests/bench/http_response_reader.h"
#include "tests/bench/tls_client.h"

namespace nanbyo::bench {
namespace {

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// Connects, handshakes, sends the request and reads one whole response into `raw`.
std::optional<HttpResponseReader> exchange(const SingleRequest& r, const Fd& fd, SSL* ssl,
                                           std::string& raw) {
  if (connect(fd.get(), reinterpret_cast<const sockaddr*>(&r.server), sizeof r.server) != 0) {
    std::perror("mtls_load: connect");
    return std::nullopt;
  }
  if (SSL_connect(ssl) != 1) {
    std::cerr << "mtls_load: TLS handshake failed: " << ssl_error_text() << "\n";
    return std::nullopt;
  }
  if (SSL_write(ssl, r.request.data(), static_cast<int>(r.request.size())) <= 0) {
    std::cerr << "mtls_load: write failed: " << ssl_error_text() << "\n";
    return std::nullopt;
  }
  HttpResponseReader reader;
  char buf[16384];
  for (;;) {
    int n = SSL_read(ssl, buf, sizeof buf);
    auto p = n > 0 ? reader.feed(buf, static_cast<std::size_t>(n)) : reader.end_of_stream();
    if (n > 0) raw.append(buf, static_cast<std::size_t>(n));
    if (p == HttpResponseReader::Progress::Done) return reader;
    if (p == HttpResponseReader::Progress::Bad) {
      std::cerr << "mtls_load: bad or truncated response: " << ssl_error_text() << "\n";
      return std::nullopt;
    }
  }
}

// Watches the directory of `file` for it being replaced; -1 when there is nothing to watch.
class FileWatch {
 public:
  explicit FileWatch(const std::string& file) {
    if (file.empty()) return;
    auto slash = file.rfind('/');
    dir_ = slash == std::string::npos ? "." : file.substr(0, slash);
    name_ = slash == std::string::npos ? file : file.substr(slash + 1);
    fd_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd_ >= 0) inotify_add_watch(fd_, dir_.c_str(), IN_MOVED_TO | IN_CLOSE_WRITE | IN_CREATE);
  }
  ~FileWatch() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileWatch(const FileWatch&) = delete;
  FileWatch& operator=(const FileWatch&) = delete;
  int fd() const { return fd_; }

  // Drains the events; true when one named the file.
  bool changed() {
    alignas(inotify_event) char buf[4096];
    bool hit = false;
    for (;;) {
      ssize_t n = read(fd_, buf, sizeof buf);
      if (n <= 0) return hit;
      for (ssize_t off = 0; off + static_cast<ssize_t>(sizeof(inotify_event)) <= n;) {
        const auto* e = reinterpret_cast<const inotify_event*>(buf + off);
        if (e->len > 0 && name_ == e->name) hit = true;
        off += static_cast<ssize_t>(sizeof(inotify_event) + e->len);
      }
    }
  }

 private:
  int fd_ = -1;
  std::string dir_, name_;
};

long long realtime_ns() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<long long>(ts.tv_sec) * 1'000'000'000LL + ts.tv_nsec;
}

}  // namespace

int run_once(const SingleRequest& r) {
  Fd fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  auto ssl = new_client_ssl(r.tls, fd.get(), r.server_name);
  std::string raw;
  auto reader = exchange(r, fd, ssl.get(), raw);
  if (!reader) return 1;
  std::cout << raw << std::flush;
  SSL_shutdown(ssl.get());
  return reader->status() == 200 ? 0 : 1;
}

int run_hold(const SingleRequest& r, double timeout_seconds) {
  Fd fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  auto ssl = new_client_ssl(r.tls, fd.get(), r.server_name);
  std::string raw;
  auto reader = exchange(r, fd, ssl.get(), raw);
  if (!reader || reader->status() != 200 || reader->server_closes()) {
    std::cerr << "mtls_load: no keep-alive 200 response to hold the connection with\n";
    return 1;
  }
  X509* cert = SSL_get_certificate(ssl.get());
  ossl::BignumPtr serial(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr));
  char* hex = BN_bn2hex(serial.get());
  std::cout << "ready serial=" << hex << std::endl;
  OPENSSL_free(hex);

  FileWatch watch(r.watch_file);
  long long published = 0;
  const long long deadline = realtime_ns() + static_cast<long long>(timeout_seconds * 1e9);
  char buf[4096];
  for (;;) {
    long long left_ms = (deadline - realtime_ns()) / 1'000'000;
    if (left_ms <= 0) {
      std::cout << "still-open" << std::endl;
      return 3;
    }
    pollfd p[2] = {{fd.get(), POLLIN | POLLRDHUP, 0}, {watch.fd(), POLLIN, 0}};
    if (poll(p, watch.fd() >= 0 ? 2 : 1, static_cast<int>(std::min(left_ms, 1000LL))) <= 0)
      continue;
    if (p[1].revents & POLLIN) {
      const long long now = realtime_ns();
      if (watch.changed()) published = now;
    }
    if (!(p[0].revents & (POLLIN | POLLRDHUP | POLLHUP | POLLERR))) continue;
    int n = SSL_read(ssl.get(), buf, sizeof buf);
    if (n > 0) continue;  // nothing is expected, but not the end either
    int e = SSL_get_error(ssl.get(), n);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) continue;  // e.g. a session ticket
    const long long closed = realtime_ns();
    ERR_clear_error();
    std::cout << "closed realtime_ns=" << closed;
    if (published) std::cout << " published_realtime_ns=" << published;
    std::cout << std::endl;
    return 0;
  }
}

}  // namespace nanbyo::bench
