#!/usr/bin/python3
"""Data made through the installed nanbyo-appcore before an upgrade, and found
again after it (issue 13, part 7; upgrade_root.sh).

usage: upgrade_data.py seed SOCKET MAIL_DIR OPERATOR_FILE STATE_JSON
       upgrade_data.py verify SOCKET STATE_JSON
       upgrade_data.py first-designations STATE_JSON

seed: the first operator (OPERATOR_FILE, written by nanbyo-setup) completes
his first login, registers a municipality and its administrator, who registers
two doctors (one of them twice: 難病 and 小慢); the doctors complete their first
login at their hospital's PC (e-mail, the key file mailed to smtp_sink.py's
MAIL_DIR, new password); the first drafts one form and registers another
(承認, with its access key). What was made goes to STATE_JSON.
verify: every user logs in with his new password, the municipality lists its
doctors with the same names and designations, the doctor finds his forms with
the same states, values and access key.
first-designations: "user_id|date" per doctor, sorted: the earliest
designation date, what the next release's migration computes.

Requests go to the UNIX socket with the headers nanbyo-gateway adds; each PC
is a certificate serial and, for a hospital's PC, the hospital's number.
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "appcore_web"))
from unix_api import UnixConnection, remember_cookies  # noqa: E402

PASSWORD = "Sakura-Kawa-2026!"
MUNICIPALITY = {"code": "131016", "name": "千代田区"}
HOSPITAL = "1310000001"
# PCs as the gateway names them: X-Nanbyo-Cert-Serial, -Hospital, -Terminal.
TOWN_PC = ("5A01", "0000131016", "kuyakusho-01")
HOSPITAL_PC = ("5B01", HOSPITAL, "shinsatsu-01")
DOCTORS = [
    {"name": "鈴木 和也", "kana": "スズキ カズヤ", "registration_number": "610001",
     "designations": [("nanbyo-doctor", "2026-04-01", "13-0001"),
                      ("pediatric-doctor", "2025-04-01", "13-S-0001")]},
    {"name": "佐藤 恵子", "kana": "サトウ ケイコ", "registration_number": "610002",
     "designations": [("nanbyo-doctor", "2025-10-01", "13-0002")]},
]
# A complete パーキンソン病 form (tests/appcore_forms/form_cases.cpp parkinson_definite).
REGISTERED_VALUES = {
    "application_type": "new", "attachments": "no", "insurer_number": "06131018",
    "insured_number": "12-345678",
    "patient_name": "難病 花子", "patient_kana": "ナンビョウ ハナコ", "birth_date": "1960-04-01",
    "sex": "female", "address": "東京都千代田区霞が関1-2-2", "family_history": "no",
    "hospital_name": "霞が関中央病院", "doctor_number": "13-0001", "doctor_name": "鈴木 和也",
    "written_on": "2026-05-01", "rest_tremor": "yes", "rigidity": "yes", "bradykinesia": "yes",
    "postural_instability": "no", "imaging_normal": "yes", "drug_exposure": "no",
    "drug_response": "improved", "category": "definite", "hoehn_yahr": "3", "daily_life": "2",
    "medications": [{"drug": "レボドパ・カルビドパ", "daily_mg": "300"}],
}
DRAFT_VALUES = {"patient_name": "下書 太郎", "patient_kana": "シタガキ タロウ",
                "birth_date": "1975-11-03", "sex": "male"}


class Failure(Exception):
    pass


class Client:
    """One user at one PC, with its cookie jar and CSRF token."""

    def __init__(self, path, pc):
        serial, hospital, terminal = pc
        self.path, self.cookies, self.csrf = path, {}, ""
        self.headers = {"X-Nanbyo-Listener": "hospital", "X-Request-Id": "upgrade-test",
                        "X-Forwarded-For": "127.0.0.1", "X-Forwarded-Proto": "https",
                        "X-Nanbyo-Cert-Serial": serial, "X-Nanbyo-Hospital": hospital,
                        "X-Nanbyo-Terminal": terminal}

    def call(self, method, target, body=None, expect=(200, 201)):
        conn = UnixConnection(self.path)
        headers = dict(self.headers, **{"Content-Type": "application/json"})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.csrf:
            headers["X-CSRF-Token"] = self.csrf
        data = None if method == "GET" else json.dumps(body or {}).encode()
        conn.request(method, target, body=data, headers=headers)
        r = conn.getresponse()
        payload = r.read()
        remember_cookies(self.cookies, r)
        conn.close()
        if r.status not in expect:
            raise Failure(f"{method} {target}: {r.status} {payload[:300].decode(errors='replace')}")
        return json.loads(payload) if payload else {}

    def login(self, user_id, password):
        out = self.call("POST", "/api/login", {"user_id": user_id, "password": password})
        self.csrf = out["csrf_token"]
        return out["setup_step"]


def check(ok, what):
    if not ok:
        raise Failure(what)
    print(f"  ok {what}")


def mails(mail_dir):
    return len([f for f in os.listdir(mail_dir) if f.endswith(".json")])


def first_login(sock, pc, user_id, password, email, mail_dir):
    """ID-4 as far as the core asks for the role: e-mail and the key file mailed
    (the sink receives it), a new password."""
    c = Client(sock, pc)
    step = c.login(user_id, password)
    if step == "register-email":
        before = mails(mail_dir)
        step = c.call("POST", "/api/setup/email", {"email": email})["setup_step"]
        deadline = time.time() + 20
        while mails(mail_dir) <= before and time.time() < deadline:
            time.sleep(0.1)
        check(mails(mail_dir) > before, f"the key file of {user_id} was mailed to {email}")
    if step == "issue-key":
        step = c.call("POST", "/api/setup/key")["setup_step"]
    if step == "set-password":
        step = c.call("POST", "/api/setup/password", {
            "secret_question": "好きな花", "secret_answer": "さくら",
            "new_password": PASSWORD})["setup_step"]
    check(step == "active", f"{user_id} completed the first login ({step})")
    return c


def seed(sock, mail_dir, operator_file, state_path):
    operator = dict(line.split(" ", 1) for line in open(operator_file).read().split("\n") if line)
    op = first_login(sock, TOWN_PC, operator["user_id"], operator["initial_password"],
                     "ops@example.jp", mail_dir)
    op.call("POST", "/api/municipalities", MUNICIPALITY)
    admin = op.call("POST", "/api/staff", {"role": "municipal-admin", "name": "区役所 花子",
                                           "municipality": MUNICIPALITY["code"]})
    town = first_login(sock, TOWN_PC, admin["user_id"], admin["initial_password"],
                       "kuyakusho@example.jp", mail_dir)
    doctors = []
    for d in DOCTORS:
        made = {"name": d["name"], "designations": []}
        for kind, designated_on, number in d["designations"]:
            r = town.call("POST", "/api/doctors", {
                "name": d["name"], "kana": d["kana"], "registration_number": d["registration_number"],
                "kind": kind, "hospital_number": HOSPITAL, "hospital_name": "霞が関中央病院",
                "hospital_address": "東京都千代田区霞が関1-1", "department": "脳神経内科",
                "designated_on": designated_on, "expires_on": "2031-03-31",
                "doctor_number": number})
            check(r["status"] in ("issued", "designation-added"),
                  f"{d['name']}: {kind} designation {r['status']}")
            if "credential" in r:
                made.update(user_id=r["user_id"], password=r["credential"]["initial_password"])
            made["designations"].append({"kind": kind, "designated_on": designated_on,
                                         "doctor_number": number})
        doctors.append(made)
    for i, d in enumerate(doctors):
        first_login(sock, HOSPITAL_PC, d["user_id"], d.pop("password"), f"doctor{i}@example.jp",
                    mail_dir)
    doctor = Client(sock, HOSPITAL_PC)
    doctor.login(doctors[0]["user_id"], PASSWORD)
    draft = doctor.call("POST", "/api/forms", {"definition": "nanbyo-006",
                                               "values": DRAFT_VALUES})["form"]
    form = doctor.call("POST", "/api/forms", {"definition": "nanbyo-006",
                                              "values": REGISTERED_VALUES})["form"]
    registered = doctor.call("POST", f"/api/forms/{form['form_id']}/approve")["form"]
    check(registered["status"] == "registered" and registered["access_key"],
          f"form {form['form_id']} registered ({registered['status']}, access key issued)")
    forms = [{"form_id": draft["form_id"], "status": draft["status"], "values": DRAFT_VALUES},
             {"form_id": form["form_id"], "status": registered["status"],
              "access_key": registered["access_key"], "values": REGISTERED_VALUES}]
    state = {"operator": operator["user_id"], "municipal_admin": admin["user_id"],
             "doctors": doctors, "forms": forms}
    with open(state_path, "w") as f:
        json.dump(state, f, ensure_ascii=False, indent=1)
    print(f"  seeded: operator, municipal admin, {len(doctors)} doctors, {len(forms)} forms")


def verify(sock, state_path):
    state = json.load(open(state_path))
    check(Client(sock, TOWN_PC).login(state["operator"], PASSWORD) == "active",
          f"the operator {state['operator']} logs in with his password")
    town = Client(sock, TOWN_PC)
    check(town.login(state["municipal_admin"], PASSWORD) == "active",
          f"the municipal administrator {state['municipal_admin']} logs in with his password")
    listed = {d["user_id"]: d for d in town.call("GET", "/api/doctors")["doctors"]}
    for d in state["doctors"]:
        got = listed.get(d["user_id"], {})
        check(got.get("name") == d["name"], f"the municipality lists {d['user_id']} as {d['name']}")
        designations = sorted((x["kind"], x["designated_on"], x["doctor_number"])
                              for x in got.get("designations", []))
        want = sorted((x["kind"], x["designated_on"], x["doctor_number"])
                      for x in d["designations"])
        check(designations == want, f"{d['user_id']} keeps his designations {want}")
        check(Client(sock, HOSPITAL_PC).login(d["user_id"], PASSWORD) == "active",
              f"the doctor {d['user_id']} logs in at his hospital's PC")
    doctor = Client(sock, HOSPITAL_PC)
    doctor.login(state["doctors"][0]["user_id"], PASSWORD)
    listed = {f["form_id"]: f for f in doctor.call("GET", "/api/forms")["forms"]}
    for f in state["forms"]:
        got = doctor.call("GET", f"/api/forms/{f['form_id']}")
        check(listed.get(f["form_id"], {}).get("status") == f["status"] and
              got["form"]["status"] == f["status"],
              f"the doctor finds form {f['form_id']} ({f['status']})")
        changed = [k for k, v in f["values"].items() if got["values"].get(k) != v]
        check(not changed, f"form {f['form_id']} keeps its {len(f['values'])} values" +
              (f", not {changed}" if changed else ""))
        if "access_key" in f:
            check(got["form"]["access_key"] == f["access_key"],
                  f"form {f['form_id']} keeps its access key")


def first_designations(state_path):
    state = json.load(open(state_path))
    for d in sorted(state["doctors"], key=lambda d: d["user_id"]):
        print(f"{d['user_id']}|{min(x['designated_on'] for x in d['designations'])}")


def main():
    args = sys.argv[1:]
    try:
        if args[:1] == ["seed"] and len(args) == 5:
            seed(*args[1:])
        elif args[:1] == ["verify"] and len(args) == 3:
            verify(*args[1:])
        elif args[:1] == ["first-designations"] and len(args) == 2:
            first_designations(args[1])
        else:
            sys.exit(__doc__)
    except (Failure, OSError, KeyError, ValueError) as e:
        sys.exit(f"  FAIL {type(e).__name__}: {e}")


if __name__ == "__main__":
    main()
