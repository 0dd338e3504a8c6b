"""IPsec scenarios (issue 16, S-10) on top of the VPN scenarios' namespaces (vpn_harness.py).

    with IpsecScenario("ipsec-tunnel") as s:
        pc = s.issue_client("1310000001", "pc01")
        s.start_service()
        s.start_ipsec()                   # charon + nanbyo-gateway in the gateway namespace
        s.initiate(pc)                    # Debian's charon as the hospital's client
        s.curl_from_pc(s.service_url())   # through the IPsec SA

The gateway namespace runs Debian's charon-systemd with the appliance's configuration
(packaging/strongswan/strongswan.conf: its plugins, its VICI socket moved into the scenario's
folder, kernel-libipsec added because this kernel has no ESP) and nanbyo-gateway, dropped to
`nobody`, driving it over VICI. The PC namespace runs a second charon-systemd with its own
STRONGSWAN_CONF and SWANCTL_DIR, driven by `swanctl --uri` to its own socket.
Needs root, namespaces and strongSwan; otherwise exits 77 (skipped) saying what is missing.
"""

import grp
import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "vpn_scenario"))
from vpn_harness import (GATEWAY_IP, PC_IP, SERVICE_IP, SERVICE_PORT, ScenarioFailure,  # noqa: F401
                         VpnScenario, check, check_eq, note, skip, step, wait_until)

HERE = os.path.dirname(os.path.abspath(__file__))
APPLIANCE_CONF = os.path.join(HERE, "..", "..", "packaging", "strongswan", "strongswan.conf")
CHARON = "/usr/sbin/charon-systemd"
POOL = "10.254.0.0/24"
OTHER_IP = "10.20.0.10"  # in the gateway namespace, outside the service networks


def require_strongswan():
    for tool in (CHARON, shutil.which("swanctl") or "/usr/sbin/swanctl"):
        if not os.access(tool, os.X_OK):
            skip(f"{tool} is missing (packaging/install-deps.sh installs strongSwan)")


def ipsec_section(**changes):
    section = {
        "name": "ipsec",
        "local_addresses": [GATEWAY_IP],
        "certificate": "srv.crt",
        "private_key": "srv.key",
        "client_ca": "ca/ca-chain.crt",
        "crl": "ca/crl.pem",
        "allowed_hospitals": ["*"],
        "address_pool": POOL,
        "service_networks": ["10.10.0.0/24"],
        "vici_socket": "charon-gw/charon.vici",
    }
    section.update(changes)
    return section


def charon_conf(socket, log, extra_plugins=""):
    """The appliance's strongswan.conf for a test charon: its socket and log in the scenario's
    folder, userspace ESP, the group of the unprivileged test gateway."""
    text = open(APPLIANCE_CONF).read()
    text = text.replace("unix:///run/nanbyo-ipsec/charon.vici", f"unix://{socket}")
    text = text.replace(" kernel-netlink ", f" kernel-libipsec kernel-netlink {extra_plugins}")
    text = text.replace("group = _nanbyo-gw", "group = nogroup")
    return text.rstrip()[:-1] + (
        f"  filelog {{\n    test {{\n      path = {log}\n      default = 1\n      ike = 2\n      cfg = 2\n"
        f"      time_format = %H:%M:%S\n      flush_line = yes\n    }}\n  }}\n}}\n")


class IpsecScenario(VpnScenario):
    def __init__(self, name):
        require_strongswan()
        super().__init__(name)
        self.ipsec_changes = {}
        self.gw_charon = self.pc_charon = None

    def policy(self, **options):
        p = super().policy(**options)
        p["ipsec"] = ipsec_section(**self.ipsec_changes)
        return p

    def _make_network(self):
        super()._make_network()
        self.sh(["ip", "-n", self.gw_ns, "addr", "add", f"{OTHER_IP}/32", "dev", "lo"])

    def start_service(self):
        super().start_service()
        self.spawn("other-service", ["ip", "netns", "exec", self.gw_ns, sys.executable, "-m",
                                     "http.server", "--bind", OTHER_IP, "--directory", self.dir,
                                     str(SERVICE_PORT)])

    # -- charon -------------------------------------------------------------------------
    def _start_charon(self, side, ns):
        conf_dir = self.path(f"charon-{side}")
        os.makedirs(conf_dir, exist_ok=True)
        socket = os.path.join(conf_dir, "charon.vici")
        conf = os.path.join(conf_dir, "strongswan.conf")
        with open(conf, "w") as f:
            f.write(charon_conf(socket, os.path.join(conf_dir, "charon.log")))
        os.chmod(conf_dir, 0o755)
        env = dict(os.environ, STRONGSWAN_CONF=conf)
        logs = os.path.join(self.dir, "logs")
        os.makedirs(logs, exist_ok=True)
        proc = self.spawn(f"charon-{side}", ["ip", "netns", "exec", ns, "env",
                                             f"STRONGSWAN_CONF={conf}", CHARON])
        wait_until(lambda: os.path.exists(socket) or proc.poll() is not None, 10,
                   f"charon ({side}) to open its VICI socket")
        if proc.poll() is not None:
            raise ScenarioFailure(f"charon ({side}) exited:\n{self.output(proc)}")
        return proc, socket, conf_dir

    def start_ipsec(self, **gateway_options):
        """The server's charon, then nanbyo-gateway, which loads it; ready once the gateway
        audited the configuration it loaded."""
        self.gw_charon, self.gw_socket, _ = self._start_charon("gw", self.gw_ns)
        st = os.stat(self.gw_socket)
        check(grp.getgrgid(st.st_gid).gr_name == "nogroup" and not st.st_mode & 0o007,
              f"charon's VICI socket is its group's (charon.group), closed to others "
              f"(mode {st.st_mode & 0o777:o}, group {st.st_gid})")
        mark = self.audit_mark() if os.path.exists(self.audit_path) else 0
        self.start_gateway(**gateway_options)
        self.wait_charon_loaded(mark)
        self.pc_charon, self.pc_socket, self.pc_dir = self._start_charon("pc", self.pc_ns)

    def wait_charon_loaded(self, mark, timeout=10):
        """Until the gateway audits that it loaded charon (after seq `mark`)."""
        wait_until(lambda: [r for r in self.find_audit("ipsec-config", after=mark)
                            if r["outcome"] == "info"], timeout,
                   "the gateway to load charon (ipsec-config, info)")

    def swanctl_pc(self, command, *args, check_ok=True, timeout=30):
        return self.run(["ip", "netns", "exec", self.pc_ns, "swanctl", command, "--uri",
                         f"unix://{self.pc_socket}", *args], check_ok=check_ok, timeout=timeout,
                        env=dict(os.environ, SWANCTL_DIR=self.swanctl_dir))

    def swanctl_gw(self, command, *args, check_ok=True):
        return self.run(["ip", "netns", "exec", self.gw_ns, "swanctl", command, "--uri",
                         f"unix://{self.gw_socket}", *args], check_ok=check_ok)

    def client_config(self, pc, ca_chain=None):
        """SWANCTL_DIR of the PC: its certificate and (decrypted) key, the CA chain, one
        connection asking for everything (0.0.0.0/0) so that the server's narrowing shows."""
        self.swanctl_dir = self.path(f"swanctl-{pc.terminal}")
        shutil.rmtree(self.swanctl_dir, ignore_errors=True)
        for sub in ("x509", "x509ca", "private"):
            os.makedirs(os.path.join(self.swanctl_dir, sub))
        shutil.copy(pc.cert, os.path.join(self.swanctl_dir, "x509", "pc.crt"))
        password = open(pc.key.replace(".key", ".pw")).read().strip() \
            if os.path.exists(pc.key.replace(".key", ".pw")) else ""
        argv = ["openssl", "pkey", "-in", pc.key, "-out",
                os.path.join(self.swanctl_dir, "private", "pc.key")]
        if password:
            argv += ["-passin", f"pass:{password}"]
        self.run(argv)
        chain = open(ca_chain or os.path.join(self.ca_dir, "ca-chain.crt")).read()
        for i, block in enumerate(re.findall(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----",
                                             chain, re.S)):
            with open(os.path.join(self.swanctl_dir, "x509ca", f"ca{i}.crt"), "w") as f:
                f.write(block + "\n")
        with open(os.path.join(self.swanctl_dir, "swanctl.conf"), "w") as f:
            f.write(f"""connections {{
  nanbyo {{
    version = 2
    remote_addrs = {GATEWAY_IP}
    vips = 0.0.0.0
    proposals = aes256gcm16-prfsha256-ecp256
    local {{
      auth = pubkey
      certs = pc.crt
    }}
    remote {{
      auth = pubkey
    }}
    children {{
      nanbyo {{
        remote_ts = 0.0.0.0/0
        esp_proposals = aes256gcm16-ecp256
      }}
    }}
  }}
}}
""")

    def initiate(self, pc, expect_ok=True):
        """swanctl --initiate with `pc`'s certificate; returns (seconds, output). expect_ok
        True: must succeed, False: must fail, None: either (the gateway ends it after)."""
        self.client_config(pc)
        self.swanctl_pc("--load-all", "--noprompt")
        started = time.monotonic()
        r = self.swanctl_pc("--initiate", "--child", "nanbyo", "--timeout", "10", check_ok=False)
        seconds = time.monotonic() - started
        out = (r.stdout + r.stderr).decode(errors="replace")
        if expect_ok and r.returncode != 0:
            raise ScenarioFailure(f"swanctl --initiate failed:\n{out[-2000:]}")
        if expect_ok is False and r.returncode == 0:
            raise ScenarioFailure(f"swanctl --initiate succeeded where it must fail:\n{out[-1500:]}")
        return seconds, out

    def pc_sas(self):
        return self.swanctl_pc("--list-sas", "--raw").stdout.decode(errors="replace")

    def pc_has_sa(self):
        return "state=ESTABLISHED" in self.pc_sas().replace(" ", "") or \
            "ESTABLISHED" in self.pc_sas()

    def ipsec_connections(self, nanbyoctl):
        import json
        out = self.run([nanbyoctl, "--bus", self.vpn_bus, "connections", "--json"]).stdout
        return [c for c in json.loads(out) if c["kind"] == "ipsec"]

    def wait_sa_gone(self, timeout=2.0):
        """Seconds until the PC's charon no longer holds an IKE SA (polled every 2 ms)."""
        started = time.monotonic()
        wait_until(lambda: "ESTABLISHED" not in self.pc_sas(), timeout,
                   "the PC's IKE SA to end", interval=0.002)
        return time.monotonic() - started
