#!/usr/bin/env python3
"""Scenario: the gateway's audit log is tamper-evident (S-7, O-2).

After a mixed session (good requests, refusals, a revocation, a policy
reload, a restart of the gateway on the same log) every record chains to the
one before it (harness.verify_audit_chain mirrors pki/audit/audit_record.h).
Editing one byte of one record, or deleting one record, breaks the chain at
that line.
"""
import shutil
import signal

from harness import Scenario, check, check_eq, note, step, verify_audit_chain

with Scenario("audit-chain") as s:
    pc = s.issue_client("1310000001", "pc01")
    doomed = s.issue_client("1310000001", "pc02")
    s.start_upstream()
    s.start_gateway(routes=[s.route("/api")])

    step("a mixed session: requests, refusals, a revocation, a reload")
    check_eq(200, s.curl(pc, "/api/a").status, "a good request")
    check_eq(404, s.curl(pc, "/elsewhere").status, "a request without route")
    s.s_client(pc=None)
    conn = s.connect(doomed)
    check_eq(200, s.ask(conn, "/api/b").status, "the doomed PC's request")
    mark = s.audit_mark()
    s.revoke(doomed)
    s.wait_audit("forced-close", after=mark, actor=doomed.serial)
    conn.close()
    s.reload(routes=[s.route("/api"), s.route("/more")])
    s.wait_audit("policy-reload", after=mark)

    step("the live log verifies")
    ok, message = verify_audit_chain(s.audit_path)
    check(ok, f"the live audit log does not verify: {message}")
    note(message)

    step("a restarted gateway continues the same chain")
    last_before = s.audit_records()[-1]
    s.stop(s.gateway)
    s.start_gateway(routes=[s.route("/api")])
    check_eq(200, s.curl(pc, "/api/c").status, "a request after the restart")
    s.stop(s.gateway, signal.SIGTERM)  # flushes and writes gateway-stop
    records = s.audit_records()
    check(records[-1]["event"] == "gateway-stop", f"the last record is {records[-1]['event']}")
    check(len(records) > last_before["seq"] + 2, "the restarted gateway wrote no records")
    ok, message = verify_audit_chain(s.audit_path)
    check(ok, f"the audit log after a restart does not verify: {message}")
    note(message)
    events = {r["event"] for r in records}
    for needed in ("gateway-start", "connect", "request-reject", "tls-reject", "revoke-certificate",
                   "forced-close", "crl-reload", "policy-reload", "gateway-stop"):
        check(needed in events, f"no {needed} record in the log")

    step("one byte flipped in one record: the chain breaks at that line")
    lines = open(s.audit_path, "rb").read().split(b"\n")
    victim = len(lines) // 2  # 0-based index of a record in the middle
    at = lines[victim].index(b'"event":"') + len(b'"event":"')  # the first letter of the event name
    tampered = s.path("tampered.log")
    shutil.copy(s.audit_path, tampered)
    offset = sum(len(line) + 1 for line in lines[:victim]) + at
    with open(tampered, "r+b") as f:
        f.seek(offset)
        byte = f.read(1)
        f.seek(offset)
        f.write(bytes([byte[0] ^ 0x01]))
    ok, message = verify_audit_chain(tampered)
    note(f"flipped {byte!r} at byte {offset}: {message}")
    check(not ok, "a log with a flipped byte verifies")
    check(f"line {victim + 1}:" in message, f"the break is reported at line {victim + 1}: {message}")

    step("one record deleted: the chain breaks at the next line")
    with open(tampered, "wb") as f:
        f.write(b"\n".join(lines[:victim] + lines[victim + 1:]))
    ok, message = verify_audit_chain(tampered)
    note(message)
    check(not ok, "a log with a deleted record verifies")
    check(f"line {victim + 1}:" in message, f"the break is reported at line {victim + 1}: {message}")
