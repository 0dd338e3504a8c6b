"""Packet-level detection in the tunnel (issue 15, S-3): a port scan through the stock
openconnect's tunnel raises a `vpn-packet-alert` record and a metric; a scan that goes on
into the next window alerts again, which crosses the IPS threshold (ips.tunnel_alerts: 2),
so the terminal is blocked: its tunnel ends (openconnect exits), `nanbyoctl blocks` lists
it, a reconnect is refused until `nanbyoctl unblock`. Ordinary traffic, a browser's many
connections to the one service included, raises nothing."""

import json
import os
import signal
import sys
import time

from vpn_harness import (SERVICE_IP, SERVICE_PORT, VpnScenario, check, check_eq, note, step,
                         wait_until)

NANBYOCTL = os.path.abspath(sys.argv[3])
WINDOW_S = 3        # ips.tunnel.window_s: short, so that the test waits little
PORTS_PER_HOST = 20  # ips.tunnel.ports_per_host
SCANNED = range(1, 41)  # ports of the service address; only SERVICE_PORT is allowed

# Non-blocking connects: one SYN per port, then the sockets are dropped unanswered.
SCANNER = """
import socket, sys, time
host, ports, rounds, gap = sys.argv[1], sys.argv[2].split(","), int(sys.argv[3]), float(sys.argv[4])
for _ in range(rounds):
    held = []
    for port in ports:
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex((host, int(port)))
        held.append(s)
    time.sleep(gap)
    for s in held:
        s.close()
"""

# A browser opening many connections at once to the one service, each with a request.
BROWSER = """
import socket, sys
host, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
held = [socket.create_connection((host, port), timeout=5) for _ in range(count)]
for s in held:
    s.sendall(b"GET /hello.txt HTTP/1.0\\r\\nHost: service\\r\\n\\r\\n")
for s in held:
    while s.recv(4096):
        pass
    s.close()
print("done")
"""


def ctl(s, *args):
    return s.run([NANBYOCTL, "--bus", s.vpn_bus, *args])


def scanner_argv(rounds, gap=0.2):
    ports = ",".join(str(p) for p in SCANNED)
    return ["ip", "netns", "exec", s.pc_ns, sys.executable, "-c", SCANNER, SERVICE_IP, ports,
            str(rounds), str(gap)]


def alerts(s, pc, after=0):
    return s.find_audit("vpn-packet-alert", after=after, actor=pc.serial)


with VpnScenario("vpn-packet-alerts") as s:
    pc = s.issue_client("1310000001", "pc01")
    s.vpn_bus = s.start_private_bus()
    s.start_service()
    s.start_gateway(ips={"window_s": 300, "block_s": 600, "tunnel_alerts": 2,
                         "tunnel": {"window_s": WINDOW_S, "ports_per_host": PORTS_PER_HOST}})
    client = s.connect_vpn(pc)
    opened = s.wait_audit("vpn-tunnel-open", actor=pc.serial)
    session = opened["detail"]["session"]

    step("ordinary traffic raises nothing: requests, and 60 connections at once to the service")
    for _ in range(5):
        check_eq(0, s.curl_from_pc(s.service_url())[0], "curl through the tunnel")
    out = s.in_pc([sys.executable, "-c", BROWSER, SERVICE_IP, str(SERVICE_PORT), "60"],
                  timeout=30).stdout.decode()
    check("done" in out, "60 parallel connections answered")
    time.sleep(0.3)
    check_eq([], alerts(s, pc), "no vpn-packet-alert record for ordinary traffic")
    check_eq(0.0, s.metric("vpn_alerts_port_scan_total"), "no port scan counted")
    check_eq(0.0, s.metric("vpn_alerts_flood_total"), "no flood counted")

    step(f"a port scan of {len(SCANNED)} ports: one alert at the {PORTS_PER_HOST}th, "
         "the tunnel stays up")
    mark = s.audit_mark()
    s.run(scanner_argv(1), timeout=30)
    alert = s.wait_audit("vpn-packet-alert", after=mark, actor=pc.serial, kind="port-scan")
    detail = alert["detail"]
    check_eq(str(PORTS_PER_HOST), detail["count"], "the count at the threshold")
    check_eq(str(PORTS_PER_HOST), detail["threshold"], "the threshold")
    check_eq(str(WINDOW_S), detail["window-s"], "the window")
    check_eq(SERVICE_IP, detail["target"], "the host scanned")
    check_eq(session, detail["session"], "the tunnel's session")
    check_eq(("1310000001", "pc01"), (detail.get("hospital"), detail.get("terminal")),
             "hospital and terminal")
    check(alert["source"].startswith("172.31.250.2"), f"the PC's address: {alert['source']}")
    note(f"alert: {json.dumps(detail, ensure_ascii=False)}")
    check_eq(1, len(alerts(s, pc, mark)), "one alert for the whole scan (one per window)")
    check_eq(1.0, s.metric("vpn_alerts_port_scan_total"), "the metric by kind")
    time.sleep(WINDOW_S + 0.5)  # the scanned ports leave the window
    check(client.poll() is None, "one alert is not yet a block: openconnect still runs")
    check_eq(0, s.curl_from_pc(s.service_url())[0], "the service still answers")

    step("the scan goes on in the next window: a second alert crosses the IPS threshold, "
         "the block ends the tunnel")
    mark = s.audit_mark()
    started = time.monotonic()
    scanner = s.spawn("scanner", scanner_argv(10))
    seconds = s.wait_exit(client, timeout=10)
    note(f"second scan started to openconnect gone: {seconds * 1000:.0f} ms")
    wait_until(lambda: scanner.poll() is not None, 10, "the scanner to finish")
    second = s.wait_audit("vpn-packet-alert", after=mark, actor=pc.serial, kind="port-scan")
    block = s.wait_audit("ips-block", after=mark)
    check_eq(f"terminal {pc.serial}".lower(), block["detail"]["subject"].lower(), "the terminal")
    check_eq("tunnel alerts 2 >= 2 in 300 s", block["detail"]["reason"], "why")
    check_eq("1", block["detail"]["connections-closed"], "its tunnel's connection closed")
    check(second["seq"] < block["seq"], "the alert comes before the block")
    closed = s.wait_audit("vpn-tunnel-close", after=mark, actor=pc.serial)
    check("blocked" in closed["detail"]["reason"], f"close reason: {closed['detail']['reason']}")
    # openconnect reads the DISCONNECT and exits; or, still writing the scan's packets when
    # the gateway closes the socket after it, dies of SIGPIPE first (about one run in five).
    out = s.output(client) + s.output(client, "out")
    told = "terminated" in out.lower() or "disconnect" in out.lower()
    check(told or client.returncode == -signal.SIGPIPE,
          f"openconnect (exit {client.returncode}) was told the session is over:\n{out[-600:]}")
    note("openconnect: " + ("told the session is over" if told else "SIGPIPE while writing"))

    step("nanbyoctl lists the block; a reconnect is refused until nanbyoctl unblock")
    blocks = json.loads(ctl(s, "blocks", "--json").stdout)
    check_eq(1, len(blocks), f"blocks: {blocks}")
    check_eq(("terminal", pc.serial.lower()), (blocks[0]["kind"], blocks[0]["value"].lower()),
             "the blocked terminal")
    note(ctl(s, "blocks").stdout.decode().rstrip())
    mark = s.audit_mark()
    code, out = s.try_openconnect(pc)
    check(code != 0, f"openconnect of the blocked terminal fails:\n{out[-300:]}")
    s.wait_audit("connection-reject", check="ips-blocked", after=mark, actor=pc.serial)
    ctl(s, "unblock", "terminal", pc.serial)
    client = s.connect_vpn(pc)
    check_eq(0, s.curl_from_pc(s.service_url())[0], "the service answers after the lift")
    check_eq(2.0, s.metric("vpn_alerts_port_scan_total"), "two port scans counted")
    wait_until(lambda: s.metric("ips_blocks_total") == 1.0, 2, "one block counted")
    s.stop(client, sig=2)
