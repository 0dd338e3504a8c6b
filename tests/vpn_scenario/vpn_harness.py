"""Network namespaces for the VPN scenarios (issue 4), on top of tests/gateway/harness.py.

    with VpnScenario("vpn-tunnel") as s:
        pc = s.issue_client("1310000001", "pc01")
        s.start_gateway()                    # in the gateway namespace, a VPN listener
        client = s.connect_vpn(pc)           # the stock openconnect in the PC namespace
        s.in_pc(["curl", s.service_url()])   # through the tunnel

Two namespaces joined by a veth pair (172.31.250.1 gateway, .2 PC), created with a
random suffix and deleted at the end. The service network 10.10.0.0/24 exists only in
the gateway namespace (10.10.0.10 on its loopback, where a small HTTP service
listens), so the PC reaches it through the tunnel or not at all.
Needs root, /dev/net/tun, `ip netns` and openconnect; otherwise exits 77 (skipped)
saying which is missing.

Privilege separation (issue 13): given nanbyo-tund as the fourth argument, every gateway
runs the way the appliance runs it: started as root, it binds and then drops to `nobody`
with no capability, and gets its TUN interfaces from nanbyo-tund, which runs beside it in
the gateway namespace. The TLS key goes to `nobody` (as systemd's LoadCredential= would
hand it over); the CA's private keys stay root's.
"""

import os
import pwd
import random
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "gateway"))
from harness import (PC, Scenario, ScenarioFailure, check, check_eq, note, step,  # noqa: E402,F401
                     to_yaml, wait_until)

HERE = os.path.dirname(os.path.abspath(__file__))
GATEWAY_IP = "172.31.250.1"
PC_IP = "172.31.250.2"
SERVICE_IP = "10.10.0.10"
SERVICE_PORT = 8080
CLOSED_PORT = 9999          # on the service address, not in the allow-list
OTHER_NETWORK = "10.20.0.0/24"  # routed into the tunnel by the test, never allowed
VPN_PORT = 443
GATEWAY_USER = "nobody"


def skip(why):
    print(f"SKIP: {why}", flush=True)
    sys.exit(77)


def vpn_section(mode="split", **changes):
    """The policy's vpn section of the scenarios: the service network, its HTTP port and ICMP
    allowed. Split by default; the full tunnel's own scenario is vpn_full_tunnel.py."""
    section = {
        "mode": mode,
        "address_pool": "10.255.0.0/24",
        "gateway_address": "10.255.0.1",
        "mtu": 1400,
        "service_networks": ["10.10.0.0/24"],
        "keepalive_s": 20,
        "dpd_s": 30,
        "allow": [{"destination": f"{SERVICE_IP}/32", "protocol": "tcp",
                   "ports": [str(SERVICE_PORT)]},
                  {"destination": "10.10.0.0/24", "protocol": "icmp"}],
    }
    section.update(changes)
    return section


def require_environment():
    if os.geteuid() != 0:
        skip("needs root for network namespaces and TUN interfaces")
    if not os.path.exists("/dev/net/tun"):
        skip("/dev/net/tun is missing")
    for tool in ("ip", "openconnect", "curl"):
        if shutil.which(tool) is None:
            skip(f"{tool} is not installed (packaging/install-deps.sh installs it)")
    probe = f"nbprobe{random.randrange(1 << 24):06x}"
    if subprocess.run(["ip", "netns", "add", probe], capture_output=True).returncode != 0:
        skip("cannot create a network namespace (ip netns add)")
    subprocess.run(["ip", "netns", "del", probe], capture_output=True)


class VpnScenario(Scenario):
    def __init__(self, name):
        require_environment()
        super().__init__(name)
        suffix = f"{random.randrange(1 << 24):06x}"
        self.gw_ns, self.pc_ns = f"nbgw{suffix}", f"nbpc{suffix}"
        self.veth_gw, self.veth_pc = f"nbg{suffix}", f"nbp{suffix}"
        self.service = None
        self.extra_namespaces = []  # made by a scenario (full_tunnel_net.py), deleted here
        self.vpn_bus = None
        self.tund_bin = os.path.abspath(sys.argv[4]) if len(sys.argv) > 4 else None
        self.tund = None

    def __enter__(self):
        super().__enter__()
        try:
            self._make_network()
        except BaseException:
            self._remove_network()
            raise
        return self

    def __exit__(self, kind, error, tb):
        try:
            return super().__exit__(kind, error, tb)
        finally:
            self._remove_network()

    # -- network ---------------------------------------------------------------
    def sh(self, argv, check_ok=True):
        return self.run(argv, check_ok=check_ok)

    def in_gw(self, argv, **kw):
        return self.run(["ip", "netns", "exec", self.gw_ns, *argv], **kw)

    def in_pc(self, argv, **kw):
        return self.run(["ip", "netns", "exec", self.pc_ns, *argv], **kw)

    def _make_network(self):
        self.sh(["ip", "netns", "add", self.gw_ns])
        self.sh(["ip", "netns", "add", self.pc_ns])
        self.sh(["ip", "link", "add", self.veth_gw, "netns", self.gw_ns, "type", "veth",
                 "peer", "name", self.veth_pc, "netns", self.pc_ns])
        for ns, dev, ip in ((self.gw_ns, self.veth_gw, GATEWAY_IP), (self.pc_ns, self.veth_pc, PC_IP)):
            self.sh(["ip", "-n", ns, "addr", "add", f"{ip}/30", "dev", dev])
            self.sh(["ip", "-n", ns, "link", "set", dev, "up"])
            self.sh(["ip", "-n", ns, "link", "set", "lo", "up"])
        # The service address on the gateway namespace's loopback (this kernel has no dummy
        # interfaces): local to the gateway, unknown to the PC namespace.
        self.sh(["ip", "-n", self.gw_ns, "addr", "add", f"{SERVICE_IP}/32", "dev", "lo"])

    def _remove_network(self):
        for ns in (self.pc_ns, self.gw_ns, *self.extra_namespaces):
            subprocess.run(["ip", "netns", "del", ns], capture_output=True)
            shutil.rmtree(f"/etc/netns/{ns}", ignore_errors=True)  # a private resolv.conf
        if getattr(self, "made_etc_netns", False):
            try:
                os.rmdir("/etc/netns")  # only when empty
            except OSError:
                pass

    # -- service and gateway --------------------------------------------------------
    def start_service(self):
        """An HTTP service on SERVICE_IP:SERVICE_PORT and a listener on CLOSED_PORT,
        both reachable only inside the gateway namespace."""
        self.service = self.spawn("service", ["ip", "netns", "exec", self.gw_ns, sys.executable,
                                              "-m", "http.server", "--bind", SERVICE_IP,
                                              "--directory", self.dir, str(SERVICE_PORT)])
        self.spawn("closed-port", ["ip", "netns", "exec", self.gw_ns, sys.executable, "-m",
                                   "http.server", "--bind", SERVICE_IP, "--directory", self.dir,
                                   str(CLOSED_PORT)])
        with open(self.path("hello.txt"), "w") as f:
            f.write("nanbyo service\n")
        wait_until(lambda: self.in_gw(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                                       self.service_url("hello.txt")], check_ok=False)
                   .stdout == b"200", 10, "the service to answer in the gateway namespace")

    @staticmethod
    def service_url(path="hello.txt", port=SERVICE_PORT):
        return f"http://{SERVICE_IP}:{port}/{path}"

    def _ensure_ca(self):
        if self._ca_ready:
            return
        self._ca_ready = True
        self.pki("init")
        self.pki("issue", "server", "--ip", GATEWAY_IP, "--dns", "localhost", "--out", self.path("srv"))

    def policy(self, limits=None, routes=None, upstream=None, vpn=None, ips=None):
        p = super().policy(limits=limits, routes=routes, upstream=upstream, ips=ips)
        p["listeners"][0]["listen"] = f"{GATEWAY_IP}:{VPN_PORT}"
        p["listeners"][0]["vpn"] = True
        p["upstreams"][0]["address"] = "127.0.0.1:9"  # no web upstream in these scenarios
        if self.vpn_bus:
            p["admin"]["control_bus"] = self.vpn_bus
        p["vpn"] = vpn or vpn_section()
        return p

    def separate_privileges(self):
        """Files the unprivileged gateway reads again after start (reload, CRL change) become
        readable by GATEWAY_USER; nanbyo-tund starts once. Returns its socket."""
        user = pwd.getpwnam(GATEWAY_USER)
        os.chmod(self.dir, 0o755)  # root's 0700 temp dir; the CA's private/ stays 0700
        os.chown(self.path("srv.key"), user.pw_uid, user.pw_gid)
        if self.tund is None or self.tund.poll() is not None:
            self.start_tun_helper(self.tund_bin, GATEWAY_USER)
        return self.tund_socket

    def start_tun_helper(self, tund_bin, user):
        """nanbyo-tund in the gateway namespace (issue 13), serving `user` on tund.sock; it
        reads the same policy as the gateway (write it first: start_gateway does)."""
        self.tund_socket = self.path("tund.sock")
        proc = self.spawn("tund", ["ip", "netns", "exec", self.gw_ns, tund_bin, "--policy",
                                   self.policy_path, "--socket", self.tund_socket,
                                   "--gateway-user", user])
        wait_until(lambda: "serving" in self.output(proc) or proc.poll() is not None, 10,
                   "nanbyo-tund to listen")
        if proc.poll() is not None:
            raise ScenarioFailure(f"nanbyo-tund did not start:\n{self.output(proc)}")
        self.tund = proc
        return proc

    def write_vpn_policy(self, **policy_options):
        self._ensure_ca()
        os.makedirs(os.path.dirname(self.audit_path), exist_ok=True)
        self.metrics_port = 9851
        self.write_policy(to_yaml(self.policy(**policy_options)) + "\n")

    def start_gateway(self, threads=2, control_bus="none", separated=None, **policy_options):
        """nanbyo-gateway inside the gateway namespace; ready once its audit log says so.
        `separated` (default: when nanbyo-tund was given) drops it to GATEWAY_USER after
        binding, with its TUN interfaces from nanbyo-tund (issue 13)."""
        self.write_vpn_policy(**policy_options)
        separated = self.tund_bin is not None if separated is None else separated
        user = tun_helper = None
        if separated:
            user, tun_helper = GATEWAY_USER, self.separate_privileges()
        argv = ["ip", "netns", "exec", self.gw_ns, self.gateway_bin, "--policy", self.policy_path,
                "--threads", str(threads), "--control-bus", self.vpn_bus or control_bus]
        if user:
            argv += ["--user", user]
        if tun_helper:
            argv += ["--tun-helper", tun_helper]
        proc = self.spawn("gateway", argv)
        wait_until(lambda: self.find_audit("gateway-start") or proc.poll() is not None, 10,
                   "nanbyo-gateway to start")
        if proc.poll() is not None:
            raise ScenarioFailure(f"nanbyo-gateway did not start:\n{self.output(proc)}")
        self.gateway = proc

    def metrics_text(self, quiet=False):
        got = self.in_gw(["curl", "-s", f"http://127.0.0.1:{self.metrics_port}/metrics"],
                         check_ok=False)
        if got.returncode != 0:
            if quiet:
                return None
            raise ScenarioFailure(f"metrics unavailable: {got.stderr.decode(errors='replace')}")
        return got.stdout.decode()

    # -- the openconnect client ------------------------------------------------------
    def openconnect_argv(self, pc=None, extra=(), interface="tun0", script=None):
        argv = ["ip", "netns", "exec", self.pc_ns, "openconnect", "--no-dtls", "--non-inter",
                "--cafile", os.path.join(self.ca_dir, "ca-chain.crt"),
                "--script", os.path.join(HERE, script or "client-script.sh"),
                "--interface", interface,
                "--reconnect-timeout", "20"]
        if pc is not None:
            argv += ["--certificate", pc.cert, "--sslkey", pc.key]
        return argv + list(extra) + [f"https://{GATEWAY_IP}:{VPN_PORT}/"]

    def connect_vpn(self, pc, timeout=15, extra=(), interface="tun0", script=None):
        """Starts openconnect with `pc`'s certificate; returns once the tunnel is configured.
        `script` (in this folder; client-script.sh by default) configures the PC's side and
        logs "configured"."""
        log = self.path(f"script-{pc.terminal}.log")
        if os.path.exists(log):
            os.remove(log)  # "configured" must come from this run
        env = dict(os.environ, NANBYO_SCRIPT_LOG=log)
        logs = os.path.join(self.dir, "logs")
        os.makedirs(logs, exist_ok=True)
        self._names += 1
        base = os.path.join(logs, f"{self._names:02d}-openconnect-{pc.terminal}")
        started = time.monotonic()
        with open(base + ".out", "wb") as out, open(base + ".err", "wb") as err:
            proc = subprocess.Popen(self.openconnect_argv(pc, extra, interface, script),
                                    stdin=subprocess.DEVNULL,
                                    stdout=out, stderr=err, cwd=self.dir, env=env)
        proc.log_base = base
        self.procs.append(proc)
        wait_until(lambda: (os.path.exists(log) and "configured" in open(log).read())
                   or proc.poll() is not None, timeout, "openconnect to bring the tunnel up",
                   interval=0.005)
        if proc.poll() is not None:
            raise ScenarioFailure(f"openconnect exited ({proc.returncode}):\n"
                                  f"{self.output(proc)}\n{self.output(proc, 'out')}")
        proc.connect_seconds = time.monotonic() - started
        proc.script_log = log
        return proc

    def try_openconnect(self, pc=None, timeout=20, extra=(), stdin=None):
        """openconnect run to its end (a refusal): returns (exit code, its output)."""
        env = dict(os.environ, NANBYO_SCRIPT_LOG=self.path("script-refused.log"))
        result = subprocess.run(self.openconnect_argv(pc, extra), capture_output=True,
                                timeout=timeout, env=env, cwd=self.dir, input=stdin)
        return result.returncode, (result.stdout + result.stderr).decode(errors="replace")

    def curl_from_pc(self, url, timeout=5):
        """(exit code, body) of curl in the PC namespace."""
        r = self.in_pc(["curl", "-s", "--max-time", str(timeout), url], check_ok=False,
                       timeout=timeout + 5)
        return r.returncode, r.stdout.decode(errors="replace")

    def wait_exit(self, proc, timeout):
        """Seconds until `proc` exits, or a failure after `timeout`."""
        started = time.monotonic()
        wait_until(lambda: proc.poll() is not None, timeout, "openconnect to end", interval=0.01)
        return time.monotonic() - started

    def vpn_sessions(self, nanbyoctl):
        import json
        out = self.run([nanbyoctl, "--bus", self.vpn_bus, "connections", "--json"]).stdout
        return [c for c in json.loads(out) if c["kind"] == "vpn"]

    def metric(self, name):
        for line in (self.metrics_text() or "").splitlines():
            if line.startswith(f"nanbyo_gateway_{name} "):
                return float(line.split()[1])
        raise ScenarioFailure(f"no metric {name}")
