#!/usr/bin/env python3
"""Scenario: revoking a user's key logs out every session of that user (ID-5, ID-6, S-8).

appcore tells the gateway whose session a response belongs to with the header
X-Nanbyo-Session: user=U; issued=T (the test upstream's /session does the
same). When the municipality extends or deletes a doctor's ID, appcore calls
RevokeUser on the gateway's control bus (org.nanbyo.Gateway1); here the real
`dbus-send` does, on a private dbus-daemon. The user's open connection is
closed; a request that comes back with a session issued before the
revocation gets 401 and is audited (session-reject, user-revoked); a session
issued after it (the next login) works; another user is unaffected.

Exit 77 (skipped) when dbus-daemon or dbus-send is not installed.
"""
import shutil
import sys
import threading
import time

from harness import Scenario, check, check_eq, note, step

if not (shutil.which("dbus-daemon") and shutil.which("dbus-send")):
    print("SKIP: dbus-daemon and dbus-send (Debian package dbus) are needed for the control bus")
    sys.exit(77)

DOCTOR, OTHER = "A0000001", "B0000002"


def watch_close(conn, seen):
    try:
        seen["data"] = conn.sock.recv(1)
    except OSError as error:
        seen["data"], seen["error"] = b"", repr(error)
    seen["closed_at"] = time.monotonic()


with Scenario("user-revocation") as s:
    pc = s.issue_client("1310000001", "pc01")
    pc2 = s.issue_client("1310000001", "pc02")
    bus = s.start_private_bus()
    s.start_upstream()
    s.start_gateway(control_bus=bus)
    check("control on D-Bus" in s.output(s.gateway), f"the gateway did not join {bus}:\n{s.output(s.gateway)}")

    def revoke_user(user):
        result = s.run(["dbus-send", f"--bus={bus}", "--print-reply", "--dest=org.nanbyo.Gateway1",
                        "/org/nanbyo/Gateway1", "org.nanbyo.Gateway1.RevokeUser", f"string:{user}"])
        return result.stdout.decode()

    issued_before = int(time.time()) - 60
    step(f"{DOCTOR} is logged in on a keep-alive connection; {OTHER} on another PC")
    conn = s.connect(pc, timeout=30)
    check_eq(200, s.ask(conn, f"/session?user={DOCTOR}&issued={issued_before}").status, "login response")
    check_eq(200, s.ask(conn, "/api/forms").status, "a request of the logged-in doctor")
    other = s.connect(pc2, timeout=30)
    check_eq(200, s.ask(other, f"/session?user={OTHER}&issued={issued_before}").status, "the other user's login")
    seen = {}
    watcher = threading.Thread(target=watch_close, args=(conn, seen), daemon=True)
    watcher.start()
    time.sleep(0.2)
    mark = s.audit_mark()

    step(f"RevokeUser({DOCTOR}) over D-Bus closes the doctor's connection")
    started = time.monotonic()
    reply = revoke_user(DOCTOR)
    returned = time.monotonic()
    check("uint32 1" in reply, f"RevokeUser should report 1 connection closed:\n{reply}")
    watcher.join(timeout=5)
    check("closed_at" in seen, "the doctor's connection was still open 5 s after RevokeUser")
    note(f"RevokeUser took {(returned - started) * 1000:.1f} ms; connection closed "
         f"{(seen['closed_at'] - returned) * 1000:+.1f} ms after it returned")
    s.wait_audit("revoke-user", after=mark, closed="1")
    s.wait_audit("forced-close", after=mark, actor=pc.serial)
    conn.close()

    step("the old session is refused with 401 on a new connection")
    time.sleep(1.1)  # a session issued in the second of the revocation counts as revoked
    conn = s.connect(pc)
    reply = s.ask(conn, f"/session?user={DOCTOR}&issued={issued_before}")
    check_eq(401, reply.status, "status for a session issued before the revocation")
    s.wait_audit("session-reject", check="user-revoked", after=mark, user=DOCTOR)
    # Detection (S-7, docs/detection.md): a forced logout followed by the old session.
    alert = s.wait_audit("illicit-operation", after=mark, rule="old-session-after-forced-logout")
    check_eq(DOCTOR, alert["subject"], "the alert names the user whose old session came back")
    note(f"illicit-operation alert: {alert['detail']['rule']} for {alert['subject']}")
    conn.close()

    step("a session issued after the revocation (the next login) works")
    conn = s.connect(pc)
    check_eq(200, s.ask(conn, f"/session?user={DOCTOR}&issued={int(time.time())}").status, "a new login")
    conn.close()

    step("the other user is unaffected")
    check_eq(200, s.ask(other, f"/session?user={OTHER}&issued={issued_before}").status, "the other user's session")
    other.close()
