#!/usr/bin/env python3
"""Scenario: a misbehaving client or upstream costs one request, not the gateway (S-3).

Each abuse gets the answer a user would see, an audit record naming the
check, and afterwards an ordinary request still succeeds:
  a 20 KB header              -> 431  request-reject / oversized-header
  a 2 MB body                 -> 413  request-reject / oversized-body
  TCP without a TLS hello     -> closed after limits.header_timeout_ms (1 s) / tls-reject
  a slowloris client          -> closed after limits.header_timeout_ms (1 s) / slow-client
  a malformed request line    -> 400  request-reject / malformed-request
  the upstream dies mid-reply -> 502  upstream-failure / upstream-failed
  the upstream is down        -> 502  upstream-failure / upstream-connect-failed
  the upstream is too slow    -> 504  upstream-failure / upstream-timeout
"""
import select
import socket
import time

from harness import Scenario, check, check_eq, note, step

HEADER_TIMEOUT_MS = 1000
RESPONSE_TIMEOUT_MS = 1000


def status_of(answer):
    """The status code of the first response line in `answer` (bytes), or None."""
    if not answer.startswith(b"HTTP/1."):
        return None
    return int(answer.split(b" ", 2)[1])


with Scenario("robustness") as s:
    pc = s.issue_client("1310000001", "pc01")
    s.start_upstream()
    s.start_gateway(limits={"header_timeout_ms": HEADER_TIMEOUT_MS},
                    upstream={"response_timeout_ms": RESPONSE_TIMEOUT_MS},
                    routes=[s.route("/")])
    s.healthy(pc, "a normal request before any abuse")

    step("a 20 KB header gets 431")
    mark = s.audit_mark()
    reply = s.curl(pc, "/api/big", "-H", "X-Big: " + "a" * 20 * 1024)
    check_eq(431, reply.status, f"status for a 20 KB header ({reply.stderr.strip()})")
    s.wait_audit("request-reject", check="oversized-header", after=mark, actor=pc.serial)
    s.healthy(pc, "a request after the oversized header")

    step("a 2 MB body, beyond max_body_bytes (1 MB by default), gets 413")
    mark = s.audit_mark()
    with open(s.path("2mb.bin"), "wb") as f:
        f.write(b"x" * (2 << 20))
    reply = s.curl(pc, "/api/upload", "--data-binary", "@" + s.path("2mb.bin"))
    check_eq(413, reply.status, f"status for a 2 MB body ({reply.stderr.strip()})")
    s.wait_audit("request-reject", check="oversized-body", after=mark, actor=pc.serial)
    s.healthy(pc, "a request after the oversized body")

    step(f"a TCP client that never starts TLS is closed after header_timeout ({HEADER_TIMEOUT_MS} ms)")
    mark = s.audit_mark()
    silent = socket.create_connection(("127.0.0.1", s.gateway_port), timeout=10)
    started = time.monotonic()
    check_eq(b"", silent.recv(1), "what a silent client reads")
    closed_after = time.monotonic() - started
    silent.close()
    note(f"silent connection closed after {closed_after * 1000:.0f} ms")
    check(closed_after <= HEADER_TIMEOUT_MS / 1000 + 2, f"closed only after {closed_after:.2f} s")
    s.wait_audit("tls-reject", check="tls-handshake-failed", after=mark)

    step(f"a slowloris client is closed after header_timeout ({HEADER_TIMEOUT_MS} ms)")
    mark = s.audit_mark()
    tls = s.tls_socket(pc)
    tls.sendall(b"GET /api/slow HTTP/1.1\r\nHost: x\r\n")
    started = time.monotonic()
    closed_after = None
    for byte in b"X-Slowloris: " + b"a" * 20:
        readable, _, _ = select.select([tls], [], [], 1.0)
        if readable:
            try:
                data = tls.recv(4096)
            except OSError:
                data = b""
            if not data:
                closed_after = time.monotonic() - started
                break
            check(False, f"the gateway answered a slowloris client: {data[:100]!r}")
        try:
            tls.sendall(bytes([byte]))
        except OSError:
            closed_after = time.monotonic() - started
            break
    tls.close()
    check(closed_after is not None, "the slowloris connection was still open after 20 s")
    note(f"slowloris connection closed after {closed_after * 1000:.0f} ms")
    check(HEADER_TIMEOUT_MS / 1000 * 0.8 <= closed_after <= HEADER_TIMEOUT_MS / 1000 + 2,
          f"closed after {closed_after:.2f} s, expected about {HEADER_TIMEOUT_MS / 1000} s")
    s.wait_audit("slow-client", after=mark, actor=pc.serial)
    s.healthy(pc, "a request after the slowloris client")

    step("a malformed request line gets 400 (openssl s_client)")
    mark = s.audit_mark()
    _, answer, _ = s.s_client(pc, send=b"THIS IS NOT HTTP\r\n\r\n")
    check_eq(400, status_of(answer), f"status for a malformed request line; answer {answer[:100]!r}")
    s.wait_audit("request-reject", check="malformed-request", after=mark)
    s.healthy(pc, "a request after the malformed one")

    step("the upstream dies in the middle of its response: 502")
    mark = s.audit_mark()
    reply = s.curl(pc, "/die")
    check_eq(502, reply.status, "status when the upstream dies mid-response")
    s.wait_audit("upstream-failure", check="upstream-failed", after=mark)
    s.healthy(pc, "a request after the upstream died mid-response")

    step("the upstream is down: 502, and served again once it is back")
    s.stop_upstream()
    mark = s.audit_mark()
    reply = s.curl(pc, "/api/anyone-there")
    check_eq(502, reply.status, "status while the upstream is down")
    s.wait_audit("upstream-failure", check="upstream-connect-failed", after=mark)
    s.start_upstream(port=s.upstream_port)
    s.healthy(pc, "a request once the upstream is back")

    step(f"the upstream answers after 3 s, beyond response_timeout ({RESPONSE_TIMEOUT_MS} ms): 504")
    mark = s.audit_mark()
    started = time.monotonic()
    reply = s.curl(pc, "/slow?ms=3000")
    took = time.monotonic() - started
    check_eq(504, reply.status, "status for a too slow upstream")
    note(f"504 after {took * 1000:.0f} ms")
    check(took < 2.5, f"the 504 came after {took:.2f} s, not about {RESPONSE_TIMEOUT_MS / 1000} s")
    s.wait_audit("upstream-failure", check="upstream-timeout", after=mark)
    s.healthy(pc, "a request after the upstream timeout")
    check(s.gateway_alive(), "the gateway is still running")
