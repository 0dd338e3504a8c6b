#!/usr/bin/env python3
"""Scenario: HEAD requests pass the gateway (RFC 9110 9.3.2).

A HEAD response has the header fields a GET would have, Content-Length
included, and no body. Browsers, monitoring and `curl -I` send HEAD. The PC
must get the upstream's 200 at once, not a 504 after response_timeout_ms with
the upstream blamed in the audit log (upstream-failure, upstream-timeout).
"""
import time

from harness import Scenario, check, check_eq, note, step

RESPONSE_TIMEOUT_MS = 3000

with Scenario("head-request") as s:
    pc = s.issue_client("1310000001", "pc01")
    s.start_upstream()
    s.start_gateway(upstream={"response_timeout_ms": RESPONSE_TIMEOUT_MS})

    step("curl -I through the gateway")
    mark = s.audit_mark()
    started = time.monotonic()
    reply = s.curl(pc, "/api/page", "-I", timeout=8)
    took = time.monotonic() - started
    blamed = s.find_audit("upstream-failure", after=mark)
    note(f"HEAD answered {reply.status} after {took * 1000:.0f} ms")
    check(reply.status == 200 and took < 1.5,
          f"HEAD got {reply.status} after {took:.2f} s" +
          (f"; audited as upstream-failure {blamed[0]['detail'].get('check')}" if blamed else ""))
    check(reply.header("Content-Length") is not None, "a HEAD response keeps the GET's Content-Length")
    check(not s.find_audit("upstream-failure", after=mark), "a HEAD request was audited as an upstream failure")

    step("GET on the same path still works")
    check_eq(200, s.curl(pc, "/api/page").status, "status of GET")
