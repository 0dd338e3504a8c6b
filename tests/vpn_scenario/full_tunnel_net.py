"""What the full-tunnel scenario adds to the two namespaces of vpn_harness.py (issue 15, S-6).

- An "Internet" namespace joined to the PC's by its own veth pair: the PC's default route
  goes to its router (198.51.100.1), behind which a web server answers on 203.0.113.10, an
  address the PC reaches only through that default route (never a connected network, which
  a full tunnel would not take over).
- The service's DNS (10.10.0.53, beside the service on the gateway namespace's loopback):
  dns_answerer.py, which knows service.nanbyo.test.
- A resolv.conf of the PC namespace's own (/etc/netns/<pc>/resolv.conf, which `ip netns
  exec` binds over /etc/resolv.conf), for the stock vpnc-script to rewrite.
"""

import os
import random
import sys

from vpn_harness import HERE, ScenarioFailure, wait_until

INTERNET_ROUTER = "198.51.100.1"
PC_UPLINK = "198.51.100.2"
INTERNET_HOST = "203.0.113.10"
# The same Internet over IPv6 (documentation prefixes): a PC with IPv6 of its own.
INTERNET_ROUTER_V6 = "2001:db8:1::1"
PC_UPLINK_V6 = "2001:db8:1::2"
INTERNET_HOST_V6 = "2001:db8:2::10"
DNS_IP = "10.10.0.53"
SERVICE_NAME = "service.nanbyo.test"
PC_RESOLVER = "192.0.2.53"  # the PC's own resolver before connecting (never answers)


def add_internet(s):
    """The third namespace, the PC's default route into it, and a web server behind it."""
    suffix = f"{random.randrange(1 << 24):06x}"
    ns = f"nbin{suffix}"
    s.sh(["ip", "netns", "add", ns])
    s.extra_namespaces.append(ns)
    pc_dev, net_dev = f"nbi{suffix}", f"nbj{suffix}"
    s.sh(["ip", "link", "add", pc_dev, "netns", s.pc_ns, "type", "veth", "peer", "name", net_dev,
          "netns", ns])
    for where, dev, ip in ((s.pc_ns, pc_dev, PC_UPLINK), (ns, net_dev, INTERNET_ROUTER)):
        s.sh(["ip", "-n", where, "addr", "add", f"{ip}/30", "dev", dev])
        s.sh(["ip", "-n", where, "link", "set", dev, "up"])
    s.sh(["ip", "-n", ns, "link", "set", "lo", "up"])
    s.sh(["ip", "-n", ns, "addr", "add", f"{INTERNET_HOST}/32", "dev", "lo"])
    s.sh(["ip", "-n", s.pc_ns, "route", "add", "default", "via", INTERNET_ROUTER])
    # IPv6 too, without duplicate address detection (no waiting): the PC's own IPv6 default
    # route is what a full tunnel must take over as well.
    for where, dev, ip in ((s.pc_ns, pc_dev, PC_UPLINK_V6), (ns, net_dev, INTERNET_ROUTER_V6)):
        s.sh(["ip", "-n", where, "-6", "addr", "add", f"{ip}/64", "dev", dev, "nodad"])
    s.sh(["ip", "-n", ns, "-6", "addr", "add", f"{INTERNET_HOST_V6}/128", "dev", "lo", "nodad"])
    s.sh(["ip", "-n", s.pc_ns, "-6", "route", "add", "default", "via", INTERNET_ROUTER_V6])
    with open(s.path("internet.html"), "w") as f:
        f.write("the Internet\n")
    s.spawn("internet-web", ["ip", "netns", "exec", ns, sys.executable, "-m", "http.server",
                             "--bind", INTERNET_HOST, "--directory", s.dir, "80"])
    s.spawn("internet-web-v6", ["ip", "netns", "exec", ns, sys.executable, "-m", "http.server",
                                "--bind", INTERNET_HOST_V6, "--directory", s.dir, "80"])
    for url in (internet_url(), internet_url_v6()):
        wait_until(lambda: s.run(["ip", "netns", "exec", ns, "curl", "-s", "-o", "/dev/null", url],
                                 check_ok=False).returncode == 0, 10,
                   f"the Internet host's web server at {url}")
    return ns


def internet_url():
    return f"http://{INTERNET_HOST}/internet.html"


def internet_url_v6():
    return f"http://[{INTERNET_HOST_V6}]/internet.html"


def start_dns(s):
    """The service's DNS server in the gateway namespace, on DNS_IP:53 (UDP)."""
    s.sh(["ip", "-n", s.gw_ns, "addr", "add", f"{DNS_IP}/32", "dev", "lo"])
    proc = s.spawn("dns", ["ip", "netns", "exec", s.gw_ns, sys.executable,
                           os.path.join(HERE, "dns_answerer.py"), DNS_IP,
                           f"{SERVICE_NAME}=10.10.0.10"])
    wait_until(lambda: "serving" in s.output(proc, "out") or proc.poll() is not None, 10,
               "the DNS answerer")
    if proc.poll() is not None:
        raise ScenarioFailure(f"dns_answerer.py did not start:\n{s.output(proc)}")
    return proc


def give_pc_resolv_conf(s):
    """/etc/netns/<pc>/resolv.conf with the PC's own resolver; returns its path."""
    folder = f"/etc/netns/{s.pc_ns}"
    s.made_etc_netns = not os.path.isdir("/etc/netns")  # then removed with the namespaces
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "resolv.conf")
    with open(path, "w") as f:
        f.write(f"nameserver {PC_RESOLVER}\noptions timeout:1 attempts:1\n")
    return path
