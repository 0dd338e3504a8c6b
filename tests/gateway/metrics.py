#!/usr/bin/env python3
"""Scenario: the operator's Prometheus endpoint counts what happened (O-2).

GET http://127.0.0.1:<admin.metrics_listen>/metrics before and after a known
mix of traffic: the counters move by exactly what the clients did.
"""
import time

from harness import Scenario, ScenarioFailure, check, check_eq, note, step, wait_until

with Scenario("metrics") as s:
    pc = s.issue_client("1310000001", "pc01")
    stranger = s.issue_client("1310000001", "stranger", ca_dir=s.path("other-ca"))
    s.start_upstream()
    s.start_gateway(routes=[s.route("/api"), s.route("/die")])

    step("the endpoint speaks the Prometheus text format")
    text = s.metrics_text()
    check("# TYPE nanbyo_gateway_requests_total counter" in text, f"no requests_total counter in:\n{text}")
    before = s.metrics()

    step("traffic: 3 good requests, 1 without route, 1 upstream failure, 2 refused handshakes")
    for i in range(3):
        check_eq(200, s.curl(pc, f"/api/{i}").status, f"good request {i}")
    check_eq(404, s.curl(pc, "/nowhere").status, "request without a route")
    check_eq(502, s.curl(pc, "/die").status, "request whose upstream dies")
    s.s_client(pc=None)                      # no certificate
    check(s.curl(stranger, "/api/x").status is None, "another CA's certificate was served")

    step("one keep-alive connection stays open")
    conn = s.connect(pc)
    check_eq(200, s.ask(conn, "/api/open").status, "request on the kept connection")

    expected = {"requests_total": 6, "requests_refused_total": 1, "handshakes_failed_total": 2,
                "connections_accepted_total": 8, "upstream_errors_total": 1,
                # the labelled families (issue 17, O-2)
                'listener_requests_total{listener="hospital"}': 6,
                'listener_connections_total{listener="hospital"}': 8,
                'refusals_total{reason="not-found"}': 1,
                'refusals_total{reason="upstream-error"}': 1,
                'refusals_total{reason="handshake"}': 2,
                'certificate_refusals_total{check="no-certificate"}': 1,
                'certificate_refusals_total{check="untrusted-issuer"}': 1,
                'request_duration_seconds_count{listener="hospital"}': 6,
                'tls_handshake_duration_seconds_count{listener="hospital"}': 6,
                "upstream_response_duration_seconds_count": 5}

    def moved(metrics, name):
        return metrics[f"nanbyo_gateway_{name}"] - before[f"nanbyo_gateway_{name}"]

    def settled():  # counters move just after the client has its answer; give them a moment
        m = s.metrics()
        done = m["nanbyo_gateway_open_connections"] == 1 and all(
            moved(m, name) == n for name, n in expected.items())
        return m if done else None

    try:
        after = wait_until(settled, 3, "the counters to settle")
    except ScenarioFailure:
        after = s.metrics()
    for name in sorted(after):
        if name in before and after[name] != before[name]:
            note(f"{name}: {before[name]:.0f} -> {after[name]:.0f}")
    for name, n in expected.items():
        check_eq(n, moved(after, name), f"{name} moved by")
    check(moved(after, "bytes_out_total") > 0, "bytes_out_total did not move")
    check_eq(1, after['nanbyo_gateway_connections{listener="hospital",kind="https"}'],
             "the open https connection by listener and kind")
    crl_dates = [v for k, v in after.items() if k.startswith(
        'nanbyo_gateway_crl_next_update_timestamp_seconds{file="' + s.path("ca/crl.pem") + '"')]
    check(crl_dates and min(crl_dates) > time.time(), f"CRL next updates in the future: {crl_dates}")
    server_expiry = [v for k, v in after.items() if k.startswith(
        'nanbyo_gateway_certificate_expiry_timestamp_seconds{role="server",listener="hospital"')]
    check(len(server_expiry) == 1 and server_expiry[0] > time.time(), "the server certificate's expiry")
    check_eq(1, after["nanbyo_gateway_open_connections"], "open_connections with one kept connection")
    conn.close()
    check_eq(0, s.metrics()["nanbyo_gateway_requests_total"] - after["nanbyo_gateway_requests_total"],
             "reading /metrics is not a request")
