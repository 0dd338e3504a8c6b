#!/usr/bin/env python3
"""Scenario: a response whose end the upstream marks by closing its connection.

An upstream may send a body with neither Content-Length nor chunked encoding
and end it by closing the connection (RFC 9112 6.3, rule 8). The gateway has
read that whole body, so it must tell the PC where it ends (Content-Length or
chunked) or close the PC's connection after it. Otherwise the PC waits for
more body until a timeout, and on a keep-alive connection the next response
would be read as part of this one.
"""
import time

from harness import Scenario, check, check_eq, note, step

with Scenario("close-delimited-response") as s:
    pc = s.issue_client("1310000001", "pc01")
    s.start_upstream()
    s.start_gateway()

    step("curl gets the whole body and knows it has ended")
    started = time.monotonic()
    reply = s.curl(pc, "/close-delimited", timeout=5)
    took = time.monotonic() - started
    note(f"HTTP {reply.status}, curl exit {reply.exit_code}, {took * 1000:.0f} ms, headers {reply.headers}")
    check_eq(b"the whole body", reply.body, "body")
    check(reply.exit_code == 0, f"curl did not see the end of the response: {reply.stderr.strip()}")
    check(took < 2, f"the response took {took:.2f} s")

    step("a keep-alive client can make its next request after such a response")
    conn = s.connect(pc, timeout=3)
    try:
        first = s.ask(conn, "/close-delimited")
        check_eq(b"the whole body", first.body, "body on the keep-alive connection")
        check_eq(200, s.ask(conn, "/api/next").status, "the next request")
    except TimeoutError:
        check(False, "the keep-alive client waited for the end of the body until its 3 s timeout")
    finally:
        conn.close()
