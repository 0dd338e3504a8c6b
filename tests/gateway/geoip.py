#!/usr/bin/env python3
"""Scenario: a listener's country allow-list (GeoIP, issue 14) with a real database file.

The policy names a MaxMind DB (built here with Debian's libmaxmind-db-writer-perl);
the hospital listener admits Japan alone by default. The test's own address,
127.0.0.1, is placed in a country by the database: as JP a PC connects; after the file
is replaced by one that says US and the policy is reloaded, the connection is refused
before the TLS handshake with a connection-reject record naming the country; a
listener that lists US admits it again.
"""
import os
import subprocess

from harness import HERE, Scenario, check, check_eq, step, wait_until


def write_db(path, country):
    subprocess.run(["perl", os.path.join(HERE, "make_country_db.pl"), path, f"127.0.0.0/8={country}"],
                   check=True)


def with_geoip(s, db, countries=None):
    policy = s.policy()
    policy["geoip"] = {"database": db}
    if countries is not None:
        policy["listeners"][0]["allowed_countries"] = countries
    return policy


with Scenario("geoip") as s:
    pc = s.issue_client("1310000001", "pc01")
    db = s.path("countries.mmdb")
    write_db(db, "JP")
    s.start_upstream()
    s.start_gateway()
    from harness import to_yaml

    def reload(policy):
        reloads = s.metrics().get("nanbyo_gateway_policy_reloads_total", 0)
        s.write_policy(to_yaml(policy) + "\n")
        s.gateway.send_signal(1)  # SIGHUP
        wait_until(lambda: s.metrics().get("nanbyo_gateway_policy_reloads_total", 0) > reloads, 5,
                   "the reload")

    step("127.0.0.1 in Japan: the PC connects")
    reload(with_geoip(s, db))
    check_eq(200, s.curl(pc, "/api/x").status, "status from Japan")

    step("the database now places 127.0.0.1 in the US: refused before the handshake")
    write_db(db, "US")
    reload(with_geoip(s, db))
    mark = s.audit_mark()
    reply = s.curl(pc, "/api/x")
    check(reply.status is None, f"a PC from the US got HTTP {reply.status}")
    record = s.wait_audit("connection-reject", check="country-not-allowed", after=mark)
    check_eq("US", record["detail"].get("country"), "the country in the audit record")
    check(s.metrics().get("nanbyo_gateway_geoip_refused_total", 0) >= 1, "refusal not counted")

    step("a listener that lists US admits it")
    reload(with_geoip(s, db, ["JP", "US"]))
    check_eq(200, s.curl(pc, "/api/x").status, "status with US allowed")
