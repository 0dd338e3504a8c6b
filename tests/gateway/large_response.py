#!/usr/bin/env python3
"""Scenario: responses larger than one TLS record reach the PC whole.

A printed form, a CSV export or a page with its stylesheet is tens to hundreds
of kilobytes: more than the 16 KB a TLS record holds. The gateway writes the
header and the body as two buffers; every byte of both must arrive, on a fresh
connection (curl) and on a kept-alive one (several in a row), and the request
after a large one on the same connection must still be answered.
"""
import hashlib

from harness import Scenario, check, check_eq, note, step

SIZES = [16 * 1024 - 1, 16 * 1024 + 45, 100 * 1024, 3 * 1024 * 1024 + 7]


def expected(size):
    return (b"0123456789" * (size // 10 + 1))[:size]


with Scenario("large-response") as s:
    pc = s.issue_client("1310000001", "pc01")
    s.start_upstream()
    s.start_gateway(routes=[s.route("/api"), s.route("/large")], upstream={"response_timeout_ms": 5000})

    for size in SIZES:
        step(f"curl GET of a {size}-byte body")
        reply = s.curl(pc, f"/large?bytes={size}", timeout=10)
        check_eq(200, reply.status, f"status for {size} bytes ({reply.stderr.strip()})")
        check_eq(len(expected(size)), len(reply.body), f"bytes received of {size} ({reply.body[:300]!r})")
        check(reply.body == expected(size), f"the {size}-byte body arrived altered")

    step("several large bodies on one kept-alive connection, then a small request")
    conn = s.connect(pc)
    for size in SIZES:
        reply = s.ask(conn, f"/large?bytes={size}")
        check_eq(200, reply.status, f"keep-alive status for {size} bytes")
        check(hashlib.sha256(reply.body).digest() == hashlib.sha256(expected(size)).digest(),
              f"keep-alive body of {size} bytes arrived whole ({len(reply.body)} bytes)")
    check_eq(200, s.ask(conn, "/api/after").status, "the request after the large ones")
    conn.close()
    note("all sizes arrived whole")
