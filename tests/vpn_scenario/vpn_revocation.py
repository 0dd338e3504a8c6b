"""Revoking a PC's certificate ends its tunnel within a second and it cannot come back;
`nanbyoctl disconnect` ends one tunnel for good, its cookie dead; the other PCs' tunnels
carry on (S-8, issue 4). An IPS block of a terminal (`nanbyoctl block`, issue 14) ends its
tunnel the same way and refuses it until lifted."""

import os
import re
import sys
import time

from vpn_harness import VpnScenario, check, check_eq, note, step, wait_until

NANBYOCTL = os.path.abspath(sys.argv[3])

with VpnScenario("vpn-revocation") as s:
    pc1 = s.issue_client("1310000001", "pc01")
    pc2 = s.issue_client("1310000001", "pc02")
    s.vpn_bus = s.start_private_bus()
    s.start_service()
    s.start_gateway()
    # pc02 runs in its own namespace so both tunnels can be tun0.
    client1 = s.connect_vpn(pc1)

    step("revoking pc01's certificate (CRL replaced) ends its tunnel within one second")
    mark = s.audit_mark()
    s.revoke(pc1)
    revoked_at = time.monotonic()
    s.wait_exit(client1, timeout=5)
    # Taken before the audit record is awaited: its batched write is not the tunnel's end.
    seconds = time.monotonic() - revoked_at
    closed = s.wait_audit("vpn-tunnel-close", after=mark, actor=pc1.serial)
    note(f"revoke command done to openconnect gone: {seconds * 1000:.0f} ms; "
         f"reason: {closed['detail']['reason']}")
    check(seconds < 1.0, f"the tunnel ended within one second (took {seconds:.3f} s)")
    check("revoked" in closed["detail"]["reason"], "the close record says why")
    out = s.output(client1) + s.output(client1, "out")
    check("terminated" in out.lower() or "disconnect" in out.lower(),
          f"openconnect was told the session is over:\n{out[-600:]}")
    check(s.in_gw(["ip", "-o", "link", "show"]).stdout.decode().count("nbvpn") == 0,
          "its TUN interface is gone")

    step("pc01 cannot reconnect: its handshake is refused")
    mark = s.audit_mark()
    code, out = s.try_openconnect(pc1)
    check(code != 0, "openconnect with the revoked certificate fails")
    s.wait_audit("tls-reject", after=mark, actor=pc1.serial)

    step("pc02 connects; nanbyoctl lists it; nanbyoctl disconnect ends it within one second")
    client2 = s.connect_vpn(pc2, extra=["--printcookie"])
    code, body = s.curl_from_pc(s.service_url())
    check_eq(0, code, "pc02 reaches the service")
    sessions = s.vpn_sessions(NANBYOCTL)
    check_eq(1, len(sessions), "one tunnel listed")
    check_eq(pc2.serial, sessions[0]["serial"], "pc02's tunnel")
    started = time.monotonic()
    s.run([NANBYOCTL, "--bus", s.vpn_bus, "disconnect", str(sessions[0]["id"])])
    s.wait_exit(client2, timeout=5)
    seconds = time.monotonic() - started
    note(f"nanbyoctl disconnect to openconnect gone: {seconds * 1000:.0f} ms")
    check(seconds < 1.0, f"disconnected within one second (took {seconds:.3f} s)")
    wait_until(lambda: s.vpn_sessions(NANBYOCTL) == [], 2, "the tunnel to leave the list")
    cookie = re.search(r"webvpn=[A-Za-z0-9_-]+", s.output(client2, "out"))  # flushed at exit
    check(cookie is not None, "openconnect printed its cookie")

    step("the disconnected session's cookie no longer opens a tunnel")
    mark = s.audit_mark()
    code, out = s.try_openconnect(pc2, extra=["--cookie-on-stdin"],
                                  stdin=(cookie.group(0) + "\n").encode())
    check(code != 0, f"reconnecting with the old cookie fails:\n{out[-400:]}")
    note("openconnect said: " + out.strip().splitlines()[-1])
    s.wait_audit("vpn-tunnel-reject", check="session-cookie", after=mark, actor=pc2.serial)

    step("a fresh login of pc02 works again (the certificate is still good)")
    client2 = s.connect_vpn(pc2)
    check_eq(0, s.curl_from_pc(s.service_url())[0], "pc02 reaches the service again")

    step("an IPS block of pc02's terminal ends its tunnel; it cannot come back until lifted")
    mark = s.audit_mark()
    started = time.monotonic()
    s.run([NANBYOCTL, "--bus", s.vpn_bus, "block", "terminal", pc2.serial, "--for", "10m",
           "--reason", "scenario"])
    s.wait_exit(client2, timeout=5)
    note(f"nanbyoctl block to openconnect gone: {(time.monotonic() - started) * 1000:.0f} ms")
    block = s.wait_audit("ips-block", after=mark)
    check_eq("1", block["detail"]["connections-closed"], "the tunnel's connection closed")
    code, out = s.try_openconnect(pc2)
    check(code != 0, f"openconnect of the blocked terminal fails:\n{out[-300:]}")
    s.wait_audit("connection-reject", check="ips-blocked", after=mark, actor=pc2.serial)
    s.run([NANBYOCTL, "--bus", s.vpn_bus, "unblock", "terminal", pc2.serial])
    client2 = s.connect_vpn(pc2)
    check_eq(0, s.curl_from_pc(s.service_url())[0], "pc02 reaches the service after the lift")
    s.stop(client2, sig=2)
