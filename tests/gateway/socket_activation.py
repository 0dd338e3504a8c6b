#!/usr/bin/env python3
"""Scenario: systemd socket activation and a gateway that never held a privilege (issue 13).

As systemd does for nanbyo-gateway.socket, the test binds a port below 1024 on 127.0.0.1 and
hands it over as LISTEN_FDS=1 (descriptor 3) to nanbyo-gateway started directly as `nobody`.
The gateway serves PCs on that port without ever holding CAP_NET_BIND_SERVICE, binds the
listeners systemd did not pass itself (the metrics port), and runs with no capability,
no_new_privs and its seccomp filter. Needs root (a port below 1024, starting as nobody);
skipped (exit 77) otherwise.
"""
import os
import pwd
import random
import socket
import sys

from harness import Scenario, check, check_eq, free_port, note, step, to_yaml, wait_until

if os.geteuid() != 0:
    print("SKIP: needs root to bind a port below 1024 and to start the gateway as nobody")
    sys.exit(77)

NOBODY = pwd.getpwnam("nobody")


def privileged_listener():
    """A listening socket on a free 127.0.0.1 port below 1024, as systemd would bind it."""
    for port in random.sample(range(600, 1000), 100):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            sock.close()
            continue
        sock.listen(128)
        return sock, port
    raise RuntimeError("no free port below 1024")


def status(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            name, _, value = line.partition(":")
            fields[name] = value.strip()
    return fields


with Scenario("socket-activation") as s:
    pc = s.issue_client("1310000001", "pc01")
    s.start_upstream()
    listener, port = privileged_listener()

    step(f"nanbyo-gateway as nobody, port {port} handed over as LISTEN_FDS")
    os.chmod(s.dir, 0o755)
    os.chown(s.path("srv.key"), NOBODY.pw_uid, NOBODY.pw_gid)
    os.makedirs(os.path.dirname(s.audit_path), exist_ok=True)
    os.chown(os.path.dirname(s.audit_path), NOBODY.pw_uid, NOBODY.pw_gid)
    s.gateway_port, s.metrics_port = port, free_port()
    s.write_policy(to_yaml(s.policy()) + "\n")

    def as_systemd_would():
        # Python's descriptors are close-on-exec; the dup2'ed 3 is not (close_fds=False).
        if listener.fileno() != 3:
            os.dup2(listener.fileno(), 3)
        os.set_inheritable(3, True)
        os.environ["LISTEN_FDS"] = "1"
        os.environ["LISTEN_PID"] = str(os.getpid())
        os.setgroups([])
        os.setresgid(NOBODY.pw_gid, NOBODY.pw_gid, NOBODY.pw_gid)
        os.setresuid(NOBODY.pw_uid, NOBODY.pw_uid, NOBODY.pw_uid)

    gateway = s.spawn("gateway", [s.gateway_bin, "--policy", s.policy_path, "--threads", "2",
                                  "--control-bus", "none"],
                      before_exec=as_systemd_would, close_fds=False)
    wait_until(lambda: s.metrics_text(quiet=True) is not None or gateway.poll() is not None, 10,
               "the gateway to serve its metrics")
    check(gateway.poll() is None, f"nanbyo-gateway did not start:\n{s.output(gateway)}")
    s.gateway = gateway
    listener.close()  # the gateway holds its own copies now

    step("a PC is served on the handed-over port")
    check_eq(200, s.curl(pc, "/hello").status, f"request on port {port}")
    s.wait_audit("connect", actor=pc.serial)

    step("the gateway never held a capability and holds none now")
    fields = status(gateway.pid)
    for uid in fields["Uid"].split():
        check_eq(str(NOBODY.pw_uid), uid, "Uid")
    for capability_set in ("CapInh", "CapPrm", "CapEff", "CapAmb"):
        check_eq("0000000000000000", fields[capability_set], capability_set)
    check_eq("1", fields["NoNewPrivs"], "NoNewPrivs")
    check_eq("2", fields["Seccomp"], "Seccomp (filter mode)")
    note(f"uid {NOBODY.pw_uid}, CapEff {fields['CapEff']}, serving port {port} it never bound")
