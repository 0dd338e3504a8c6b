#!/usr/bin/env python3
"""Scenario: a PC cannot forge who it is (S-1, S-7).

Only the gateway says who is calling: the identity headers a client sends
(X-Nanbyo-*, X-Forwarded-For, X-Request-Id, ...), in any letter case and
repeated, never reach the upstream with the client's values, nor does a header
the client names in `Connection:` (hop-by-hop, RFC 9110 7.6.1). The other way,
the upstream's X-Nanbyo-Session (whose session this response belongs to) is
for the gateway only and never reaches the client.
"""
from harness import Reply, Scenario, check, check_eq, seen_headers, step

FORGED = [
    ("X-Nanbyo-Cert-Serial", "DEADBEEF"),
    ("X-Nanbyo-Hospital", "9999999999"),
    ("X-Nanbyo-Terminal", "forged-pc"),
    ("X-Nanbyo-Listener", "admin"),
    ("X-Forwarded-For", "10.6.6.6"),
    ("X-Forwarded-Proto", "http"),
    ("X-Request-Id", "forged-request-id"),
    ("X-Real-IP", "10.6.6.6"),
    ("Forwarded", "for=10.6.6.6"),
    ("X-Hop-Secret", "only-for-the-next-hop"),
]


def check_upstream_saw_only_the_truth(reply, pc, what):
    check_eq(200, reply.status, f"{what}: status")
    seen = seen_headers(reply)
    check_eq([pc.serial], seen.get("x-nanbyo-cert-serial"), f"{what}: X-Nanbyo-Cert-Serial")
    check_eq([pc.hospital], seen.get("x-nanbyo-hospital"), f"{what}: X-Nanbyo-Hospital")
    check_eq([pc.terminal], seen.get("x-nanbyo-terminal"), f"{what}: X-Nanbyo-Terminal")
    check_eq(["hospital"], seen.get("x-nanbyo-listener"), f"{what}: X-Nanbyo-Listener")
    check_eq(["127.0.0.1"], seen.get("x-forwarded-for"), f"{what}: X-Forwarded-For")
    check_eq(["https"], seen.get("x-forwarded-proto"), f"{what}: X-Forwarded-Proto")
    ids = seen.get("x-request-id", [])
    check(len(ids) == 1 and ids[0] != "forged-request-id", f"{what}: X-Request-Id {ids}")
    check("x-real-ip" not in seen, f"{what}: X-Real-IP reached the upstream: {seen.get('x-real-ip')}")
    check("forwarded" not in seen, f"{what}: Forwarded reached the upstream: {seen.get('forwarded')}")
    check("x-hop-secret" not in seen,
          f"{what}: the header named in Connection reached the upstream: {seen.get('x-hop-secret')}")
    for name, values in seen.items():
        for forged in ("DEADBEEF", "9999999999", "forged-pc", "10.6.6.6", "forged-request-id"):
            check(all(forged not in v for v in values), f"{what}: {name}: {values} carries {forged}")


with Scenario("spoofing") as s:
    pc = s.issue_client("1310000001", "pc01")
    s.start_upstream()
    s.start_gateway()

    step("curl sends forged identity headers; the upstream sees only the verified identity")
    args = []
    for name, value in FORGED:
        args += ["-H", f"{name}: {value}"]
    reply = s.curl(pc, "/api/echo", *args, "-H", "Connection: keep-alive, X-Hop-Secret")
    check_upstream_saw_only_the_truth(reply, pc, "curl")

    step("the same forgeries in other letter cases, repeated, on one keep-alive connection")
    conn = s.connect(pc)
    for attempt in range(2):
        conn.putrequest("GET", f"/api/echo/{attempt}")
        for name, value in FORGED:
            conn.putheader(name.lower(), value)
            conn.putheader(name.upper(), value)
        conn.putheader("Connection", "X-HOP-SECRET, keep-alive")
        conn.endheaders()
        response = conn.getresponse()
        reply = Reply(response.status, response.getheaders(), response.read())
        check_upstream_saw_only_the_truth(reply, pc, f"request {attempt + 1} on one connection")
    conn.close()

    step("the upstream's X-Nanbyo-Session header never reaches the client")
    reply = s.curl(pc, "/session?user=A0000001&issued=1700000000")
    check_eq(200, reply.status, "status of /session")
    check(reply.header("X-Nanbyo-Session") is None,
          f"the client received X-Nanbyo-Session: {reply.header('X-Nanbyo-Session')}")
    check(b"X-Nanbyo-Session" not in reply.body, "the session header leaked into the body")
    conn = s.connect(pc)
    reply = s.ask(conn, "/session?user=A0000001&issued=1700000000")
    check_eq(200, reply.status, "status of /session over http.client")
    check(reply.header("X-Nanbyo-Session") is None, "X-Nanbyo-Session reached the Python client")
    check_eq(200, s.ask(conn, "/api/after-session").status, "the connection stays usable")
    conn.close()
