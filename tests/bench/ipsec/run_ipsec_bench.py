#!/usr/bin/env python3
"""IPsec benchmark (issue 16, S-10), root, by hand: in one run, in the IPsec scenarios'
namespaces (tests/ipsec_scenario/ipsec_harness.py),
- IKE SA up time (swanctl --initiate of the PC's charon until the CHILD SA is up), median of
  BENCH_CONNECTS, with charon driven by nanbyo-gateway and with charon alone (swanctl.conf
  with the same certificates, CRL, pool, proposals and selectors);
- revoke-to-SA-gone: `nanbyoctl revoke-cert` returned until the PC's charon holds no SA;
- iperf3 throughput PC->service and back through IPsec (userspace ESP here, kernel-libipsec)
  next to the TLS-VPN (openconnect through the same gateway).
Usage: run_ipsec_bench.py BUILD_DIR (nanbyo-gateway, nanbyo-pki, nanbyoctl, nanbyo-tund in it)
"""

import json
import os
import re
import shutil
import statistics
import sys
import time

BUILD = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build")
sys.argv[1:] = [os.path.join(BUILD, "gateway/nanbyo-gateway"), os.path.join(BUILD, "pki/nanbyo-pki"),
                os.path.join(BUILD, "gateway/control/nanbyoctl"),
                os.path.join(BUILD, "gateway/tund/nanbyo-tund")]
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "ipsec_scenario"))
from ipsec_harness import (GATEWAY_IP, POOL, SERVICE_IP, IpsecScenario, check,  # noqa: E402
                           note, step)

CONNECTS = int(os.environ.get("BENCH_CONNECTS", "7"))
REVOKES = int(os.environ.get("BENCH_REVOKE_ROUNDS", "5"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
IPERF_PORT = 5201
NANBYOCTL = sys.argv[3]


class Bench(IpsecScenario):
    def policy(self, **options):
        p = super().policy(**options)  # the TLS-VPN's allow-list also opens iperf3's port
        p["vpn"]["allow"].append({"destination": f"{SERVICE_IP}/32", "protocol": "tcp",
                                  "ports": [str(IPERF_PORT)]})
        return p

    def iperf(self, reverse):
        argv = ["iperf3", "-c", SERVICE_IP, "-p", str(IPERF_PORT), "-t", str(SECONDS), "-J"] + \
            (["-R"] if reverse else [])
        for _ in range(20):
            r = self.in_pc(argv, check_ok=False, timeout=SECONDS + 30)
            result = json.loads(r.stdout or "{}")
            if "busy" not in str(result.get("error", "")):
                break
            time.sleep(0.5)
        check("error" not in result, f"iperf3: {result.get('error')}")
        return result["end"]["sum_received"]["bits_per_second"] / 1e6

    def throughput(self):
        return self.iperf(False), self.iperf(True)

    def connect_times(self, pc):
        times = []
        for _ in range(CONNECTS):
            seconds, _ = self.initiate(pc)
            times.append(seconds * 1000)
            self.swanctl_pc("--terminate", "--ike", "nanbyo", "--timeout", "5")
            self.wait_sa_gone(5)
        return statistics.median(times)

    def charon_alone(self, pc):
        """The server's charon restarted without the gateway, loaded by swanctl from a
        swanctl.conf equivalent to what the gateway loads."""
        self.stop(self.gateway)
        self.gateway = None
        self.stop(self.gw_charon)
        conf = self.path("swanctl-server")
        shutil.rmtree(conf, ignore_errors=True)
        for sub in ("x509", "x509ca", "x509crl", "private"):
            os.makedirs(os.path.join(conf, sub))
        shutil.copy(self.path("srv.crt"), os.path.join(conf, "x509", "srv.crt"))
        self.run(["openssl", "pkey", "-in", self.path("srv.key"), "-out",
                  os.path.join(conf, "private", "srv.key")])
        # swanctl reads one object per file: each CRL and CA certificate apart.
        for sub, name, label in (("x509crl", "crl.pem", "X509 CRL"),
                                 ("x509ca", "ca-chain.crt", "CERTIFICATE")):
            text = open(os.path.join(self.ca_dir, name)).read()
            blocks = re.findall(f"-----BEGIN {label}-----.*?-----END {label}-----", text, re.S)
            for i, block in enumerate(blocks):
                with open(os.path.join(conf, sub, f"{i}.pem"), "w") as f:
                    f.write(block + "\n")
        with open(os.path.join(conf, "swanctl.conf"), "w") as f:
            f.write(f"""connections {{
  alone {{
    version = 2
    local_addrs = {GATEWAY_IP}
    proposals = aes256gcm16-prfsha256-ecp256, aes128gcm16-prfsha256-ecp256
    pools = alone-pool
    send_certreq = yes
    unique = replace
    local {{
      auth = pubkey
      certs = srv.crt
    }}
    remote {{
      auth = pubkey
      revocation = strict
    }}
    children {{
      alone {{
        local_ts = 10.10.0.0/24
        esp_proposals = aes256gcm16-ecp256, aes128gcm16-ecp256
      }}
    }}
  }}
}}
pools {{
  alone-pool {{
    addrs = {POOL}
  }}
}}
""")
        self.gw_charon, self.gw_socket, _ = self._start_charon("alone", self.gw_ns)
        self.run(["ip", "netns", "exec", self.gw_ns, "swanctl", "--load-all", "--uri",
                  f"unix://{self.gw_socket}"], env=dict(os.environ, SWANCTL_DIR=conf))


with Bench("ipsec-bench") as b:
    pcs = [b.issue_client("1310000001", f"bench{i:02d}") for i in range(REVOKES + 1)]
    b.vpn_bus = b.start_private_bus()
    b.start_service()
    b.spawn("iperf3", ["ip", "netns", "exec", b.gw_ns, "iperf3", "-s", "-B", SERVICE_IP,
                       "-p", str(IPERF_PORT)])
    b.start_ipsec()
    step(f"measuring (connects x{CONNECTS}, revokes x{REVOKES}, iperf3 {SECONDS} s); load "
         f"{open('/proc/loadavg').read().split()[:3]}")
    gw_connect = b.connect_times(pcs[0])
    revoke_ms = []
    for pc in pcs[1:]:
        b.initiate(pc)
        started = time.monotonic()
        b.run([NANBYOCTL, "--bus", b.vpn_bus, "revoke-cert", pc.serial])
        returned = time.monotonic()
        b.wait_sa_gone(5)
        revoke_ms.append((time.monotonic() - returned) * 1000)
        note(f"revoke-cert: command {1000 * (returned - started):.0f} ms, then SA gone "
             f"{revoke_ms[-1]:.0f} ms")
    b.initiate(pcs[0])
    ipsec_up, ipsec_down = b.throughput()
    b.swanctl_pc("--terminate", "--ike", "nanbyo", "--timeout", "5")
    b.wait_sa_gone(5)
    b.connect_vpn(pcs[0])
    tls_up, tls_down = b.throughput()
    b.stop(b.procs[-1])  # openconnect, the last process started
    b.charon_alone(pcs[0])
    alone_connect = b.connect_times(pcs[0])
    b.initiate(pcs[0])
    alone_up, alone_down = b.throughput()

    print()
    print(f"{'figure':34} {'gateway+charon':>15} {'charon alone':>13} {'TLS-VPN':>9}")
    print(f"{'IKE SA up, median (ms)':34} {gw_connect:15.1f} {alone_connect:13.1f} {'':>9}"
          f"  ratio alone/gateway {alone_connect / gw_connect:.2f} (>=1: no slower)")
    print(f"{'revoke-cert to SA gone, max (ms)':34} {max(revoke_ms):15.1f} {'(keeps SA)':>13}"
          f"  median {statistics.median(revoke_ms):.1f}, goal 100")
    print(f"{'PC->service (Mbit/s)':34} {ipsec_up:15.0f} {alone_up:13.0f} {tls_up:9.0f}"
          f"  IPsec/TLS-VPN {ipsec_up / tls_up:.2f}, gateway/alone {ipsec_up / alone_up:.2f}")
    print(f"{'service->PC (Mbit/s)':34} {ipsec_down:15.0f} {alone_down:13.0f} {tls_down:9.0f}"
          f"  IPsec/TLS-VPN {ipsec_down / tls_down:.2f}, gateway/alone {ipsec_down / alone_down:.2f}")
