#!/usr/bin/env python3
"""Issue 4's benchmark: nanbyo-gateway's VPN and Debian's ocserv side by side in one run.

Same network namespaces, same CA, server certificate and CRL, same stock openconnect
client with --no-dtls, same service (iperf3 on 10.10.0.10 in the gateway namespace):
  - connect-to-tunnel-up time (client start until its script configured the tunnel), N runs
  - iperf3 TCP throughput, 1 and 4 streams, PC -> service and service -> PC (-R)
  - server CPU seconds per GB moved, per-session memory (RSS growth per connected client)
  - `openssl speed -evp aes-256-gcm` (the cipher both negotiate) as the crypto limit
Prints each figure and the gateway/ocserv ratio. Then the gateway again in a full tunnel
(vpn.mode: full, issue 15, S-6: the stock vpnc-script makes the tunnel the PC's default route
and the gateway bounds the tunnel to the service), its throughput and CPU per GB next to the
split tunnel's (full/split ratio: the cost of the extra filtering). Not a pass/fail test.
Run it alone.

usage: run_vpn_bench.py <nanbyo-gateway> <nanbyo-pki>    (as root; BENCH_SECONDS=5 BENCH_CONNECTS=5)
"""

import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "vpn_scenario"))
from full_tunnel_net import give_pc_resolv_conf  # noqa: E402
from vpn_harness import (GATEWAY_IP, SERVICE_IP, VpnScenario, check, note, step,  # noqa: E402
                         vpn_section, wait_until)

SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
CONNECTS = int(os.environ.get("BENCH_CONNECTS", "5"))
OCSERV_PORT = 4443
IPERF_PORT = 5201


def cpu_seconds(pids):
    total = 0.0
    for pid in pids:
        try:
            fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:
            pass
    return total


def rss_kib(pids):
    total = 0
    for pid in pids:
        try:
            for line in open(f"/proc/{pid}/status"):
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def tree(pid):
    """pid and all its descendants (ocserv forks sec-mod and a worker per client)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for tid in os.listdir(f"/proc/{p}/task"):
                todo += [int(c) for c in open(f"/proc/{p}/task/{tid}/children").read().split()]
        except OSError:
            pass
    return out


class Bench(VpnScenario):
    def __init__(self):
        super().__init__("vpn-bench")
        self.ocserv = None
        self.results = {}
        self.script = "client-script.sh"  # the full tunnel's: full-tunnel-script.sh

    def policy(self, **kw):
        p = super().policy(**kw)
        p["vpn"]["allow"].append({"destination": f"{SERVICE_IP}/32", "protocol": "tcp",
                                  "ports": [str(IPERF_PORT)]})
        return p

    def start_ocserv(self):
        text = open(os.path.join(HERE, "ocserv.conf.in")).read()
        for key, value in (("GATEWAY_IP", GATEWAY_IP), ("PORT", str(OCSERV_PORT)), ("DIR", self.dir)):
            text = text.replace(f"@{key}@", value)
        conf = self.path("ocserv.conf")
        open(conf, "w").write(text)
        self.ocserv = self.spawn("ocserv", ["ip", "netns", "exec", self.gw_ns, "ocserv", "-f",
                                            "-c", conf])
        wait_until(lambda: "listening" in self.output(self.ocserv).lower()
                   or self.ocserv.poll() is not None, 10, "ocserv to listen")
        check(self.ocserv.poll() is None, f"ocserv did not start:\n{self.output(self.ocserv)}")

    def url(self, server):
        return f"https://{GATEWAY_IP}:{443 if server == 'gateway' else OCSERV_PORT}/"

    def openconnect_argv(self, pc=None, extra=(), interface="tun0", script=None):
        argv = super().openconnect_argv(pc, extra, interface, script or self.script)
        argv[-1] = self.url(self.current)
        return argv

    def switch_to_full_tunnel(self):
        """The gateway's policy to vpn.mode: full (a reload: new tunnels take it), and the
        stock vpnc-script on the PC side, which routes everything into the tunnel."""
        mark = self.audit_mark()
        self.reload(vpn=vpn_section("full"))
        self.wait_audit("policy-reload", after=mark)
        give_pc_resolv_conf(self)
        self.script = "full-tunnel-script.sh"

    def throughput(self, pc):
        """iperf3 1 and 4 streams both ways through one tunnel of `pc`: (Mbit/s, CPU s/GB)."""
        res = {}
        client = self.connect_vpn(pc)
        for streams in (1, 4):
            for reverse in (False, True):
                pids = self.server_pids(self.current)
                cpu0 = cpu_seconds(pids)
                mbps, moved = self.iperf(streams, reverse)
                cpu = cpu_seconds(pids) - cpu0
                key = f"{streams}x {'service->PC' if reverse else 'PC->service'}"
                res[key] = (mbps, cpu / (moved / 1e9))
        self.stop(client, sig=2)
        time.sleep(0.5)
        return res

    def server_pids(self, server):
        return tree(self.gateway.pid if server == "gateway" else self.ocserv.pid)

    def iperf(self, streams, reverse):
        argv = ["iperf3", "-c", SERVICE_IP, "-p", str(IPERF_PORT), "-t", str(SECONDS),
                "-P", str(streams), "-J"] + (["-R"] if reverse else [])
        for _ in range(20):  # the server may still be closing the previous test
            r = self.in_pc(argv, check_ok=False, timeout=SECONDS + 30)
            result = json.loads(r.stdout or "{}")
            if "busy" not in str(result.get("error", "")):
                break
            time.sleep(0.5)
        check("error" not in result and r.returncode == 0,
              f"iperf3 {' '.join(argv[1:])}: {result.get('error')} {r.stderr[-300:]!r}")
        end = result["end"]
        return end["sum_received"]["bits_per_second"] / 1e6, end["sum_received"]["bytes"]

    def measure(self, server, pc, others):
        self.current = server
        res = {}
        times = []
        for _ in range(CONNECTS):
            client = self.connect_vpn(pc)
            times.append(client.connect_seconds * 1000)
            self.stop(client, sig=2)
            time.sleep(0.3)
        times.sort()
        res["connect_ms"] = times[len(times) // 2]
        before = rss_kib(self.server_pids(server))
        extra = [self.connect_vpn(o, interface=f"tun{i + 1}") for i, o in enumerate(others)]
        time.sleep(0.5)
        res["session_kib"] = (rss_kib(self.server_pids(server)) - before) // len(others)
        for e in extra:
            self.stop(e, sig=2)
        res.update(self.throughput(pc))
        return res


def crypto_limit():
    r = subprocess.run(["openssl", "speed", "-seconds", "1", "-bytes", "1408", "-evp",
                        "aes-256-gcm"], capture_output=True, text=True)
    for line in r.stdout.splitlines():
        if line.startswith("AES-256-GCM") or line.startswith("aes-256-gcm"):
            kbps = float(line.split()[-1].rstrip("k"))
            return kbps * 1000 * 8 / 1e6
    return float("nan")


with Bench() as b:
    pc = b.issue_client("1310000001", "bench01")
    others = [b.issue_client("1310000001", f"mem{i:02d}") for i in range(4)]
    b.start_service()
    b.spawn("iperf3", ["ip", "netns", "exec", b.gw_ns, "iperf3", "-s", "-B", SERVICE_IP,
                       "-p", str(IPERF_PORT)])
    b.start_gateway()
    b.start_ocserv()
    time.sleep(0.5)
    step(f"measuring (connects x{CONNECTS}, iperf3 {SECONDS} s each); load before: "
         f"{open('/proc/loadavg').read().split()[:3]}")
    gateway = b.measure("gateway", pc, others)
    ocserv = b.measure("ocserv", pc, others)
    b.current = "gateway"
    b.switch_to_full_tunnel()
    full = b.throughput(pc)
    aes = crypto_limit()
    print()
    print(f"{'figure':28} {'nanbyo-gateway':>16} {'ocserv':>12} {'ratio':>7}")
    print(f"{'connect to tunnel up (ms)':28} {gateway['connect_ms']:16.1f} {ocserv['connect_ms']:12.1f}"
          f" {ocserv['connect_ms'] / gateway['connect_ms']:7.2f}  (ocserv/gateway: >1 = faster)")
    print(f"{'RSS per session (KiB)':28} {gateway['session_kib']:16d} {ocserv['session_kib']:12d}"
          f"  (growth with {len(others)} more clients, each)")
    for key in [k for k in gateway if "x " in k]:
        g, o = gateway[key], ocserv[key]
        print(f"{key + ' Mbit/s':28} {g[0]:16.0f} {o[0]:12.0f} {g[0] / o[0]:7.2f}")
        print(f"{key + ' CPU s/GB':28} {g[1]:16.2f} {o[1]:12.2f} {g[1] / o[1]:7.2f}")
    print(f"{'AES-256-GCM 1408 B (Mbit/s)':28} {aes:16.0f}   one core, openssl speed: the crypto limit")
    print()
    print(f"{'nanbyo-gateway':28} {'split tunnel':>16} {'full tunnel':>12} {'full/split':>10}")
    for key in full:
        g, f = gateway[key], full[key]
        print(f"{key + ' Mbit/s':28} {g[0]:16.0f} {f[0]:12.0f} {f[0] / g[0]:10.2f}")
        print(f"{key + ' CPU s/GB':28} {g[1]:16.2f} {f[1]:12.2f} {f[1] / g[1]:10.2f}")
    print(f"load after: {open('/proc/loadavg').read().split()[:3]}")
