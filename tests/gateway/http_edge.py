#!/usr/bin/env python3
"""Scenario: the HTTP edge refuses what a careful reverse proxy refuses (S-3, issue 14).

Each step is one of the defects seen at the edge, sent as raw bytes over TLS with a
valid PC certificate: no Host or two of them; identity headers outside the gateway's
own names (X-Client-*, X-SSL-Client-*, Remote-User, any X-Nanbyo-*), in other letter
cases, with "_" instead of "-", and as chunked trailers; "/%61dmin" routed as "/";
Transfer-Encoding other than one "chunked", or with Content-Length; TRACE with a body.
Every refusal has its audit record, the connection ends cleanly (the open-connection
gauge returns to zero) and the gateway keeps serving.
"""
import json

from harness import Scenario, check, check_eq, step, wait_until

FORGED_VALUE = "CN=forged,O=elsewhere"
IDENTITY_NAMES = ["X-Client-DN", "x-client-verify", "X-SSL-Client-S-DN", "X-SSL-CLIENT-SERIAL",
                  "Remote-User", "X-Remote-User", "X-Forwarded-User", "X-Nanbyo-Role",
                  "x-nanbyo-user", "X-NANBYO-ADMIN", "Client-Cert", "X-Forwarded-Client-Cert"]
UNDERSCORE_NAMES = ["X_Client_DN", "X_SSL_Client_S_DN", "Remote_User", "X_Nanbyo_Hospital"]


def exchange(s, pc, raw, timeout=5):
    """Sends raw bytes over TLS; returns (status, headers dict, body, closed_after)."""
    tls = s.tls_socket(pc, timeout=timeout)
    tls.sendall(raw)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = tls.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1]) if lines and lines[0].startswith("HTTP/") else None
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = tls.recv(65536)
        if not chunk:
            break
        body += chunk
    # Does the gateway end the connection now? (a refusal that closes it)
    try:
        tls.settimeout(2)
        closed = tls.recv(1) == b""
    except (TimeoutError, OSError) as e:
        closed = not isinstance(e, TimeoutError)
    tls.close()
    return status, headers, body[:length], closed


def request(target="/api/echo", method="GET", host="localhost", extra=b"", body=b""):
    head = f"{method} {target} HTTP/1.1\r\n".encode()
    if host is not None:
        head += f"Host: {host}\r\n".encode()
    return head + extra + b"\r\n" + body


def upstream_saw(body):
    seen = json.loads(body)
    return seen, {name.lower(): value for name, value in seen["headers"]}


with Scenario("http-edge") as s:
    pc = s.issue_client("1310000001", "pc01")
    s.start_upstream()
    s.start_gateway(routes=[s.route("/"), s.route("/admin", allowed_hospitals=["2710000002"])])

    step("no Host on HTTP/1.1, or two Host headers (one another site's): 400, connection closed")
    for what, raw in [("no Host", request(host=None)),
                      ("two Host", request(extra=b"Host: evil.example\r\n")),
                      ("bad Host", request(host="evil example"))]:
        mark = s.audit_mark()
        status, _, _, closed = exchange(s, pc, raw)
        check_eq(400, status, f"{what}: status")
        check(closed, f"{what}: the connection stayed open")
        s.wait_audit("request-reject", check="bad-host", after=mark, actor=pc.serial)

    step("identity headers in any family, case, with '_' or as chunked trailers never reach the upstream")
    mark = s.audit_mark()
    headers = b"".join(f"{n}: {FORGED_VALUE}\r\n".encode() for n in IDENTITY_NAMES + UNDERSCORE_NAMES)
    status, _, body, _ = exchange(s, pc, request(extra=headers))
    check_eq(200, status, "status with forged headers")
    _, seen = upstream_saw(body)
    for name in IDENTITY_NAMES + UNDERSCORE_NAMES:
        check(name.lower() not in seen, f"{name} reached the upstream")
    # "_" names mapped to "-" by the upstream would carry the forged value: none does.
    check(all(FORGED_VALUE not in v for v in seen.values()), f"a forged value reached the upstream: {seen}")
    check_eq(pc.hospital, seen.get("x-nanbyo-hospital"), "the verified hospital")
    record = s.wait_audit("request-sanitized", after=mark, actor=pc.serial)
    for name in ("X-Client-DN", "X_Client_DN", "X-Nanbyo-Role"):
        check(name in record["detail"]["dropped"].split(","), f"{name} not named in the audit record")

    chunked = (b"Transfer-Encoding: chunked\r\n", b"5\r\nhello\r\n0\r\nX-Client-DN: " + FORGED_VALUE.encode() +
               b"\r\nX-Nanbyo-Hospital: 9999999999\r\nX-Innocent-Trailer: yes\r\n\r\n")
    mark = s.audit_mark()
    status, _, body, _ = exchange(s, pc, request(method="POST", extra=chunked[0], body=chunked[1]))
    check_eq(200, status, "status of a chunked request with trailers")
    saw, seen = upstream_saw(body)
    check_eq(5, saw["body_bytes"], "the body passes")
    for name in ("x-client-dn", "x-innocent-trailer"):
        check(name not in seen, f"the trailer {name} reached the upstream")
    check_eq(pc.hospital, seen.get("x-nanbyo-hospital"), "the verified hospital, not the trailer's")
    record = s.wait_audit("request-sanitized", after=mark, actor=pc.serial)
    check("X-Innocent-Trailer (trailer)" in record["detail"]["dropped"], f"trailers not named: {record}")

    step("'/%61dmin' is routed as /admin (hospital 2710000002 only), not as /")
    mark = s.audit_mark()
    status, _, _, _ = exchange(s, pc, request(target="/%61dmin/users"))
    check_eq(403, status, "status of /%61dmin for hospital 1310000001")
    s.wait_audit("request-reject", check="hospital-not-allowed", after=mark, actor=pc.serial)
    status, _, body, _ = exchange(s, pc, request(target="/%7Eshared/%E4%BC%9A?q=%61"))
    check_eq(200, status, "status of an unreserved escape elsewhere")
    check_eq("/~shared/%E4%BC%9A?q=%61", json.loads(body)["path"], "the upstream gets the decoded path")

    step("Transfer-Encoding other than one chunked, or with Content-Length: 400, connection closed")
    for what, extra, payload in [
            ("gzip, chunked", b"Transfer-Encoding: gzip, chunked\r\n", b"5\r\nhello\r\n0\r\n\r\n"),
            ("chunked and Content-Length", b"Transfer-Encoding: chunked\r\nContent-Length: 5\r\n",
             b"5\r\nhello\r\n0\r\n\r\n")]:
        mark = s.audit_mark()
        status, _, _, closed = exchange(s, pc, request(method="POST", extra=extra, body=payload))
        check_eq(400, status, f"{what}: status")
        check(closed, f"{what}: the connection stayed open")
        s.wait_audit("request-reject", after=mark, actor=pc.serial)

    step("TRACE with a body: 405, audited, the connection leaves the registry")
    mark = s.audit_mark()
    status, _, _, closed = exchange(s, pc, request(method="TRACE", extra=b"Content-Length: 4\r\n", body=b"body"))
    check_eq(405, status, "TRACE status")
    check(closed, "the TRACE connection stayed open")
    s.wait_audit("request-reject", check="method-not-allowed", after=mark, actor=pc.serial)
    wait_until(lambda: s.metrics().get("nanbyo_gateway_open_connections") == 0, 5,
               "the open-connection gauge back to 0")

    step("the gateway still serves")
    check_eq(200, s.curl(pc, "/api/after").status, "a plain request after all of this")
