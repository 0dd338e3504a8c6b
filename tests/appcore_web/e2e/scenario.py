#!/usr/bin/env python3
"""Browser end-to-end scenario of nanbyo-appcore through the real nanbyo-gateway.

usage: scenario.py <nanbyo-gateway> <nanbyo-pki> <nanbyo-appcore> <artifacts dir>

The world (one temporary directory, every process stopped by its PID):
  - a development CA (nanbyo-pki) with PC certificates for a municipality's
    PC and for a PC of hospital 1310000001;
  - a private dbus-daemon: the gateway's control service, which appcore calls
    (RevokeUser) when a doctor's key is revoked;
  - a real SMTP server (aiosmtpd, smtp_sink.py) that catches the key-file mails;
  - nanbyo-appcore on a UNIX socket, nanbyo-gateway in front of it (mutual TLS).
The operator and the municipal administrator are set up through the JSON API
(Python, with the PC certificates); then browser_flows.mjs drives Debian's
chromium (playwright-core, with the PC certificates as client certificates):
a municipal administrator registers a doctor and prints the notices, the
doctor completes the first login with the mailed key file, the municipality
extends the validity and the doctor's open session is sent back to the login
page. Screenshots and PDFs of the main pages go to <artifacts dir>.

Exit 77 (skipped) when chromium, node or the npm packages are missing.
"""
import copy
import http.client
import json
import os
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "gateway"))
from harness import Scenario, ScenarioFailure, check, check_eq, note, step, wait_until  # noqa: E402
sys.path.insert(0, os.path.join(HERE, ".."))
from unix_api import remember_cookies  # noqa: E402

if len(sys.argv) != 5:
    sys.exit(f"usage: {sys.argv[0]} <nanbyo-gateway> <nanbyo-pki> <nanbyo-appcore> <artifacts dir>")
APPCORE = os.path.abspath(sys.argv[3])
CHECK_TOOL = os.environ.get("NANBYO_CHECK", os.path.join(os.path.dirname(APPCORE), "..", "check",
                                                          "nanbyo-check"))
ARTIFACTS = os.path.abspath(sys.argv[4])
# The source tree's definitions (an installed nanbyo-appcore reads /usr/share/nanbyo/forms).
FORM_DEFINITIONS = os.path.join(HERE, "..", "..", "..", "appcore", "forms", "definitions")
SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's, where python3-aiosmtpd lives
for tool, package in (("/usr/bin/chromium", "chromium"), ("node", "nodejs")):
    if not shutil.which(tool):
        print(f"SKIP: {tool} is missing (Debian package {package})")
        sys.exit(77)
if not os.path.isdir(os.path.join(HERE, "node_modules", "playwright-core")):
    print("SKIP: node_modules missing: run tests/appcore_web/e2e/run.sh (npm ci) first")
    sys.exit(77)

HOSPITAL = "1310000001"
PASSWORD = "Sakura-Kawa-2026!"


class Api:
    """A JSON API client through the gateway with a PC certificate and a cookie jar."""

    def __init__(self, s, pc):
        self.s, self.pc, self.cookies, self.csrf = s, pc, {}, ""

    def call(self, method, path, body=None):
        conn = http.client.HTTPSConnection("localhost", self.s.gateway_port, timeout=30,
                                           context=self.s.tls_context(self.pc))
        headers = {"Content-Type": "application/json"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.csrf:
            headers["X-CSRF-Token"] = self.csrf
        conn.request(method, path, body=json.dumps(body or {}) if method != "GET" else None,
                     headers=headers)
        r = conn.getresponse()
        data = r.read()
        remember_cookies(self.cookies, r)
        conn.close()
        try:
            payload = json.loads(data)
        except ValueError:
            payload = {"raw": data[:300].decode(errors="replace")}
        return r.status, payload

    def raw(self, path):
        """GET of a download: (status, bytes)."""
        conn = http.client.HTTPSConnection("localhost", self.s.gateway_port, timeout=30,
                                           context=self.s.tls_context(self.pc))
        conn.request("GET", path, headers={
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())})
        r = conn.getresponse()
        data = r.read()
        conn.close()
        return r.status, data

    def ok(self, method, path, body=None, expect=(200, 201)):
        status, payload = self.call(method, path, body)
        if status not in expect:
            raise ScenarioFailure(f"{method} {path}: {status} {payload}")
        return payload


def mails(sink_dir):
    return sorted(f for f in os.listdir(sink_dir) if f.endswith(".json"))


def first_login(api, user_id, password, email, sink_dir):
    """ID-4 through the API, as far as the core asks for this role: e-mail, key
    file caught by the SMTP sink, then the secret question and a new password."""
    before = len(mails(sink_dir))
    login = api.ok("POST", "/api/login", {"user_id": user_id, "password": password})
    api.csrf = login["csrf_token"]
    step_now = login["setup_step"]
    if step_now == "register-email":
        step_now = api.ok("POST", "/api/setup/email", {"email": email})["setup_step"]
        wait_until(lambda: len(mails(sink_dir)) > before, 10, f"the key-file mail to {email}")
    if step_now == "set-password":
        step_now = api.ok("POST", "/api/setup/password", {
            "secret_question": "好きな花", "secret_answer": "さくら", "new_password": PASSWORD})["setup_step"]
    check_eq("active", step_now, f"{user_id} after the first login")


def latest_key_file(sink_dir, email):
    """The key file last mailed to `email`, as the SMTP sink saved it."""
    for m in reversed(mails(sink_dir)):
        info = json.load(open(os.path.join(sink_dir, m)))
        if info["rcpt_tos"] == [email] and info["attachments"]:
            return os.path.join(sink_dir, m[:-len(".json")] + "-" + info["attachments"][0]["file_name"])
    raise ScenarioFailure(f"no key file mailed to {email}")


def upload_batch(s, api, form_id, key_path, files):
    """F-9 on the hospital's side: `files` copies of a form's XML export, packed and
    sealed by the real nanbyo-check with the doctor's key file; the .nbx path."""
    status, xml = api.raw(f"/forms/{form_id}/export.xml")
    check_eq(200, status, "the XML export")
    xml_dir, out_dir = s.path("upload-xml"), s.path("upload-out")
    os.makedirs(xml_dir)
    for i in range(files):
        with open(os.path.join(xml_dir, f"shoman-{i:04d}.xml"), "wb") as f:
            f.write(xml)
    r = subprocess.run([CHECK_TOOL, "--key", key_path, "--out", out_dir,
                        "--definitions", FORM_DEFINITIONS, xml_dir],
                       capture_output=True, timeout=120)
    check(r.returncode == 0, f"nanbyo-check: {r.stdout.decode(errors='replace')}"
                             f"{r.stderr.decode(errors='replace')}")
    return os.path.join(out_dir, next(f for f in os.listdir(out_dir) if f.endswith(".nbx")))


def paper_scans(s, api, form_id):
    """F-11 outside the system: three scanned paper forms as one XML file, made from a
    registered form's export with other patients; the third lacks its Hoehn-Yahr stage."""
    status, xml = api.raw(f"/forms/{form_id}/export.xml")
    check_eq(200, status, "the XML export")
    root = ET.fromstring(xml)
    template = root[0]
    root.remove(template)
    patients = ["紙 一郎", "紙 二郎", "紙 三郎"]
    for i, name in enumerate(patients):
        form = copy.deepcopy(template)
        form.set("ref", f"SCAN-{i + 1:04d}")
        for group in form:
            for item in list(group):
                if item.tag == "patient_name":
                    item.text = name
                if item.tag == "hoehn_yahr" and i == 2:
                    group.remove(item)
        root.append(form)
    path = s.path("paper-scan-0001.xml")
    with open(path, "wb") as f:
        f.write(ET.tostring(root, encoding="utf-8", xml_declaration=True))
    written_on = template.find(".//written_on")
    return {"xml": path, "file_name": "paper-scan-0001.xml", "patients": patients,
            "written_on": written_on.text if written_on is not None else "",
            "missing_row": 2, "missing_label": "hoehn_yahr"}


def run_browser_script(s, script, config, timeout):
    """Runs one playwright script with `config`; its last stdout line is its JSON outcome."""
    config_path = s.path(script.replace(".mjs", ".json"))
    with open(config_path, "w") as f:
        json.dump(config, f)
    result = subprocess.run(["node", os.path.join(HERE, script), config_path],
                            cwd=HERE, capture_output=True, timeout=timeout)
    print(result.stdout.decode(errors="replace"), end="")
    if result.returncode != 0:
        raise ScenarioFailure(f"{script} failed:\n" + result.stderr.decode(errors="replace"))
    return json.loads(result.stdout.decode().strip().splitlines()[-1])


with Scenario("appcore-web-e2e") as s:
    os.makedirs(ARTIFACTS, exist_ok=True)
    muni_pc = s.issue_client("0000131016", "kuyakusho-01")
    doctor_pc = s.issue_client(HOSPITAL, "shinsatsu-01")
    bus = s.start_private_bus()
    sink_dir = s.path("mail")
    os.makedirs(sink_dir)
    sink = s.spawn("smtp-sink", [SYSTEM_PYTHON, os.path.join(HERE, "..", "smtp_sink.py"), sink_dir])
    wait_until(lambda: "port" in s.output(sink, "out") or sink.poll() is not None, 10, "the SMTP sink")
    check(sink.poll() is None, f"smtp_sink.py did not start:\n{s.output(sink)}")
    smtp_port = s.output(sink, "out").split()[1]

    step("nanbyo-appcore: bootstrap the operator, then serve on a UNIX socket")
    core = ["--database", s.path("appcore.db"), "--master-key", s.path("master.key"),
            "--create-master-key", "--audit-log", s.path("audit", "appcore.jsonl"),
            "--argon2-ops", "1", "--argon2-mem-mib", "8", "--gateway-audit-log", s.audit_path]
    boot = s.run([APPCORE, "bootstrap-operator", "--name", "運用 一郎", *core]).stdout.decode()
    operator = dict(line.split(" ", 1) for line in boot.strip().splitlines())
    socket_path = s.path("appcore.sock")
    appcore = s.spawn("appcore", [APPCORE, "serve", *core, "--listen", f"unix:{socket_path}",
                                  "--gateway-bus", bus, "--smtp-url", f"smtp://127.0.0.1:{smtp_port}",
                                  "--smtp-tls", "none", "--gateway-user", str(os.getuid()), "--mail-from", "nanbyo-db@example.jp", "--workers", "2",
                                  "--form-definitions", FORM_DEFINITIONS])
    wait_until(lambda: "listening on" in s.output(appcore) or appcore.poll() is not None, 10,
               "nanbyo-appcore to listen")
    check(appcore.poll() is None, f"nanbyo-appcore did not start:\n{s.output(appcore)}")
    # Inspection as shipped (packaging/etc/gateway.yaml): blocking at paranoia level 1, the
    # uploads' raw bytes allowed on their paths. Every flow below passes it; the console's
    # test provokes an attack it blocks.
    uploads = {"exclusions": [{"rule": "920420", "target": "REQUEST_HEADERS:Content-Type"}]}
    s.start_gateway(control_bus=bus, upstream={"address": f"unix:{socket_path}"},
                    inspection={"mode": "blocking", "paranoia_level": 1},
                    routes=[s.route("/")] + [s.route(p, inspection=uploads) for p in (
                        "/api/imports", "/api/forms/imports", "/api/forms/paper-imports")])

    step("the operator's first login, a municipality and its administrator (JSON API)")
    op = Api(s, muni_pc)
    first_login(op, operator["user_id"], operator["initial_password"], "ops@example.jp", sink_dir)
    op.ok("POST", "/api/municipalities", {"code": "131016", "name": "千代田区"})
    admin = op.ok("POST", "/api/staff", {"role": "municipal-admin", "name": "区役所 花子",
                                         "municipality": "131016"})
    first_login(Api(s, muni_pc), admin["user_id"], admin["initial_password"], "kuyakusho@example.jp",
                sink_dir)
    # A second municipality: it designates the same doctor under the other law (issue 11).
    op.ok("POST", "/api/municipalities", {"code": "271004", "name": "大阪市"})
    admin_b = op.ok("POST", "/api/staff", {"role": "municipal-admin", "name": "市役所 次郎",
                                           "municipality": "271004"})
    first_login(Api(s, muni_pc), admin_b["user_id"], admin_b["initial_password"],
                "shiyakusho@example.jp", sink_dir)

    step("the browser flows (chromium + playwright-core)")
    config = {
        "base_url": f"https://localhost:{s.gateway_port}",
        "chromium": "/usr/bin/chromium",
        "artifacts": ARTIFACTS,
        "mail_dir": sink_dir,
        "municipal_pc": {"cert": muni_pc.cert, "key": muni_pc.key},
        "doctor_pc": {"cert": doctor_pc.cert, "key": doctor_pc.key},
        "municipal_admin": {"user_id": admin["user_id"], "password": PASSWORD},
        "municipal_admin_b": {"user_id": admin_b["user_id"], "password": PASSWORD},
        "hospital": HOSPITAL,
        "doctor_password": PASSWORD,
    }
    doctor_id = run_browser_script(s, "browser_flows.mjs", config, timeout=240)["doctor_id"]

    step("the gateway was told: revoke-user in its audit log, and the key file was mailed")
    s.wait_audit("revoke-user")
    key_mails = [json.load(open(os.path.join(sink_dir, m))) for m in mails(sink_dir)]
    to_doctor = [m for m in key_mails if m["rcpt_tos"] == ["doctor@example.jp"]]
    check(len(to_doctor) >= 1, f"no key-file mail to the doctor: {key_mails}")
    check(to_doctor[0]["attachments"][0]["file_name"].startswith(doctor_id + "-"),
          f"attachment name: {to_doctor[0]['attachments']}")
    note(f"screenshots in {ARTIFACTS}: {', '.join(sorted(os.listdir(ARTIFACTS)))}")

    # The clinical-form flows (issue 6).
    step("clinical forms (issue 6): the doctor's key steps again and a clerk (JSON API)")
    doc_api = Api(s, doctor_pc)
    first_login(doc_api, doctor_id, PASSWORD, "doctor@example.jp", sink_dir)
    clerk = doc_api.ok("POST", "/api/users/clerks", {"name": "事務 次郎", "kana": "ジム ジロウ"})
    first_login(Api(s, doctor_pc), clerk["user_id"], clerk["initial_password"], "clerk@example.jp",
                sink_dir)

    # A complete 医療意見書 drafted for the doctor, who holds the 小慢 designation of
    # the second municipality as well: the browser approves it (issue 11).
    opinion = doc_api.ok("POST", "/api/forms", {"definition": "shoman-5-091", "values": {
        "application_type": "new", "patient_name": "小児 太郎", "patient_kana": "ショウニ タロウ",
        "birth_date": "2015-06-10", "sex": "male", "measured_on": "2026-04-20",
        "height_cm": "130.0", "weight_kg": "40.0", "genetic_test": "deletion",
        "diagnosis": "confirmed", "growth_hormone": "yes", "attachments": "yes",
        "written_on": "2026-04-20"}})
    config["opinion_form_id"] = opinion["form"]["form_id"]

    step("a nanbyo-check batch of 400 XML files with the doctor's key file (F-9, issue 18)")
    config["upload"] = {
        "nbx": upload_batch(s, doc_api, opinion["form"]["form_id"],
                            latest_key_file(sink_dir, "doctor@example.jp"), 400),
        "files": 400, "first_file": "shoman-0000.xml", "patient": "小児 太郎",
        "written_on": "2026-04-20"}

    step("the clinical-form browser flows (forms_flows.mjs)")
    config["doctor"] = {"user_id": doctor_id, "password": PASSWORD}
    config["clerk"] = {"user_id": clerk["user_id"], "password": PASSWORD}
    forms_outcome = run_browser_script(s, "forms_flows.mjs", config, timeout=180)
    audit_text = open(s.path("audit", "appcore.jsonl"), encoding="utf-8").read()
    check(audit_text.count('"form-register"') >= 2, "both form types registered by the doctor")
    for event in ("form-create", "form-submit", "form-register", "access-key-lookup", "form-certify",
                  "form-print", "form-import", "form-import-item"):
        check(event in audit_text, f"appcore audit record {event}")
    note(f"form {forms_outcome['form_id']} registered with access key {forms_outcome['access_key']}")

    # F-11: the municipality imports scanned paper forms (converted to XML elsewhere).
    step("paper forms (F-11, issue 18): the municipality imports scans as XML in chromium")
    config["paper"] = paper_scans(s, doc_api, forms_outcome["form_id"])
    paper = run_browser_script(s, "paper_import_flows.mjs", config, timeout=120)
    audit_text = open(s.path("audit", "appcore.jsonl"), encoding="utf-8").read()
    for event in ("form-paper-import", "form-import-kept", "form-import-result", "form-certify"):
        check(f'"{event}"' in audit_text, f"appcore audit record {event}")
    note(f"paper import job {paper['job_id']}: form {paper['form_id']} certified 保留")

    # A disease without a specific definition: the common 臨床調査個人票 (issue 18).
    step("the common form (issue 18): found by name, whole sheet, registered, printed")
    common = run_browser_script(s, "common_form_flows.mjs", config, timeout=120)
    check(common["doctor_number"] == "13-0001",
          f"the 指定医番号 from the designation, got {common['doctor_number']}")
    note(f"common form {common['form_id']} ({common['title']}) registered: {common['access_key']}")

    # 兼務先 by consent (ID-8, issue 12).
    step("兼務先 (issue 12): hospital B with its 責任者 and a B PC (JSON API)")
    HOSPITAL_B = "2710000002"
    hospital_b_pc = s.issue_client(HOSPITAL_B, "uketsuke-b1")
    town_b = Api(s, muni_pc)
    town_b.csrf = town_b.ok("POST", "/api/login", {"user_id": admin_b["user_id"],
                                                   "password": PASSWORD})["csrf_token"]
    b_doctor = town_b.ok("POST", "/api/doctors", {
        "name": "大阪 次郎", "kana": "オオサカ ジロウ", "registration_number": "765432",
        "kind": "nanbyo-doctor", "hospital_number": HOSPITAL_B, "hospital_name": "浪速総合病院",
        "hospital_address": "大阪府大阪市北区1-1", "department": "内科",
        "designated_on": "2026-04-01", "expires_on": "2031-03-31", "doctor_number": "27-0001"})
    b_admin_id = b_doctor["credential"]["user_id"]
    b_api = Api(s, hospital_b_pc)
    first_login(b_api, b_admin_id, b_doctor["credential"]["initial_password"], "osaka@example.jp",
                sink_dir)
    # A draft of hospital B: what the 兼務先 doctor must not see before the approval.
    b_api.ok("POST", "/api/forms", {"definition": "nanbyo-006", "values": {
        "patient_name": "浪速 花子", "patient_kana": "ナニワ ハナコ"}})

    step("the 兼務先 browser flow (affiliation_flows.mjs)")
    config["hospital_b"] = HOSPITAL_B
    config["hospital_b_pc"] = {"cert": hospital_b_pc.cert, "key": hospital_b_pc.key}
    config["hospital_b_admin"] = {"user_id": b_admin_id, "password": PASSWORD}
    config["hospital_b_patient_kana"] = "ナニワ ハナコ"
    run_browser_script(s, "affiliation_flows.mjs", config, timeout=120)
    audit_text = open(s.path("audit", "appcore.jsonl"), encoding="utf-8").read()
    for event in ("affiliation-request", "affiliation-approve", "affiliation-request-list"):
        check(f'"{event}"' in audit_text, f"appcore audit record {event}")
    note("兼務先: requested, refused before approval, approved by B's 責任者, then used")
    # Detection (S-7, issue 17): the doctor's first login from hospital B's PC is a terminal he
    # never used; the application core says so in its own audit log, and only for him.
    alerts = [json.loads(line) for line in audit_text.splitlines()
              if '"event":"illicit-operation"' in line]
    new_terminal = [a for a in alerts if a["detail"].get("rule") == "new-terminal"]
    check([a["actor"] for a in new_terminal] == [doctor_id],
          f"one new-terminal alert, for the doctor: {new_terminal}")
    check(new_terminal[0]["source"].startswith(HOSPITAL_B + "/"),
          f"the alert names hospital B's terminal: {new_terminal[0]['source']}")
    note(f"illicit-operation alert: new-terminal for {doctor_id} at {new_terminal[0]['source']}")

    # The auditor's console (issue 17, S-7): an attack through the gateway, then the
    # security auditor finds it and the illicit operation above in the browser.
    step("the auditor's console (audit_console_flows.mjs)")
    auditor = op.ok("POST", "/api/staff", {"role": "security-auditor", "name": "監査 花子"})
    first_login(Api(s, muni_pc), auditor["user_id"], auditor["initial_password"],
                "kansa@example.jp", sink_dir)
    attack = Api(s, muni_pc)
    attack.call("GET", "/login?next=1%27%20UNION%20SELECT%20password%20FROM%20users--")
    s.wait_audit("inspection-alert")
    config["auditor"] = {"user_id": auditor["user_id"], "password": PASSWORD}
    config["doctor_id"] = doctor_id
    run_browser_script(s, "audit_console_flows.mjs", config, timeout=120)
    appcore_audit = open(s.path("audit", "appcore.jsonl"), encoding="utf-8").read()
    for event in ("audit-search", "audit-record-view", "audit-export", "audit-verify"):
        check(f'"{event}"' in appcore_audit, f"the auditor's {event} is audited")
    note("auditor's console: attack and illicit operation found, record, chart, CSV, verify")
