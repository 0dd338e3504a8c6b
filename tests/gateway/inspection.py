#!/usr/bin/env python3
"""Scenario: HTTP inspection (IDS/IPS, S-3, issue 14) through the real gateway.

The gateway inspects requests with Debian's OWASP CRS and the project's rules for
Japanese text. An attack of each family (SQLi, XSS, traversal, command injection) is
answered 403 and never reaches the upstream, with an inspection-alert audit record
naming the rules, the family, the anomaly score and the matched variable, and the
alert counted by family in the metrics; a form of Japanese clinical text passes; a
detection-only route lets an attack through and still records it. The prefilter (issue 14
part 4) clears the plain page requests without the engine, says so in the gateway-start
record and counts them, and lets every attack through to the engine.
"""
import json
import urllib.parse

from harness import Scenario, check, check_eq, note, step

ATTACKS = [
    ("sqli", "1' OR '1'='1' -- "),
    ("xss", "<script>alert(document.cookie)</script>"),
    ("lfi", "../../../../etc/passwd"),
    ("rce", "; cat /etc/shadow"),
]
JAPANESE = ("会社員。術後経過良好。抗ＤＮＡ抗体価の上昇、補体低下を認めた。"
            "HbA1c 6.8% (NGSP)、先天性血栓性血小板減少性紫斑病（疑い）。")


def post_form(s, pc, path, fields):
    body = urllib.parse.urlencode(fields)
    return s.curl(pc, path, "-X", "POST", "-H", "Content-Type: application/x-www-form-urlencoded",
                  "--data-binary", body)


with Scenario("inspection") as s:
    pc = s.issue_client("1310000001", "pc01")
    s.start_upstream()
    # /api/imports as packaging/etc/gateway.yaml ships it: uploads are raw bytes.
    upload_route = s.route("/api/imports", inspection={"exclusions": [
        {"rule": "920420", "target": "REQUEST_HEADERS:Content-Type"}]})
    s.start_gateway(inspection={"mode": "blocking", "paranoia_level": 1},
                    routes=[s.route("/"), s.route("/watch", inspection={"mode": "detection"}),
                            upload_route])

    step("the prefilter is on and says what it covers")
    start = s.wait_audit("gateway-start")
    coverage = start["detail"].get("inspection", "")
    check(coverage.startswith("prefilter paranoia level 1:"), f"gateway-start inspection: {coverage}")
    note(coverage)

    step("plain page requests pass, cleared by the prefilter without the engine")
    before = s.metrics().get("nanbyo_gateway_inspection_prefiltered_total", 0)
    for path in ("/", "/forms/list?page=2&sort=created", "/static/app.css"):
        check_eq(200, s.curl(pc, path).status, f"status of {path}")
    cleared = s.metrics().get("nanbyo_gateway_inspection_prefiltered_total", 0) - before
    check_eq(3, cleared, "requests the prefilter cleared")

    step("Japanese clinical text in a form and in a query passes")
    reply = post_form(s, pc, "/forms/1/edit", {"comment": JAPANESE, "job": "会社員"})
    check_eq(200, reply.status, "status of a Japanese form")
    check_eq(len(urllib.parse.urlencode({"comment": JAPANESE, "job": "会社員"}).encode()),
             reply.json()["body_bytes"], "the whole body reached the upstream")
    reply = s.curl(pc, "/search?q=" + urllib.parse.quote("筋萎縮性側索硬化症 ２０２３年"))
    check_eq(200, reply.status, "status of a Japanese search")

    step("an upload's raw bytes pass where the policy allows them, and only there")
    csv = "氏名,医籍登録番号\r\n山田 太郎,123456\r\n".encode()
    for path, expected in (("/api/imports", 200), ("/forms/1/edit", 403)):
        reply = s.curl(pc, path, "-X", "POST", "-H", "Content-Type: application/octet-stream",
                       "--data-binary", csv)
        check_eq(expected, reply.status, f"an application/octet-stream upload to {path}")
    reply = s.curl(pc, "/api/imports?next=1%27%20UNION%20SELECT%20password%20FROM%20users--",
                   "-X", "POST", "-H", "Content-Type: application/octet-stream", "--data-binary", csv)
    check_eq(403, reply.status, "an SQL injection on the upload path is still refused")

    step("an attack of each family is blocked with its audit record")
    for family, payload in ATTACKS:
        mark = s.audit_mark()
        reply = post_form(s, pc, "/forms/1/edit", {"comment": payload})
        check_eq(403, reply.status, f"{family}: status")
        check(b"body_bytes" not in reply.body, f"{family}: the upstream answered")
        record = s.wait_audit("inspection-alert", after=mark, actor=pc.serial)
        detail = record["detail"]
        check_eq("deny", record["outcome"], f"{family}: outcome")
        check(family in detail["families"].split(","), f"{family}: families {detail['families']}")
        check(int(detail["anomaly-score"]) >= 5, f"{family}: anomaly score {detail['anomaly-score']}")
        check("ARGS:comment" in detail["variables"], f"{family}: variables {detail['variables']}")
        check_eq(pc.hospital, detail.get("hospital"), f"{family}: hospital")
        s.wait_audit("request-reject", check="inspection", after=mark, actor=pc.serial)
        note(f"{family}: rules {detail['rules']}, score {detail['anomaly-score']}")

    step("the metrics count alerts by family")
    metrics = s.metrics()
    for family in ("sqli", "xss", "lfi", "rce"):
        check(metrics.get(f"nanbyo_gateway_inspection_alerts_{family}_total", 0) >= 1,
              f"no {family} alert counted")
    check(metrics.get("nanbyo_gateway_inspection_blocked_total", 0) >= len(ATTACKS),
          "blocked requests not counted")
    check_eq(3, metrics.get("nanbyo_gateway_inspection_prefiltered_total", 0),
             "the prefilter cleared only the plain page requests (not the forms or attacks)")

    step("a detection-only route lets the attack through and records it")
    mark = s.audit_mark()
    reply = s.curl(pc, "/watch?q=" + urllib.parse.quote("<script>alert(1)</script>"))
    check_eq(200, reply.status, "status on the detection-only route")
    record = s.wait_audit("inspection-alert", after=mark, actor=pc.serial)
    check_eq("allow", record["outcome"], "outcome of a detection-only alert")
    check_eq("detection", record["detail"]["mode"], "mode")
