#!/usr/bin/env python3
"""The scenario tests' upstream: a small HTTP/1.1 keep-alive server that stands
in for appcore behind nanbyo-gateway. It is a test peer, not under test.

  python3 upstream.py PORT          # listens on 127.0.0.1:PORT, prints "listening PORT"

Any path     200, JSON {"method", "path", "normalized_path", "headers": [[name, value], ...],
             "body_bytes"}: the request exactly as the gateway forwarded it, and the
             path a server that percent-decodes and removes dot segments would serve.
/slow?ms=N   the same, after sleeping N milliseconds.
/die         a status line and half the headers, then the connection is closed.
/close-delimited
             200 without Content-Length, the body ended by closing the connection.
/large?bytes=N
             200 with a body of N bytes ("0123456789" repeated), in one write.
/session?user=U&issued=T
             the same JSON, with the header "X-Nanbyo-Session: user=U; issued=T"
             (what appcore sends to tell the gateway whose session this is).
"""
import json
import posixpath
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive unless the client says close

    def do_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        url = urlsplit(self.path)
        query = parse_qs(url.query)

        if url.path == "/die":
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/pl")
            self.wfile.flush()
            self.close_connection = True
            return
        if url.path == "/close-delimited":  # no Content-Length: the body ends when the connection does
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n"
                             b"the whole body")
            self.wfile.flush()
            self.close_connection = True
            return
        if url.path == "/large":
            size = int(query.get("bytes", ["0"])[0])
            body = (b"0123456789" * (size // 10 + 1))[:size]
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(size))
            self.end_headers()
            self.wfile.write(body)
            return
        if url.path == "/slow":
            time.sleep(int(query.get("ms", ["0"])[0]) / 1000.0)

        payload = json.dumps({
            "method": self.command,
            "path": self.path,
            # What a server that percent-decodes and then removes dot segments would serve.
            "normalized_path": posixpath.normpath(unquote(self.path.split("?")[0])),
            "headers": [[k, v] for k, v in self.headers.items()],
            "body_bytes": len(body),
        }).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        if url.path == "/session":
            user = query.get("user", [""])[0]
            issued = query.get("issued", [""])[0]
            self.send_header("X-Nanbyo-Session", f"user={user}; issued={issued}")
        self.end_headers()
        if self.command != "HEAD":  # a HEAD response has the headers of a GET, no body
            self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_any

    def log_message(self, fmt, *args):  # one short line per request on stderr
        sys.stderr.write("upstream: " + (fmt % args) + "\n")


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True  # restartable on the same port (the "upstream down" scenario)


def main():
    port = int(sys.argv[1])
    server = Server(("127.0.0.1", port), Handler)
    print(f"listening {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
