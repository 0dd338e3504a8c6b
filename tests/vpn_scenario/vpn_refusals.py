"""What the gateway refuses on its VPN listener, each with an audit record, while the
tunnels of others carry on (issue 4): no certificate, another CA's certificate, malformed
CSTP frames (bad magic, oversized length, unknown type), a client that stops reading, and
one that floods DPD requests while reading nothing (the gateway's memory stays flat)."""

import os
import re
import socket
import subprocess
import sys
import time

from raw_client import RawTunnel, frame
from vpn_harness import (GATEWAY_IP, VPN_PORT, VpnScenario, check, check_eq, note, step,
                         wait_until)


def raw_tunnel_process(s, pc, then):
    """A RawTunnel in the PC's namespace that opens a tunnel with `pc` (its socket `sock`
    and answer `head`), then runs the Python lines `then`."""
    script = ("import re, sys, time; sys.path.insert(0, %r)\n" % os.path.dirname(os.path.abspath(__file__))
              + "from raw_client import RawTunnel, frame\n"
              + "raw = RawTunnel(%r, %d, %r, %r, %r)\n" % (GATEWAY_IP, VPN_PORT,
                                                        os.path.join(s.ca_dir, "ca-chain.crt"),
                                                        pc.cert, pc.key)
              + "sock, head = raw.open(raw.login())\n" + then)
    proc = subprocess.Popen(["ip", "netns", "exec", s.pc_ns, sys.executable, "-c", script],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    s.procs.append(proc)
    return proc


with VpnScenario("vpn-refusals") as s:
    pc = s.issue_client("1310000001", "pc01")
    raw_pc = s.issue_client("1310000001", "raw01")
    stranger = s.issue_client("1310000001", "stranger", ca_dir=s.path("other-ca"))
    s.start_service()
    s.start_gateway()
    client = s.connect_vpn(pc)
    check_eq(0, s.curl_from_pc(s.service_url())[0], "pc01 reaches the service")

    step("openconnect without a certificate is refused")
    mark = s.audit_mark()
    code, out = s.try_openconnect(None)
    check(code != 0, "openconnect without a certificate fails")
    s.wait_audit("tls-reject", after=mark)

    step("openconnect with another CA's certificate is refused")
    mark = s.audit_mark()
    code, out = s.try_openconnect(stranger)
    check(code != 0, "openconnect with a stranger's certificate fails")
    s.wait_audit("tls-reject", after=mark)

    raw = RawTunnel(GATEWAY_IP, VPN_PORT, os.path.join(s.ca_dir, "ca-chain.crt"),
                    raw_pc.cert, raw_pc.key)

    def run_in_pc_namespace(code_text):
        """Runs a snippet using RawTunnel inside the PC namespace; returns its stdout."""
        prog = ("import sys; sys.path.insert(0, %r)\n" % os.path.dirname(os.path.abspath(__file__))
                + "from raw_client import RawTunnel, frame\n"
                + "raw = RawTunnel(%r, %d, %r, %r, %r)\n" % (GATEWAY_IP, VPN_PORT,
                                                          os.path.join(s.ca_dir, "ca-chain.crt"),
                                                          raw_pc.cert, raw_pc.key)
                + code_text)
        r = s.in_pc([sys.executable, "-c", prog], check_ok=False, timeout=60)
        check(r.returncode == 0, f"raw client failed:\n{r.stderr.decode(errors='replace')}")
        return r.stdout.decode()

    bad_frames = {
        "bad magic": "frame(0, b'x' * 20, magic=b'XTF\\x01')",
        "oversized length": "frame(0, b'', length=20000)",
        "unknown type": "frame(0x42, b'abc')",
    }
    for name, expr in bad_frames.items():
        step(f"a tunnel sending a frame with {name} is ended and audited")
        mark = s.audit_mark()
        said = run_in_pc_namespace(
            "cookie = raw.login()\n"
            "sock, head = raw.open(cookie)\n"
            f"sock.sendall({expr})\n"
            "sock.settimeout(5)\n"
            "got = b''\n"
            "try:\n"
            "    while True:\n"
            "        chunk = sock.recv(4096)\n"
            "        if not chunk: break\n"
            "        got += chunk\n"
            "except Exception as e:\n"
            "    got += repr(e).encode()\n"
            "print('closed', got[:200])\n")
        check(said.startswith("closed"), f"the gateway closed the tunnel: {said}")
        reject = s.wait_audit("vpn-frame-reject", after=mark, actor=raw_pc.serial)
        note(f"audited: {reject['detail']['detail']}")
        s.wait_audit("vpn-tunnel-close", after=mark, actor=raw_pc.serial, reason="malformed-frame")
        check(client.poll() is None, "pc01's openconnect is still connected")
        check_eq(0, s.curl_from_pc(s.service_url())[0], "pc01 still reaches the service")

    step("a client that stops reading is dropped; the others carry on")
    mark = s.audit_mark()
    reader = raw_tunnel_process(
        s, raw_pc, "print(re.search(r'X-CSTP-Address: (\\S+)', head).group(1), flush=True)\n"
                   "time.sleep(60)\n")
    address = reader.stdout.readline().decode().strip()
    check(address.startswith("10.255.0."), f"the silent client got an address: {address!r}")
    flood = s.spawn("flood", ["ip", "netns", "exec", s.gw_ns, sys.executable, "-c",
                              "import socket, time\n"
                              "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
                              "end = time.time() + 40\n"
                              "while time.time() < end:\n"
                              "    try: s.sendto(b'x' * 1300, (%r, 9))\n"
                              "    except OSError: time.sleep(0.001)\n" % address])
    closed = s.wait_audit("vpn-tunnel-close", after=mark, actor=raw_pc.serial, timeout=40,
                          reason="client-not-reading")
    note(f"dropped after {int(closed['detail']['age-ms']) / 1000:.1f} s with "
         f"{closed['detail']['bytes-out']} bytes sent")
    s.stop(flood)
    s.stop(reader)
    check(client.poll() is None, "pc01's openconnect is still connected")
    check_eq(0, s.curl_from_pc(s.service_url())[0], "pc01 still reaches the service")

    step("a client that floods DPD requests and reads nothing: memory stays flat, it is dropped")
    rss_kb = lambda: int(re.search(r"VmRSS:\s+(\d+)", open(f"/proc/{s.gateway.pid}/status").read())[1])
    before = rss_kb()
    mark = s.audit_mark()
    dpd_flood = raw_tunnel_process(s, raw_pc, "sock.settimeout(30)\n"
                                              "burst = frame(3) * 8192\n"
                                              "try:\n"
                                              "    while True: sock.sendall(burst)\n"
                                              "except OSError: pass\n")
    peak = before
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        peak = max(peak, rss_kb())
        if s.find_audit("vpn-tunnel-close", after=mark, actor=raw_pc.serial):
            break
        time.sleep(0.1)
    closed = s.wait_audit("vpn-tunnel-close", after=mark, actor=raw_pc.serial, timeout=5)
    note(f"DPD flood: dropped after {int(closed['detail']['age-ms']) / 1000:.1f} s "
         f"({closed['detail']['reason']}); gateway RSS {before // 1024} MiB before, "
         f"{peak // 1024} MiB at most")
    check_eq("client-not-reading", closed["detail"]["reason"], "why the flooding client was dropped")
    check(peak - before < 32 * 1024, f"the gateway's memory grew by {(peak - before) // 1024} MiB")
    s.stop(dpd_flood)
    check(client.poll() is None, "pc01's openconnect is still connected")
    check_eq(0, s.curl_from_pc(s.service_url())[0], "pc01 still reaches the service")
    s.stop(client, sig=2)
