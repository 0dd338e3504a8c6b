#!/usr/bin/env python3
"""Scenario: the operator reloads the policy while PCs are working (CONVENTIONS rule 4).

For about 3 s, client threads make requests without pause: some over
keep-alive connections, some with a new TLS connection each time. Meanwhile
the policy gets a new route and SIGHUP, five times. Not one request may fail.
The new routes work. Then a policy with an unknown key and SIGHUP: refused
(audit policy-reload, outcome deny), and the gateway goes on with the last
good policy. The CRL is still watched after all these reloads.
"""
import signal
import threading
import time

from harness import Scenario, check, check_eq, note, step, wait_until

KEEP_ALIVE_CLIENTS = 3
NEW_CONNECTION_CLIENTS = 2
RELOADS = 5


class Load:
    """Client threads that request /api/... until stopped, counting what went wrong."""

    def __init__(self, scenario, pc):
        self.s, self.pc = scenario, pc
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.ok, self.failures = 0, []
        self.threads = [threading.Thread(target=self.keep_alive, args=(i,)) for i in range(KEEP_ALIVE_CLIENTS)]
        self.threads += [threading.Thread(target=self.new_connections, args=(i,))
                         for i in range(NEW_CONNECTION_CLIENTS)]

    def count(self, what, reply=None, error=None):
        with self.lock:
            if reply is not None and reply.status == 200:
                self.ok += 1
            else:
                self.failures.append(f"{what}: {reply.status if reply else ''} {error or ''}")

    def keep_alive(self, n):
        conn, i = self.s.connect(self.pc), 0
        while not self.stopping.is_set():
            i += 1
            try:
                self.count(f"keep-alive client {n} request {i}", self.s.ask(conn, f"/api/ka/{n}/{i}"))
            except Exception as error:  # noqa: BLE001 - every failure is counted
                self.count(f"keep-alive client {n} request {i}", error=repr(error))
                conn.close()
                conn = self.s.connect(self.pc)
        conn.close()

    def new_connections(self, n):
        i = 0
        while not self.stopping.is_set():
            i += 1
            try:
                conn = self.s.connect(self.pc)
                self.count(f"new-connection client {n} request {i}",
                           self.s.ask(conn, f"/api/new/{n}/{i}", headers={"Connection": "close"}))
                conn.close()
            except Exception as error:  # noqa: BLE001
                self.count(f"new-connection client {n} request {i}", error=repr(error))

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for t in self.threads:
            t.join(timeout=15)


with Scenario("policy-reload") as s:
    pc = s.issue_client("1310000001", "pc01")
    s.start_upstream()
    routes = [s.route("/api")]
    s.start_gateway(routes=routes)
    check_eq(404, s.curl(pc, f"/v{RELOADS}/x").status, f"/v{RELOADS} before any reload")

    step(f"{RELOADS} reloads, each adding a route, while {KEEP_ALIVE_CLIENTS} keep-alive and "
         f"{NEW_CONNECTION_CLIENTS} new-connection clients work")
    mark = s.audit_mark()
    with Load(s, pc) as load:
        time.sleep(0.4)
        for n in range(1, RELOADS + 1):
            routes = routes + [s.route(f"/v{n}")]
            s.reload(routes=routes)
            time.sleep(0.5)
        time.sleep(0.3)
    note(f"{load.ok} requests succeeded, {len(load.failures)} failed")
    check(not load.failures, f"{len(load.failures)} requests failed during reloads:\n" +
          "\n".join(load.failures[:20]))
    check(load.ok >= 50, f"only {load.ok} requests in ~3 s: the load did not run")
    reloads = wait_until(lambda: len(s.find_audit("policy-reload", after=mark)) >= RELOADS and
                         s.find_audit("policy-reload", after=mark), 5, f"{RELOADS} policy-reload records")
    check_eq(["allow"] * RELOADS, [r["outcome"] for r in reloads], "policy-reload outcomes")

    step("the routes added by the reloads work")
    for n in range(1, RELOADS + 1):
        check_eq(200, s.curl(pc, f"/v{n}/x").status, f"status on the new route /v{n}")

    step("a policy with an unknown key is refused; the last good policy stays")
    mark = s.audit_mark()
    s.write_policy(open(s.policy_path).read() + "surprise_key: 1\n")
    s.gateway.send_signal(signal.SIGHUP)
    refused = s.wait_audit("policy-reload", after=mark)
    check_eq("deny", refused["outcome"], "outcome of the bad reload")
    note(f"refused with: {refused['detail'].get('error')}")
    check(s.gateway_alive(), "the gateway died on a bad policy")
    check_eq(200, s.curl(pc, f"/v{RELOADS}/x").status, "the last good policy's newest route")
    check_eq(200, s.curl(pc, "/api/x").status, "the original route")
    metrics = s.metrics()
    check_eq(RELOADS, metrics.get("nanbyo_gateway_policy_reloads_total"), "policy_reloads_total")
    check_eq(1, metrics.get("nanbyo_gateway_policy_reloads_failed_total"), "policy_reloads_failed_total")

    step("after the reloads the CRL is still watched: a revocation closes a live connection")
    victim = s.issue_client("1310000001", "pc-victim")
    conn = s.connect(victim)
    check_eq(200, s.ask(conn, "/api/before-revoke").status, "the victim's request")
    mark = s.audit_mark()
    s.revoke(victim)
    s.wait_audit("forced-close", after=mark, actor=victim.serial)
    conn.close()
