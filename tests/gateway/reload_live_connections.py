#!/usr/bin/env python3
"""Scenario: a tightened policy applies to connections already open (CONVENTIONS rule 4, S-1).

The operator removes hospital 2710000002 from /reports and reloads (SIGHUP).
A new connection of that hospital is refused at once. Its keep-alive
connection opened before the reload must be refused on its next request as
well: such a connection can live for hours, one request per idle timeout.
Then the /reports route is removed altogether: 404 on the old connection too.
"""
from harness import Scenario, check_eq, step

with Scenario("reload-live-connections") as s:
    osaka = s.issue_client("2710000002", "osaka01")
    s.start_upstream()
    both = ["1310000001", "2710000002"]
    s.start_gateway(routes=[s.route("/api"), s.route("/reports", allowed_hospitals=both)])

    step("hospital 2710000002 uses /reports on a keep-alive connection")
    old = s.connect(osaka, timeout=10)
    check_eq(200, s.ask(old, "/reports/1").status, "/reports before the reload")

    step("the operator removes 2710000002 from /reports and reloads")
    mark = s.audit_mark()
    s.reload(routes=[s.route("/api"), s.route("/reports", allowed_hospitals=["1310000001"])])
    check_eq("allow", s.wait_audit("policy-reload", after=mark)["outcome"], "reload outcome")
    new = s.connect(osaka)
    check_eq(403, s.ask(new, "/reports/2").status, "/reports on a new connection after the reload")
    new.close()
    check_eq(403, s.ask(old, "/reports/3").status, "/reports on the connection opened before the reload")

    step("the operator removes the /reports route and reloads")
    mark = s.audit_mark()
    s.reload(routes=[s.route("/api")])
    s.wait_audit("policy-reload", after=mark)
    check_eq(404, s.ask(old, "/reports/4").status, "a removed route on the connection opened before")
    old.close()
