"""The stock openconnect client reaches the service through the gateway's tunnel, and
nothing else (S-2, S-6): other addresses, other ports and spoofed sources are dropped,
counted and audited; the session is listed by nanbyoctl with its address."""

import json
import os
import re
import shutil
import subprocess
import sys

from vpn_harness import (CLOSED_PORT, SERVICE_IP, VpnScenario, check, check_eq, note, step,
                         wait_until)

NANBYOCTL = os.path.abspath(sys.argv[3]) if len(sys.argv) > 3 else None

with VpnScenario("vpn-tunnel") as s:
    pc = s.issue_client("1310000001", "pc01")
    s.vpn_bus = s.start_private_bus()
    s.start_service()
    s.start_gateway()

    step("openconnect --no-dtls logs in with the PC certificate and brings the tunnel up")
    client = s.connect_vpn(pc)
    note(f"client start to tunnel configured: {client.connect_seconds * 1000:.0f} ms")
    script = open(client.script_log).read()
    check("address=10.255.0." in script, f"the tunnel address comes from the pool:\n{script}")
    check("route=10.10.0.0/24" in script, f"the split-include route is pushed:\n{script}")
    check("mtu=" in script, "an MTU is pushed")
    login = s.wait_audit("vpn-login", actor=pc.serial)
    opened = s.wait_audit("vpn-tunnel-open", actor=pc.serial)
    check_eq(login["detail"]["session"], opened["detail"]["session"], "one session id")

    step("the service answers through the tunnel")
    code, body = s.curl_from_pc(s.service_url())
    check_eq(0, code, "curl through the tunnel")
    check_eq("nanbyo service\n", body, "the service's page")
    check(s.metric("vpn_packets_in_total") > 0, "packets counted in")
    check(s.metric("vpn_packets_out_total") > 0, "packets counted out")

    step("the metrics show the tunnel by kind and its address taken from the pool (O-2)")
    text = s.metrics_text()
    check(re.search(r'^nanbyo_gateway_connections\{listener="[^"]+",kind="vpn"\} 1$', text, re.M),
          "no open vpn connection in nanbyo_gateway_connections")
    check_eq(s.metric("vpn_pool_addresses") - 1, s.metric("vpn_pool_free_addresses"),
             "free pool addresses with one tunnel up")
    if shutil.which("promtool"):
        got = subprocess.run(["promtool", "check", "metrics"], input=text.encode(), capture_output=True)
        problems = (got.stdout + got.stderr).decode(errors="replace").strip()
        check(got.returncode == 0 and not problems, f"promtool check metrics:\n{problems}")
    else:
        note("promtool missing (Debian's prometheus): the text format was not linted")

    step("a port of the service that policy does not allow is dropped, counted and audited")
    mark = s.audit_mark()
    dropped_before = s.metric("vpn_packets_dropped_total")
    code, _ = s.curl_from_pc(s.service_url(port=CLOSED_PORT), timeout=2)
    check(code != 0, "the closed port is not reachable through the tunnel")
    drop = s.wait_audit("vpn-packet-drop", check="drop-not-allowed", after=mark, actor=pc.serial)
    note(f"audited: {drop['detail']['detail']}")
    check(s.metric("vpn_packets_dropped_total") > dropped_before, "the drop is counted")

    step("another network routed into the tunnel by the PC is dropped")
    s.in_pc(["ip", "route", "add", "10.20.0.0/24", "dev", "tun0"])
    before = s.metric("vpn_packets_dropped_total")
    code, _ = s.curl_from_pc("http://10.20.0.1:80/", timeout=2)
    check(code != 0, "10.20.0.1 is not reachable")
    wait_until(lambda: s.metric("vpn_packets_dropped_total") > before, 5, "the drop counter")

    step("a packet with a source address the session was not given is dropped as spoofed")
    mark = s.audit_mark()
    s.in_pc(["ip", "addr", "add", "10.255.0.200/32", "dev", "tun0"])
    r = s.in_pc(["curl", "-s", "--max-time", "2", "--interface", "10.255.0.200", s.service_url()],
                check_ok=False, timeout=10)
    check(r.returncode != 0, "a spoofed source gets nothing")
    s.wait_audit("vpn-packet-drop", check="drop-spoofed", after=mark, actor=pc.serial, timeout=12)

    step("the allowed service still answers: the session survived the drops")
    code, body = s.curl_from_pc(s.service_url())
    check_eq(0, code, "curl after the drops")

    if NANBYOCTL:
        step("nanbyoctl lists the tunnel with its address, serial and hospital")
        out = s.run([NANBYOCTL, "--bus", s.vpn_bus, "connections", "--json"]).stdout
        tunnels = [c for c in json.loads(out) if c["kind"] == "vpn"]
        check_eq(1, len(tunnels), "one VPN session listed")
        t = tunnels[0]
        check_eq(pc.serial, t["serial"], "serial")
        check_eq("1310000001", t["hospital"], "hospital")
        check(t["address"].startswith("10.255.0."), f"tunnel address listed: {t['address']}")
        check(t["bytes_in"] > 0 and t["bytes_out"] > 0, "bytes counted")

    step("the client disconnects: the tunnel closes with the client's reason")
    mark = s.audit_mark()
    s.stop(client, sig=2)  # SIGINT: openconnect sends DISCONNECT and exits
    closed = s.wait_audit("vpn-tunnel-close", after=mark, actor=pc.serial)
    check(closed["detail"]["reason"].startswith("client"), f"reason: {closed['detail']['reason']}")
    check(int(closed["detail"]["dropped"]) >= 3, "the session's drops are in its close record")
    r = s.in_gw(["ip", "-o", "link", "show"]).stdout.decode()
    check("nbvpn" not in r, f"the tunnel interface is gone:\n{r}")
