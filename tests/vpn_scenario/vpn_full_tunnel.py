"""Issue 15, S-6 (新システム以外との通信ができないよう制御する): in a full tunnel (vpn.mode:
full, the default) the stock openconnect and its stock vpnc-script route all of the PC's
IPv4 traffic into the tunnel, and the gateway passes only the service and its DNS. A host
the PC reached through its own default route before connecting is unreachable while the
tunnel is up and reachable again after disconnecting, over IPv4 and over IPv6 (the gateway
gives the client an IPv6 address and no IPv6 route, so its IPv6 enters the tunnel too and is
dropped); the drops are counted and audited, rate-limited per destination, and every drop is
in exactly one record."""

import os
import sys

from full_tunnel_net import (DNS_IP, INTERNET_HOST, INTERNET_HOST_V6, SERVICE_NAME, add_internet,
                             give_pc_resolv_conf, internet_url, internet_url_v6, start_dns)
from vpn_harness import (SERVICE_IP, SERVICE_PORT, VpnScenario, check, check_eq, note, skip, step,
                         vpn_section, wait_until)

VPNC_SCRIPT = "/usr/share/vpnc-scripts/vpnc-script"
BLAST = 300     # datagrams to the Internet host while the tunnel is up
SCANNED = 100   # distinct addresses a scan reaches for
AUDITED_DESTINATIONS = 32  # gateway/vpn_tunnel_session.cpp kDropAuditDestinations

if not os.path.exists(VPNC_SCRIPT):
    skip(f"{VPNC_SCRIPT} is missing (Debian's vpnc-scripts, a dependency of openconnect)")


def full_tunnel_policy():
    # The allow-list has no DNS rule: the full tunnel passes DNS to the servers it gives.
    return vpn_section("full", dns=[DNS_IP], default_domain="nanbyo.test")


def udp_from_pc(s, targets, count_each, gap=0.001):
    code = ("import socket, sys, time\n"
            "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
            f"for _ in range({count_each}):\n"
            f"    for t in {targets!r}:\n"
            "        s.sendto(b'x' * 32, (t, 9))\n"
            f"        time.sleep({gap})\n")
    s.in_pc([sys.executable, "-c", code], timeout=60)


def outside_records(s, pc, after=0):
    return s.find_audit("vpn-packet-drop", check="drop-outside-service", after=after,
                        actor=pc.serial)


def default_route(s, family="-4"):
    return s.in_pc(["ip", family, "route", "show", "default"]).stdout.decode().strip()


with VpnScenario("vpn-full-tunnel") as s:
    pc = s.issue_client("1310000001", "pc01")
    add_internet(s)
    resolv_conf = give_pc_resolv_conf(s)
    s.start_service()
    start_dns(s)
    s.start_gateway(vpn=full_tunnel_policy())

    step("before connecting, the PC reaches the Internet host through its own default route")
    code, body = s.curl_from_pc(internet_url())
    check_eq((0, "the Internet\n"), (code, body), "the Internet host before the tunnel")
    code, body = s.curl_from_pc(internet_url_v6())
    check_eq((0, "the Internet\n"), (code, body), "the Internet host over IPv6 before the tunnel")
    before_route = default_route(s)
    before_route_v6 = default_route(s, "-6")
    note(f"default routes: {before_route}; {before_route_v6}")

    step("openconnect with the stock vpnc-script: no split-include, default route is the tunnel")
    client = s.connect_vpn(pc, script="full-tunnel-script.sh")
    script = open(client.script_log).read()
    check("splits=none" in script, f"no split-include route is pushed:\n{script}")
    check(f"dns={DNS_IP}" in script, f"the service's DNS is pushed:\n{script}")
    route = default_route(s)
    check(route.startswith("default dev tun0"), f"the PC's default route is the tunnel: {route}")
    check("ipv6=fd4e:616e:6279::" in script, f"the gateway gave an IPv6 capture address:\n{script}")
    opened = s.wait_audit("vpn-tunnel-open", actor=pc.serial)
    check(opened["detail"]["address-ipv6"].startswith("fd4e:616e:6279::"),
          f"the tunnel's record names its IPv6 capture address: {opened['detail']}")
    route_v6 = default_route(s, "-6")
    check(route_v6.startswith("default dev tun0"),
          f"the PC's first IPv6 default route is the tunnel: {route_v6}")
    check(f"nameserver {DNS_IP}" in open(resolv_conf).read(),
          "vpnc-script gave the PC namespace the service's DNS")
    note(f"default route: {route}")

    step("the service answers through the tunnel, and so does its DNS")
    code, body = s.curl_from_pc(s.service_url())
    check_eq((0, "nanbyo service\n"), (code, body), "the service through the full tunnel")
    resolved = s.in_pc(["getent", "ahostsv4", SERVICE_NAME], check_ok=False, timeout=10)
    check(resolved.returncode == 0 and resolved.stdout.decode().startswith(SERVICE_IP),
          f"{SERVICE_NAME} resolves through the tunnel: {resolved.stdout!r}")
    code, body = s.curl_from_pc(f"http://{SERVICE_NAME}:{SERVICE_PORT}/hello.txt")
    check_eq((0, "nanbyo service\n"), (code, body), "the service by its name")

    step("the Internet host is unreachable while the tunnel is up: dropped, counted, audited")
    outside_before = s.metric("vpn_packets_outside_service_total")
    code, _ = s.curl_from_pc(internet_url(), timeout=2)
    check(code != 0, "the Internet host does not answer through the full tunnel")
    first = s.wait_audit("vpn-packet-drop", check="drop-outside-service", actor=pc.serial,
                         destination=INTERNET_HOST)
    check_eq("1", first["detail"]["dropped"], "the first drop is told at once, alone")
    note(f"audited: {first['detail']['detail']}")
    check(s.metric("vpn_packets_outside_service_total") > outside_before, "the drops are counted")

    step("the Internet host over IPv6 is unreachable too: its packets enter the tunnel, dropped")
    code, _ = s.curl_from_pc(internet_url_v6(), timeout=2)
    check(code != 0, "the Internet host does not answer over IPv6 through the full tunnel")
    v6 = s.wait_audit("vpn-packet-drop", check="drop-outside-service", actor=pc.serial,
                      destination=INTERNET_HOST_V6)
    note(f"audited: {v6['detail']['detail']}")

    step(f"{BLAST} more datagrams to it: counted, and no more than one record")
    mark = s.audit_mark()
    counted = s.metric("vpn_packets_outside_service_total")
    udp_from_pc(s, [INTERNET_HOST], BLAST)
    wait_until(lambda: s.metric("vpn_packets_outside_service_total") >= counted + BLAST, 10,
               f"{BLAST} drops counted")
    to_host = [r for r in outside_records(s, pc, mark)
               if r["detail"]["destination"] == INTERNET_HOST]
    check(len(to_host) <= 1, f"at most one record in the interval, got {len(to_host)}")

    step(f"a scan of {SCANNED} addresses: a record per address up to the limit, one for the rest")
    mark = s.audit_mark()
    scanned = [f"198.18.0.{i}" for i in range(1, SCANNED + 1)]
    udp_from_pc(s, scanned, 2)
    wait_until(lambda: s.find_audit("vpn-packet-drop", after=mark, actor=pc.serial,
                                    destination="other"), 5, "the record for other destinations")
    records = outside_records(s, pc, mark)
    check(len(records) <= AUDITED_DESTINATIONS + 2,
          f"{len(records)} records for {2 * SCANNED} drops to {SCANNED} addresses")
    note(f"{2 * SCANNED} drops to {SCANNED} addresses: {len(records)} records")

    step("the service still answers: the session survived the drops")
    code, _ = s.curl_from_pc(s.service_url())
    check_eq(0, code, "curl after the drops")

    step("after disconnecting, the default route and the Internet host are back")
    mark = s.audit_mark()
    s.stop(client, sig=2)  # SIGINT: openconnect sends DISCONNECT, vpnc-script restores
    closed = s.wait_audit("vpn-tunnel-close", after=mark, actor=pc.serial)
    wait_until(lambda: default_route(s) == before_route, 5, "vpnc-script to restore the route")
    code, body = s.curl_from_pc(internet_url())
    check_eq((0, "the Internet\n"), (code, body), "the Internet host after the tunnel")
    wait_until(lambda: default_route(s, "-6") == before_route_v6, 5, "the IPv6 default route back")
    code, body = s.curl_from_pc(internet_url_v6())
    check_eq((0, "the Internet\n"), (code, body), "the Internet host over IPv6 after the tunnel")

    step("every outside-service drop is in exactly one audit record")
    records = outside_records(s, pc)
    audited = sum(int(r["detail"]["dropped"]) for r in records)
    counted = s.metric("vpn_packets_outside_service_total")
    check_eq(int(counted), audited, "drops in the records against the counter")
    check(int(closed["detail"]["dropped"]) >= audited, "the close record counts them too")
    check(all(r["seq"] < closed["seq"] for r in records), "the last drop records precede the close")
    note(f"{audited} drops outside the service in {len(records)} records")
