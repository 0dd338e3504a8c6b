#!/usr/bin/env python3
"""Scenario: a path cannot slip past a route's hospital list (S-1).

The policy has the shape of tests/policy/valid/full.yaml: "/" admits every
hospital, "/reports" only 1310000001. A PC of hospital 2710000002 asks for
/reports/2024 in spellings the gateway routes under "/" but an upstream may
read as /reports/2024:
  /x/%2e%2e/reports/2024  "%2e" is "." (RFC 3986 2.3 and 6.2.2.2): a normalizer
                          decodes it, then removes the dot segment
  /x/%2E%2E/reports/2024, /x/.%2e/reports/2024   the same
  //reports/2024          Python's http.server, our test upstream, collapses
                          the leading slashes; nginx merges slashes by default
  /x#/../reports/2024     "#" may not appear in a request target (RFC 9112
                          3.2); the gateway routes on what precedes it only
Each must be refused (400, or 403 after normalizing) and never reach the
upstream; plain /reports/2024 (403) and /x/../reports/2024 (400) already are.
"""
import json

from harness import Scenario, check, note, step

SPELLINGS = [
    "/reports/2024",
    "/x/../reports/2024",
    "/x/%2e%2e/reports/2024",
    "/x/%2E%2E/reports/2024",
    "/x/.%2e/reports/2024",
    "//reports/2024",
    "/x#/../reports/2024",
]

with Scenario("route-confusion") as s:
    osaka = s.issue_client("2710000002", "osaka01")
    s.start_upstream()
    s.start_gateway(routes=[s.route("/"), s.route("/reports", allowed_hospitals=["1310000001"])])

    step("hospital 2710000002 asks for /reports/2024, spelled in different ways")
    slipped = []
    for target in SPELLINGS:
        conn = s.connect(osaka)
        conn.putrequest("GET", target)  # http.client sends the target as it is
        conn.endheaders()
        response = conn.getresponse()
        body = response.read()
        conn.close()
        upstream_saw = None
        if response.status == 200:
            echo = json.loads(body)
            upstream_saw = f"{echo['path']} (normalized: {echo['normalized_path']})"
        note(f"{target:28} -> {response.status}" + (f", upstream saw {upstream_saw}" if upstream_saw else ""))
        if response.status not in (400, 403):
            slipped.append(f"{target} -> {response.status}, the upstream saw {upstream_saw}")
    check(not slipped, "requests for /reports reached the upstream from a hospital the route refuses:\n  " +
          "\n  ".join(slipped))
