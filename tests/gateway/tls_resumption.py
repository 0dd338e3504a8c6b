#!/usr/bin/env python3
"""Scenario: a resumed TLS session passes the checks of a full handshake (S-1, issue 14).

Session resumption skips the certificate chain's verification: a PC whose certificate
expired after its session began could come back on a ticket. The gateway verifies the
session's certificate again (trust store, CRLs, clock) on every resumed handshake.
A PC certificate valid for a few seconds: a resumed session gets in while it is valid
and is refused, with the audit record of an expired certificate, once it is not.
"""
import datetime
import socket
import time

from harness import Scenario, check, check_eq, note, step


def get_over(s, ctx, session=None):
    """One GET / on a new TLS connection (resuming `session` when given):
    (status or None, session_reused, the session for the next time)."""
    raw = socket.create_connection(("127.0.0.1", s.gateway_port), timeout=5)
    try:
        tls = ctx.wrap_socket(raw, server_hostname="localhost", session=session)
    except OSError:
        return None, False, None
    reused = tls.session_reused
    try:
        tls.sendall(b"GET /api/resume HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        data = b""
        while True:
            chunk = tls.recv(65536)
            if not chunk:
                break
            data += chunk
    except OSError:
        data = b""
    # TLS 1.3 tickets arrive after the handshake: the session is complete once data was read.
    session = tls.session
    tls.close()
    status = int(data.split()[1]) if data.startswith(b"HTTP/") else None
    return status, reused, session


with Scenario("tls-resumption") as s:
    s.issue_client("1310000001", "pc00")  # the CA
    now = datetime.datetime.now(datetime.timezone.utc)
    lifetime = 8
    end = now + datetime.timedelta(seconds=lifetime)
    pc = s.sign_with_issuing_ca(
        "short-1310000001", "/C=JP/O=Nanbyo-Shoman DB/organizationIdentifier=1310000001/CN=short",
        "1310000001", "short", (now - datetime.timedelta(minutes=5)).strftime("%Y%m%d%H%M%SZ"),
        end.strftime("%Y%m%d%H%M%SZ"))
    s.start_upstream()
    s.start_gateway()
    ctx = s.tls_context(pc)

    step("a full handshake, then a resumed one while the certificate is valid")
    status, reused, session = get_over(s, ctx)
    check_eq(200, status, "full handshake status")
    check(not reused, "the first handshake was a resumption")
    check(session is not None and session.has_ticket, "the gateway issued no session ticket")
    status, reused, session_again = get_over(s, ctx, session)
    check_eq(200, status, "resumed handshake status")
    check(reused, "the gateway did not resume the session (resumption is on)")

    step("the certificate expires; a resumed session is refused as a full handshake would be")
    wait = (end - datetime.datetime.now(datetime.timezone.utc)).total_seconds() + 1.5
    note(f"waiting {wait:.1f} s for the certificate to expire")
    time.sleep(max(wait, 0))
    mark = s.audit_mark()
    status, reused, _ = get_over(s, ctx, session_again)
    check(status != 200, f"a resumed session of an expired certificate got {status}")
    record = s.wait_audit(("certificate-reject", "tls-reject"), check="expired", after=mark,
                          actor=pc.serial)
    note(f"refused: {record['detail'].get('detail')} (resumed: {reused})")

    step("without the ticket, a full handshake is refused too")
    status, _, _ = get_over(s, ctx)
    check(status != 200, f"a full handshake with an expired certificate got {status}")
