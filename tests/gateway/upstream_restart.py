#!/usr/bin/env python3
"""Scenario: after the upstream restarts, PCs are served as soon as it is back.

appcore is restarted (an upgrade, a crash) while the gateway holds several
idle pooled connections to it; they are all dead now. Once appcore listens
again, every request must succeed: a dead pooled connection is the gateway's
problem, not the PC's (the same happens when an upstream closes idle
keep-alive connections after its own timeout).
"""
import threading

from harness import Scenario, check, check_eq, note, step

with Scenario("upstream-restart") as s:
    pc = s.issue_client("1310000001", "pc01")
    s.start_upstream()
    s.start_gateway(threads=1)  # one worker, so one pool holds every upstream connection

    step("six PCs' requests at once leave six idle connections in the pool")
    statuses = []

    def slow_request(i):
        conn = s.connect(pc)
        statuses.append(s.ask(conn, f"/slow?ms=300&i={i}").status)
        conn.close()

    threads = [threading.Thread(target=slow_request, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    check_eq([200] * 6, statuses, "the concurrent requests")

    step("the upstream restarts on the same port")
    s.stop_upstream()
    s.start_upstream(port=s.upstream_port)

    step("every request after the restart succeeds")
    mark = s.audit_mark()
    results = [s.curl(pc, f"/api/after-restart-{i}").status for i in range(6)]
    note(f"statuses after the restart: {results}")
    failures = s.find_audit("upstream-failure", after=mark)
    check(results == [200] * 6,
          f"requests failed although the upstream was up: {results}; audited: " +
          "; ".join(f"{r['detail'].get('check')} ({r['detail'].get('detail')})" for r in failures))
