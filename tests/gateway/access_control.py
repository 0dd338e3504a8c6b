#!/usr/bin/env python3
"""Scenario: who gets through the gateway (S-1, S-7).

A PC with a certificate from our CA reaches the upstream, which learns the
PC's serial, hospital and terminal from the gateway. Refused at the TLS
handshake: no certificate, a certificate of another CA, an expired one, the
gateway's server certificate, TLS 1.2, a revoked certificate. Refused with 403:
a certificate of our CA without a hospital number, a hospital the route does
not admit. A path with no route gets 404. Each refusal leaves its audit record.
"""
from harness import PC, Scenario, check, check_eq, note, seen_headers, step

with Scenario("access-control") as s:
    pc = s.issue_client("1310000001", "pc01")
    osaka = s.issue_client("2710000002", "osaka01")
    doomed = s.issue_client("1310000001", "pc-doomed")
    stranger = s.issue_client("1310000001", "pc-stranger", ca_dir=s.path("other-ca"))
    expired = s.issue_expired_client("1310000001", "pc-old")
    nameless = s.sign_with_issuing_ca("nameless", "/C=JP/O=Nanbyo-Shoman DB/CN=no-hospital-number")
    server_as_pc = PC(s.path("srv.crt"), s.path("srv.key"), "", "", "")
    s.start_upstream()
    s.start_gateway(routes=[
        s.route("/api"),
        s.route("/reports", allowed_hospitals=["1310000001"]),
    ])

    step("a valid PC certificate reaches the upstream, which sees the verified identity")
    reply = s.curl(pc, "/api/patients?id=1")
    check_eq(200, reply.status, f"status of a valid PC's request ({reply.stderr})")
    seen = seen_headers(reply)
    check_eq([pc.serial], seen.get("x-nanbyo-cert-serial"), "X-Nanbyo-Cert-Serial at the upstream")
    check_eq(["1310000001"], seen.get("x-nanbyo-hospital"), "X-Nanbyo-Hospital at the upstream")
    check_eq(["pc01"], seen.get("x-nanbyo-terminal"), "X-Nanbyo-Terminal at the upstream")
    check_eq("/api/patients?id=1", reply.json()["path"], "path at the upstream")
    s.wait_audit("connect", actor=pc.serial, hospital="1310000001", terminal="pc01")

    step("no certificate: openssl s_client's handshake is refused")
    mark = s.audit_mark()
    status, answer, log = s.s_client(pc=None)
    check(b"HTTP/1.1" not in answer, f"a client without certificate got an HTTP answer: {answer[:200]!r}")
    note(f"s_client exit {status}: {log.strip().splitlines()[-1] if log.strip() else ''}")
    s.wait_audit("tls-reject", check="no-certificate", after=mark)

    step("a certificate from another CA is refused (untrusted-issuer)")
    mark = s.audit_mark()
    reply = s.curl(stranger, "/api/x")
    check(reply.status is None, f"another CA's certificate got HTTP {reply.status}")
    s.wait_audit("tls-reject", check="untrusted-issuer", after=mark)

    step("an expired certificate from our issuing CA is refused (expired)")
    mark = s.audit_mark()
    reply = s.curl(expired, "/api/x")
    check(reply.status is None, f"an expired certificate got HTTP {reply.status}")
    s.wait_audit("tls-reject", check="expired", after=mark)

    step("the gateway's own server certificate used as a PC's is refused (wrong-key-usage)")
    mark = s.audit_mark()
    reply = s.curl(server_as_pc, "/api/x")
    check(reply.status is None, f"a server certificate got HTTP {reply.status}")
    s.wait_audit("tls-reject", check="wrong-key-usage", after=mark)

    step("a certificate of our CA without a hospital number gets 403 (no-identity)")
    mark = s.audit_mark()
    reply = s.curl(nameless, "/api/x")
    check_eq(403, reply.status, "status for a certificate without organizationIdentifier")
    s.wait_audit("certificate-reject", check="no-identity", after=mark, actor=nameless.serial)

    step("TLS 1.2 is refused when the listener's min_version is 1.3")
    mark = s.audit_mark()
    reply = s.curl(pc, "/api/x", "--tlsv1.2", "--tls-max", "1.2")
    check(reply.status is None, f"a TLS 1.2 client got HTTP {reply.status}")
    s.wait_audit("tls-reject", check="tls-handshake-failed", after=mark)

    step("a revoked certificate is refused (revoked)")
    check_eq(200, s.curl(doomed, "/api/x").status, "the certificate works before it is revoked")
    mark = s.audit_mark()
    s.revoke(doomed)
    s.wait_audit("crl-reload", after=mark)  # the gateway has read the new crl.pem
    reply = s.curl(doomed, "/api/x")
    check(reply.status is None, f"a revoked certificate got HTTP {reply.status}")
    s.wait_audit(("tls-reject", "certificate-reject"), check="revoked", after=mark)

    step("a hospital the route does not admit gets 403")
    mark = s.audit_mark()
    reply = s.curl(osaka, "/reports/2024")
    check_eq(403, reply.status, "status for hospital 2710000002 on /reports")
    s.wait_audit("request-reject", check="hospital-not-allowed", after=mark, actor=osaka.serial)
    check_eq(200, s.curl(osaka, "/api/x").status, "the same PC on a route that admits it")
    check_eq(200, s.curl(pc, "/reports/2024").status, "hospital 1310000001 on /reports")

    step("a path without a route gets 404")
    mark = s.audit_mark()
    reply = s.curl(pc, "/nowhere")
    check_eq(404, reply.status, "status for a path with no route")
    s.wait_audit("request-reject", check="no-route", after=mark)

    s.healthy(pc, "a valid PC's request after all the refusals")
