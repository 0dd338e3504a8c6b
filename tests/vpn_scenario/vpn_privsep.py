"""Privilege separation (issue 13): the gateway binds its port and joins the control bus as
root, then runs as `nobody` with no capability, no_new_privs and a seccomp filter; the
privileged helper nanbyo-tund creates the PC's TUN interface and hands it over. The PC still
connects and reaches the service, the unprivileged gateway still follows the CRL, and the
helper refuses what a compromised gateway might ask for (an address outside the pool, another
uid).

argv: nanbyo-gateway nanbyo-pki nanbyoctl nanbyo-tund"""

import os
import pwd
import signal
import subprocess
import sys

from vpn_harness import GATEWAY_USER, VpnScenario, check, check_eq, note, step

NANBYOCTL = os.path.abspath(sys.argv[3])
USER = GATEWAY_USER
NO_CAPABILITIES = "0000000000000000"
NET_ADMIN_ONLY = "0000000000001000"


def status(pid, task=None):
    """/proc/<pid>[/task/<tid>]/status as a dict of its fields."""
    path = f"/proc/{pid}/status" if task is None else f"/proc/{pid}/task/{task}/status"
    fields = {}
    with open(path) as f:
        for line in f:
            name, _, value = line.partition(":")
            fields[name] = value.strip()
    return fields


def ask_helper(socket_path, request, uid, gid):
    """Sends one request to nanbyo-tund as uid:gid, the way the gateway does; returns the
    answer and whether a descriptor came with it."""
    code = ("import socket,sys\n"
            "s=socket.socket(socket.AF_UNIX,socket.SOCK_SEQPACKET)\n"
            f"s.connect({socket_path!r})\n"
            f"s.send({request!r}.encode())\n"
            "msg,anc,_,_=s.recvmsg(256,socket.CMSG_SPACE(4))\n"
            "print(msg.decode(),'+fd' if anc else '-fd')\n")
    result = subprocess.run(["setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups",
                             sys.executable, "-c", code], capture_output=True, timeout=10)
    return (result.stdout + result.stderr).decode(errors="replace").strip()


with VpnScenario("vpn-privsep") as s:
    nobody = pwd.getpwnam(USER)
    pc = s.issue_client("1310000001", "pc01")
    s.vpn_bus = s.start_private_bus()
    s.start_service()

    step("the gateway starts as root, binds, drops to nobody; nanbyo-tund runs beside it")
    check(s.tund_bin is not None, "nanbyo-tund is the fourth argument")
    s.start_gateway(separated=True)
    helper = s.tund
    gateway_pid = s.gateway.pid

    step("the network-facing process runs as nobody with no capability in any thread")
    check_eq("nanbyo-gateway", open(f"/proc/{gateway_pid}/comm").read().strip(), "process")
    tasks = os.listdir(f"/proc/{gateway_pid}/task")
    check(len(tasks) >= 3, f"workers and the audit writer run ({len(tasks)} threads)")
    for task in tasks:
        fields = status(gateway_pid, task)
        for uid in fields["Uid"].split():
            check_eq(str(nobody.pw_uid), uid, f"thread {task}: Uid")
        for gid in fields["Gid"].split():
            check_eq(str(nobody.pw_gid), gid, f"thread {task}: Gid")
        for capability_set in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"):
            check_eq(NO_CAPABILITIES, fields[capability_set], f"thread {task}: {capability_set}")
        check_eq("1", fields["NoNewPrivs"], f"thread {task}: NoNewPrivs")
        check_eq("2", fields["Seccomp"], f"thread {task}: Seccomp (filter mode)")
    note(f"{len(tasks)} threads: uid {nobody.pw_uid}, every capability set empty, seccomp on")

    step("the helper keeps CAP_NET_ADMIN and nothing else")
    fields = status(helper.pid)
    for capability_set in ("CapPrm", "CapEff", "CapBnd"):
        check_eq(NET_ADMIN_ONLY, fields[capability_set], f"nanbyo-tund {capability_set}")
    check_eq("1", fields["NoNewPrivs"], "nanbyo-tund NoNewPrivs")

    step("a PC connects: its TUN interface comes from the helper, the service answers")
    client = s.connect_vpn(pc)
    opened = s.wait_audit("vpn-tunnel-open", actor=pc.serial)
    interface = opened["detail"]["interface"]
    check(interface.startswith("nbvpn"), f"interface {interface}")
    check(f"created {interface} for pid {gateway_pid} uid {nobody.pw_uid}" in s.output(helper),
          f"the helper created {interface} for the gateway:\n{s.output(helper)}")
    code, body = s.curl_from_pc(s.service_url())
    check_eq(0, code, "curl through the tunnel")
    check_eq("nanbyo service\n", body, "the service's answer")
    sessions = s.vpn_sessions(NANBYOCTL)
    check_eq(1, len(sessions), "nanbyoctl lists the tunnel over the control bus")

    step("the helper refuses what a compromised gateway might ask for")
    outside = ask_helper(s.tund_socket, "open 10.10.0.10 1400", nobody.pw_uid, nobody.pw_gid)
    check_eq("error address 10.10.0.10 is outside the pool 10.255.0.0/24 -fd", outside,
             "an address outside the pool")
    too_big = ask_helper(s.tund_socket, "open 10.255.0.9 9000", nobody.pw_uid, nobody.pw_gid)
    check_eq("error MTU 9000 is outside 576-1400 -fd", too_big, "an MTU beyond the policy's")
    stranger = ask_helper(s.tund_socket, "open 10.255.0.9 1400", 4242, nobody.pw_gid)
    check_eq("error uid 4242 may not ask -fd", stranger, "another uid in the socket's group")
    no_group = ask_helper(s.tund_socket, "open 10.255.0.9 1400", 4242, 4242)
    check("Permission denied" in no_group, f"a user outside the group cannot connect: {no_group}")
    links = s.in_gw(["ip", "-o", "link", "show"]).stdout.decode()
    check_eq(1, links.count("nbvpn"), "no interface was created for the refused requests")

    step("the unprivileged gateway reloads its policy and TLS files on SIGHUP")
    mark = s.audit_mark()
    s.gateway.send_signal(signal.SIGHUP)
    reloaded = s.wait_audit("policy-reload", after=mark)
    check_eq("allow", reloaded["outcome"], f"the reload as nobody: {reloaded['detail']}")

    step("the unprivileged gateway still reads the CRL: revoking the PC ends its tunnel")
    mark = s.audit_mark()
    s.revoke(pc)
    s.wait_exit(client, timeout=5)
    closed = s.wait_audit("vpn-tunnel-close", after=mark, actor=pc.serial)
    check("revoked" in closed["detail"]["reason"], "the close record says why")
    reloads = s.find_audit("crl-reload", after=mark)
    check(reloads and all(r["outcome"] == "info" for r in reloads),
          f"the CRL was read after the privilege drop: {reloads}")
