#!/usr/bin/env python3
"""Scenario: the gateway's audit log as operators run it (issue 17, S-7, O-2).

1. With audit.rotate_bytes small, a busy gateway rotates its log into numbered files;
   `nanbyoctl audit verify` checks the set as one chain, and reports the file removed
   from the middle of a copy of it.
2. With audit.on_failure: refuse, a gateway whose log cannot grow (a file size limit,
   RLIMIT_FSIZE, standing in for a full disk) answers 503; once the log can grow again
   the kept records are written and it serves again, the chain whole.

usage: audit_rotation.py <nanbyo-gateway> <nanbyo-pki> <nanbyoctl>
"""
import glob
import json
import os
import resource
import shutil
import signal
import subprocess
import sys

from harness import Scenario, check, check_eq, note, step, wait_until

NANBYOCTL = os.path.abspath(sys.argv[3]) if len(sys.argv) > 3 else sys.exit(
    "usage: audit_rotation.py GATEWAY PKI NANBYOCTL")


def verify(s, *args):
    return s.run([NANBYOCTL, "audit", "verify", *args], check_ok=False, text=True)


with Scenario("audit-rotation") as s:
    pc = s.issue_client("1310000001", "pc01")
    s.start_upstream()

    step("a gateway rotating at 2 KiB writes numbered files that verify as one chain")
    s.start_gateway(audit={"rotate_bytes": 2048})
    for i in range(12):
        check_eq(200, s.curl(pc, f"/r{i}").status, f"request {i}")
    s.stop(s.gateway, signal.SIGTERM)
    rotated = sorted(glob.glob(s.audit_path + ".*"))
    note(f"{len(rotated)} rotated files: {[os.path.basename(f) for f in rotated]}")
    check(len(rotated) >= 2, "the log did not rotate")
    result = verify(s, s.audit_path, "--json")
    check_eq(0, result.returncode, f"verify of the rotated set: {result.stdout}{result.stderr}")
    summary = json.loads(result.stdout)
    check_eq(len(rotated) + 1, len(summary["files"]), "files verified")

    step("a file removed from the middle of a copy: the link between its neighbours breaks")
    copy = s.path("copy")
    shutil.copytree(os.path.dirname(s.audit_path), copy)
    os.remove(os.path.join(copy, os.path.basename(rotated[1])))
    result = verify(s, copy)
    check_eq(1, result.returncode, "verify of a set with a file missing")
    note(result.stderr.strip())
    check("chain broken between" in result.stderr, f"the message names the link: {result.stderr}")

    step("audit.on_failure refuse: 503 while the log cannot grow")

    def small_files():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of a signal
        limit = os.path.getsize(s.audit_path) + 3000
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))

    s.start_gateway(audit={"rotate_bytes": 0, "on_failure": "refuse"}, before_exec=small_files)
    statuses = []
    for i in range(40):
        statuses.append(s.curl(pc, f"/f{i}").status)
        if statuses[-1] == 503:
            break
    note(f"statuses: {statuses}")
    check_eq(503, statuses[-1], "a refused request once the log is full")

    step("the log can grow again: the kept records are written and service resumes")
    subprocess.run(["prlimit", f"--pid={s.gateway.pid}", "--fsize=unlimited"], check=True)
    wait_until(lambda: s.curl(pc, "/again").status == 200, 10, "service after the disk came back")
    s.stop(s.gateway, signal.SIGTERM)
    result = verify(s, s.audit_path)
    check_eq(0, result.returncode, f"verify after the failure: {result.stdout}{result.stderr}")
    note(result.stdout.strip())
    records = []
    for file in sorted(glob.glob(s.audit_path + ".*")) + [s.audit_path]:
        records += [json.loads(line) for line in open(file)]
    refused = [r for r in records if r.get("detail", {}).get("check") == "audit-unavailable"]
    check(len(refused) >= 1, "the refusal itself was kept and written once the log could grow")
    note(f"{len(refused)} audit-unavailable refusals recorded")
