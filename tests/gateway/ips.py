#!/usr/bin/env python3
"""Scenario: the gateway's intrusion prevention (IPS, S-3, issue 14 part 5), with the
real nanbyoctl and dbus-send on a private dbus-daemon.

1. A PC that keeps sending attacks is blocked when its refused requests reach the
   policy's threshold: one ips-block record names the terminal and the threshold, its
   open keep-alive connection is closed, its new connections are refused after the
   handshake (connection-reject, check ips-blocked) - while another PC behind the same
   address goes on working.
2. nanbyoctl lists the block; unblock lifts it (ips-lift) and the PC works again.
3. Failed logins reported over the bus, as the application core reports them, block the
   terminal at the failed-login threshold.
4. An operator blocks a source address: every connection from it is refused before the
   handshake, until the block is lifted.
5. Per-source request rate: a burst over the limit is answered 429 with one audit record
   for the run; the bucket refills.
6. Per-source connection limit: the connection over the limit is closed before the
   handshake, with one audit record.
7. A block outlives a restart of the gateway (ips.state_file).

usage: ips.py <nanbyo-gateway> <nanbyo-pki> <nanbyoctl>
Exit 77 (skipped) when dbus-daemon or dbus-send is not installed.
"""
import json
import shutil
import socket
import ssl
import sys
import time
import urllib.parse

from harness import Scenario, ScenarioFailure, check, check_eq, note, step, wait_until

if not (shutil.which("dbus-daemon") and shutil.which("dbus-send")):
    print("SKIP: dbus-daemon and dbus-send (Debian package dbus) are needed for the control bus")
    sys.exit(77)
NANBYOCTL = sys.argv[3] if len(sys.argv) > 3 else sys.exit("usage: ips.py GATEWAY PKI NANBYOCTL")
ATTACK = "/api/search?q=" + urllib.parse.quote("<script>alert(document.cookie)</script>")
IPS = {"window_s": 60, "block_s": 600, "anomaly_score": 1000, "blocked_requests": 3,
       "failed_logins": 4, "requests_per_second": 20, "request_burst": 20,
       "connections_per_source": 6, "state_file": "ips-blocks"}


def ctl(s, bus, *args):
    return s.run([NANBYOCTL, "--bus", bus, *args], check_ok=False)


def closed(conn):
    """True once the gateway has closed a kept-alive connection."""
    try:
        conn.request("GET", "/api/healthy")
        conn.getresponse().read()
        return False
    except (OSError, ssl.SSLError, ConnectionError, Exception):
        return True


with Scenario("ips") as s:
    attacker = s.issue_client("1310000001", "pc-attacker")
    neighbour = s.issue_client("1310000001", "pc-neighbour")
    guesser = s.issue_client("1310000001", "pc-guesser")
    s.start_upstream()
    bus = s.start_private_bus()
    # Only /api goes upstream: the rate step's requests are answered by the gateway itself
    # (404), so the upstream's speed cannot pace them under the limit.
    s.start_gateway(control_bus=bus, inspection={"mode": "blocking", "paranoia_level": 1}, ips=IPS,
                    routes=[s.route("/api")])
    check("control on D-Bus" in s.output(s.gateway), f"the gateway did not join {bus}")

    step("a PC that keeps attacking is blocked at the threshold; its open connection closes")
    kept = s.connect(attacker)
    check_eq(200, s.ask(kept, "/api/healthy").status, "the attacker's PC before it attacks")
    mark = s.audit_mark()
    for attempt in range(1, 4):
        check_eq(403, s.curl(attacker, ATTACK).status, f"attack {attempt}")
    block = s.wait_audit("ips-block", after=mark)
    check_eq(f"terminal {attacker.serial}".lower(), block["detail"]["subject"].lower(), "subject")
    check_eq("blocked requests 3 >= 3 in 60 s", block["detail"]["reason"], "reason")
    check_eq("threshold", block["detail"]["origin"], "origin")
    check(int(block["detail"]["connections-closed"]) >= 1, f"closed: {block['detail']}")
    wait_until(lambda: closed(kept), 5, "the attacker's kept-alive connection to close")

    step("its new connections are refused; another PC at the same address is not")
    mark = s.audit_mark()
    check_eq(403, s.curl(attacker, "/api/healthy").status, "the blocked PC's next request")
    refused = s.wait_audit("connection-reject", check="ips-blocked", after=mark)
    check(refused["actor"].lower() == attacker.serial.lower(), f"actor {refused['actor']}")
    check(0 < int(refused["detail"]["seconds-left"]) <= 600, f"seconds left {refused['detail']}")
    s.healthy(neighbour, "the neighbour PC behind the same address")
    metrics = s.metrics()
    check(metrics.get("nanbyo_gateway_ips_blocks_total", 0) >= 1, "ips_blocks counted")
    check(metrics.get("nanbyo_gateway_ips_refused_total", 0) >= 1, "ips_refused counted")

    step("nanbyoctl lists the block and lifts it")
    listed = ctl(s, bus, "blocks", "--json")
    check_eq(0, listed.returncode, f"nanbyoctl blocks: {listed.stderr.decode()}")
    blocks = json.loads(listed.stdout)
    check_eq(1, len(blocks), f"blocks: {blocks}")
    check_eq("terminal", blocks[0]["kind"], "kind")
    check_eq(attacker.serial.lower(), blocks[0]["value"].lower(), "value")
    note(ctl(s, bus, "blocks").stdout.decode().rstrip())
    mark = s.audit_mark()
    lifted = ctl(s, bus, "unblock", "terminal", blocks[0]["value"])
    check_eq(0, lifted.returncode, f"nanbyoctl unblock: {lifted.stderr.decode()}")
    s.wait_audit("ips-lift", after=mark)
    s.healthy(attacker, "the PC after its block was lifted")

    step("failed logins reported over the bus block the terminal at the threshold")
    mark = s.audit_mark()
    for attempt in range(4):
        reply = s.run(["dbus-send", f"--bus={bus}", "--print-reply", "--dest=org.nanbyo.Gateway1",
                       "/org/nanbyo/Gateway1", "org.nanbyo.Gateway1.ReportFailedLogin",
                       f"string:{guesser.serial}", "string:127.0.0.1"])
        said = reply.stdout.decode()
        check(("boolean true" in said) == (attempt == 3), f"report {attempt + 1} answered {said!r}")
    block = s.wait_audit("ips-block", after=mark)
    check_eq("failed logins 4 >= 4 in 60 s", block["detail"]["reason"], "reason")
    check_eq(403, s.curl(guesser, "/api/healthy").status, "the guessing PC after its block")
    check_eq(0, ctl(s, bus, "unblock", "terminal", guesser.serial).returncode, "unblock")

    step("an operator blocks a source address: refused before the handshake, then lifted")
    mark = s.audit_mark()
    blocked = ctl(s, bus, "block", "source", "127.0.0.1", "--for", "5m", "--reason", "test")
    check_eq(0, blocked.returncode, f"nanbyoctl block: {blocked.stderr.decode()}")
    record = s.wait_audit("ips-block", after=mark)
    check_eq("operator", record["detail"]["origin"], "origin")
    check("uid=" in record["actor"], f"the operator is named: {record['actor']}")
    reply = s.curl(neighbour, "/api/healthy")
    check(reply.status is None, f"a blocked source got an HTTP answer: {reply.status}")
    s.wait_audit("connection-reject", check="ips-blocked", after=mark, subject="source 127.0.0.1")
    check_eq(0, ctl(s, bus, "unblock", "source", "127.0.0.1").returncode, "unblock the source")
    s.healthy(neighbour, "the source after its block was lifted")

    step("a burst over the source's request rate gets 429, one record for the run")
    time.sleep(1.2)  # a full bucket
    conn = s.connect(neighbour)
    mark = s.audit_mark()
    statuses = [s.ask(conn, "/unrouted").status for _ in range(40)]
    conn.close()
    limited = statuses.count(429)
    check(statuses[:15] == [404] * 15, f"the burst passes first: {statuses}")
    check(limited >= 15, f"the excess is refused: {statuses}")
    time.sleep(0.2)
    records = s.find_audit("request-reject", check="rate-limit", after=mark)
    check_eq(1, len(records), "audit records for one run of refusals")
    time.sleep(1.2)
    s.healthy(neighbour, "the source once its bucket refilled")

    step("the connection over the source's limit is closed before the handshake")
    mark = s.audit_mark()
    idle = [socket.create_connection(("127.0.0.1", s.gateway_port)) for _ in range(6)]
    try:
        time.sleep(0.3)
        try:
            s.tls_socket(neighbour, timeout=5).close()
            check(False, "a seventh connection from the source got a TLS handshake")
        except (OSError, ssl.SSLError):
            pass
        s.wait_audit("connection-reject", check="source-connection-limit", after=mark)
    finally:
        for sock in idle:
            sock.close()
    wait_until(lambda: s.curl(neighbour, "/api/healthy").status == 200, 5,
               "the source to connect again once its connections closed")
    check(s.metrics().get("nanbyo_gateway_ips_source_connections_refused_total", 0) >= 1,
          "refused connections counted")

    step("a block outlives a restart of the gateway")
    check_eq(0, ctl(s, bus, "block", "terminal", attacker.serial, "--for", "1h").returncode,
             "nanbyoctl block before the restart")
    s.stop(s.gateway)
    mark = s.audit_mark()
    s.start_gateway(control_bus=bus, inspection={"mode": "blocking", "paranoia_level": 1}, ips=IPS,
                    routes=[s.route("/api")])
    restored = s.wait_audit("ips-restore", after=mark)
    check_eq("1", restored["detail"].get("blocks"), f"restored: {restored['detail']}")
    check_eq(403, s.curl(attacker, "/api/healthy").status, "the blocked PC after the restart")
    s.healthy(neighbour, "the neighbour after the restart")
    left = json.loads(ctl(s, bus, "blocks", "--json").stdout)
    check(len(left) == 1 and 3500 < left[0]["seconds_left"] <= 3600, f"blocks after restart: {left}")
