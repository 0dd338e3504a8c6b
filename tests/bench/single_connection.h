// The load client's one-connection modes, blocking and simple:
//   once: one GET, print the whole response (to check a proxy's configuration);
//   hold: one GET on a keep-alive connection, then wait until the server closes
//         it and print when (CLOCK_REALTIME), for revoke-to-closed latency.
#pragma once

#include <netinet/in.h>
#include <openssl/ssl.h>

#include <string>

namespace nanbyo::bench {

struct SingleRequest {
  sockaddr_in server{};
  std::string server_name;
  SSL_CTX* tls = nullptr;
  std::string request;
  std::string watch_file;  // hold: also print when this file is replaced (the CRL)
};

// Exit status: 0 for a 200 response, 1 otherwise.
int run_once(const SingleRequest& r);

// Prints "ready serial=<hex>" once the response arrived, then "closed realtime_ns=<n>"
// when the server ends the connection (exit 0), or "still-open" after timeout (exit 3).
// With watch_file, the close line also carries "published_realtime_ns=<n>": when
// that file was last created, written or renamed into place (inotify, so the
// client hears of it the moment the server does).
int run_hold(const SingleRequest& r, double timeout_seconds);

}  // namespace nanbyo::bench
