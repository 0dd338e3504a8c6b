#!/usr/bin/env python3
"""Scenario: both processes' /metrics pass `promtool check metrics` and move (issue 17, O-2).

The real nanbyo-gateway (tests/gateway/harness.py, on 127.0.0.1) and the real nanbyo-appcore
(on a UNIX socket, with a loopback --metrics-listen) are scraped before and after known work:
a request raises the listener's counter, a certificate from another CA raises the
untrusted-issuer check, a failed and a good login move the appcore's logins. Each output must
give promtool no problem at all. Skips (77) when promtool (Debian's prometheus) is missing.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "gateway"))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "appcore_web"))
from harness import Scenario, ScenarioFailure, check, check_eq, free_port, step, wait_until  # noqa: E402
from unix_api import UnixConnection  # noqa: E402

PROMTOOL = shutil.which("promtool")
if PROMTOOL is None:
    print("SKIP: promtool not found; install Debian's prometheus package (packaging/install-deps.sh)")
    sys.exit(77)
if len(sys.argv) < 4:
    sys.exit(f"usage: {sys.argv[0]} <nanbyo-gateway> <nanbyo-pki> <nanbyo-appcore>")
APPCORE = os.path.abspath(sys.argv[3])
PACKAGING = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "packaging")
DASHBOARD = os.path.join(PACKAGING, "grafana", "nanbyo-appliance.json")
ALERTS = os.path.join(PACKAGING, "prometheus", "nanbyo-alerts.yml")
# Exported only with a vpn section in the policy, which this scenario does not have.
VPN_ONLY = {"nanbyo_gateway_vpn_pool_free_addresses", "nanbyo_gateway_vpn_pool_addresses"}
FORM_DEFINITIONS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "appcore",
                                "forms", "definitions")
PC_HEADERS = {"X-Nanbyo-Listener": "hospital", "X-Request-Id": "metrics-test",
              "X-Forwarded-For": "127.0.0.1", "X-Forwarded-Proto": "https",
              "X-Nanbyo-Cert-Serial": "0A1B", "X-Nanbyo-Hospital": "1310000001",
              "X-Nanbyo-Terminal": "pc01", "Content-Type": "application/json"}


def promtool_check(name, text):
    """`promtool check metrics` must print nothing and succeed."""
    got = subprocess.run([PROMTOOL, "check", "metrics"], input=text.encode(), capture_output=True,
                         timeout=30)
    problems = (got.stdout + got.stderr).decode(errors="replace").strip()
    check(got.returncode == 0 and not problems, f"promtool check metrics on {name}:\n{problems}")


def exported_names(text):
    """Every series name the text can hold: its families, with a histogram's three series."""
    names = set()
    for family, kind in re.findall(r"^# TYPE (\S+) (\S+)$", text, re.M):
        names |= {family + suffix for suffix in ("_bucket", "_sum", "_count")} if kind == "histogram" else {family}
    return names


def check_dashboard_and_rules(s, names):
    """The shipped dashboard and alert rules name only exported metrics, and every dashboard
    query parses (promtool check rules, the queries written as recording rules)."""
    with open(DASHBOARD) as f:
        dashboard = json.load(f)
    queries = [t["expr"] for p in dashboard["panels"] for t in p.get("targets", [])]
    check(len(queries) > 20, f"only {len(queries)} dashboard queries")
    with open(ALERTS) as f:
        rules = f.read()
    used = set(re.findall(r"\bnanbyo_[a-z0-9_]+", " ".join(queries) + rules))
    unknown = sorted(used - names - VPN_ONLY)
    check(not unknown, f"the dashboard or the alert rules name metrics nobody exports: {unknown}")
    path = s.path("dashboard-queries.yml")
    with open(path, "w") as f:
        f.write("groups:\n  - name: dashboard\n    rules:\n")
        for i, query in enumerate(queries):
            query = query.replace("$gateway_job", "nanbyo-gateway").replace("$appcore_job", "nanbyo-appcore")
            f.write(f"      - record: dashboard:query{i}\n        expr: {json.dumps(query)}\n")
    got = subprocess.run([PROMTOOL, "check", "rules", path], capture_output=True, timeout=30)
    check(got.returncode == 0, "a dashboard query does not parse:\n" +
          (got.stdout + got.stderr).decode(errors="replace"))


def parse(text):
    values = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            series, value = line.rsplit(" ", 1)
            values[series] = float(value)
    return values


def scrape(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as r:
        check_eq("text/plain; version=0.0.4; charset=utf-8", r.headers["Content-Type"], "content type")
        return r.read().decode()


def login(socket_path, user_id, password):
    conn = UnixConnection(socket_path, timeout=30)
    body = f'{{"user_id": "{user_id}", "password": "{password}"}}'
    conn.request("POST", "/api/login", body=body, headers=PC_HEADERS)
    status = conn.getresponse().status
    conn.close()
    return status


with Scenario("prometheus") as s:
    step("the gateway: a request and a foreign certificate move the labelled counters")
    pc = s.issue_client("1310000001", "pc01")
    stranger = s.issue_client("1310000001", "stranger", ca_dir=s.path("other-ca"))
    s.start_upstream()
    s.start_gateway(routes=[s.route("/api")])
    before = parse(s.metrics_text())
    check_eq(200, s.curl(pc, "/api/x").status, "a good request")
    check(s.curl(stranger, "/api/x").status is None, "another CA's certificate was served")
    requests = 'nanbyo_gateway_listener_requests_total{listener="hospital"}'
    untrusted = 'nanbyo_gateway_certificate_refusals_total{check="untrusted-issuer"}'

    def gateway_moved():
        now = parse(s.metrics_text())
        return now if now[requests] - before[requests] == 1 and now[untrusted] - before[untrusted] == 1 else None

    try:
        wait_until(gateway_moved, 3, "the gateway's counters to move")
    except ScenarioFailure:
        now = parse(s.metrics_text())
        raise ScenarioFailure(f"{requests}: {before[requests]} -> {now[requests]}, "
                              f"{untrusted}: {before[untrusted]} -> {now[untrusted]}")
    text = s.metrics_text()
    check('nanbyo_gateway_build_info{version="' in text, "no build_info")
    promtool_check("nanbyo-gateway", text)
    names = exported_names(text)

    step("the appcore: its own endpoint, a failed and a good login")
    socket_path, metrics_port = s.path("appcore.sock"), free_port()
    core = ["--database", s.path("appcore.db"), "--master-key", s.path("master.key"),
            "--create-master-key", "--audit-log", s.path("audit", "appcore.jsonl"),
            "--argon2-ops", "1", "--argon2-mem-mib", "8"]
    boot = s.run([APPCORE, "bootstrap-operator", *core, "--name", "運用者"]).stdout.decode()
    fields = dict(line.split(" ", 1) for line in boot.splitlines() if " " in line)
    appcore = s.spawn("appcore", [APPCORE, "serve", *core, "--listen", f"unix:{socket_path}",
                                  "--gateway-bus", "none", "--gateway-user", str(os.getuid()),
                                  "--workers", "2", "--form-definitions", FORM_DEFINITIONS,
                                  "--metrics-listen", f"127.0.0.1:{metrics_port}"])

    def answering():
        if appcore.poll() is not None:
            raise ScenarioFailure(f"nanbyo-appcore stopped:\n{s.output(appcore)}")
        try:
            return scrape(metrics_port)
        except OSError:
            return None

    before = parse(wait_until(answering, 15, "nanbyo-appcore's metrics"))
    check_eq(401, login(socket_path, fields["user_id"], "wrong-password"), "a wrong password")
    check_eq(200, login(socket_path, fields["user_id"], fields["initial_password"]), "the right one")
    text = scrape(metrics_port)
    after = parse(text)
    for outcome in ("failure", "success"):
        name = f'nanbyo_appcore_logins_total{{outcome="{outcome}"}}'
        check_eq(1, after[name] - before[name], f"{name} moved by")
    check_eq(2, after['nanbyo_appcore_http_responses_total{code="2xx"}'] +
             after['nanbyo_appcore_http_responses_total{code="4xx"}'] -
             before['nanbyo_appcore_http_responses_total{code="2xx"}'] -
             before['nanbyo_appcore_http_responses_total{code="4xx"}'], "answers counted")
    check_eq(2, after["nanbyo_appcore_request_duration_seconds_count"] -
             before["nanbyo_appcore_request_duration_seconds_count"], "requests timed")
    promtool_check("nanbyo-appcore", text)
    s.stop(appcore)
    check_eq(0, appcore.returncode, f"nanbyo-appcore's exit status on SIGTERM:\n{s.output(appcore)}")

    step("the shipped dashboard and alert rules use what the two processes export")
    check_dashboard_and_rules(s, names | exported_names(text))
