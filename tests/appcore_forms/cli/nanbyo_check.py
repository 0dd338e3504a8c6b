#!/usr/bin/env python3
"""nanbyo-check as a hospital runs it (F-9): the built command on real files.

  nanbyo_check.py NANBYO_CHECK NANBYO_PKI

A folder of XML files (complete, partial, schema-violating, malformed, with a
DOCTYPE/external entity, a spreadsheet-formula ref) and a user key file issued
by nanbyo-pki. Asserts what the user sees: the exit status, the counts on
stdout, errors.csv (BOM, CRLF, one row per problem naming file, form and
field), and the sealed .nbx, which opens with the same key file (nanbyo-pki
key decrypt) and holds exactly the packable forms, the tool version inside.
Then the refusals: no forms to pack (exit 2), a damaged key file, a missing
file (exit 1), and an unreadable output folder.
"""
import csv
import datetime
import io
import json
import os
import subprocess
import sys
import tempfile

CHECK, PKI = sys.argv[1], sys.argv[2]
# The definitions of the source tree (an installed nanbyo-check reads /usr/share/nanbyo/forms).
DEFS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "appcore", "forms", "definitions")
failures = []


def step(text):
    print(f"--- {text}", flush=True)


def check(condition, what):
    if not condition:
        failures.append(what)
        print(f"FAIL: {what}", flush=True)


def run(*argv, ok=True):
    result = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    if ok and result.returncode != 0:
        sys.exit(f"{argv} failed ({result.returncode}): {result.stderr}")
    return result


PATIENT = """
    <application_type>new</application_type>
    <attachments>no</attachments>
    <insurer_number>06131018</insurer_number>
    <insured_number>12-345678</insured_number>
    <patient_name>難病 花子</patient_name>
    <patient_kana>ナンビョウ ハナコ</patient_kana>
    <birth_date>1960-04-01</birth_date>
    <sex>female</sex>
    <address>東京都千代田区霞が関1-2-2</address>
    <family_history>no</family_history>
    <hospital_name>霞が関中央病院</hospital_name>
    <doctor_number>13-0001</doctor_number>
    <doctor_name>鈴木 和也</doctor_name>
    <written_on>2026-05-01</written_on>"""

PARKINSON = """
    <rest_tremor>yes</rest_tremor>
    <rigidity>yes</rigidity>
    <bradykinesia>yes</bradykinesia>
    <postural_instability>no</postural_instability>
    <imaging_normal>yes</imaging_normal>
    <drug_exposure>no</drug_exposure>
    <drug_response>improved</drug_response>
    <category>definite</category>
    <hoehn_yahr>3</hoehn_yahr>
    <daily_life>2</daily_life>
    <medications><row><drug>レボドパ・カルビドパ</drug><daily_mg>300</daily_mg></row></medications>"""


# Two of the disease-specific definitions of issue 18, complete: 胆道閉鎖症 (the
# seed's machine-judgment example) and a 小慢 医療意見書.
BILIARY_ATRESIA = """
    <jaundice>yes</jaundice>
    <hepatomegaly>yes</hepatomegaly>
    <stool_colour>yes</stool_colour>
    <early_onset>yes</early_onset>
    <confirmed_by><item>surgery</item></confirmed_by>
    <ba_type>type3</ba_type>
    <differential_excluded>yes</differential_excluded>
    <category>definite</category>
    <sev_cholestasis>0</sev_cholestasis>
    <sev_cholangitis>2</sev_cholangitis>
    <sev_portal_hypertension>1</sev_portal_hypertension>
    <sev_pulmonary>0</sev_pulmonary>
    <sev_liver_function>1</sev_liver_function>
    <sev_growth>0</sev_growth>
    <most_severe>2</most_severe>
    <life_threatening_sequela>no</life_threatening_sequela>
    <transplant_needed>no</transplant_needed>
    <ba_severity>2</ba_severity>"""

LEUKAEMIA = """
    <application_type>new</application_type>
    <attachments>yes</attachments>
    <patient_name>小児 一郎</patient_name>
    <patient_kana>ショウニ イチロウ</patient_kana>
    <birth_date>2016-05-10</birth_date>
    <sex>male</sex>
    <measured_on>2026-04-20</measured_on>
    <height_cm>125.0</height_cm>
    <weight_kg>24.0</weight_kg>
    <marrow_blasts>86.5</marrow_blasts>
    <mpo_negative>yes</mpo_negative>
    <b_precursor_phenotype>yes</b_precursor_phenotype>
    <diagnosis>confirmed</diagnosis>
    <treatment_status>on_treatment</treatment_status>
    <relapse>no</relapse>
    <hospital_name>霞が関こども病院</hospital_name>
    <doctor_number>13-0100</doctor_number>
    <doctor_name>佐藤 次郎</doctor_name>
    <written_on>2026-04-20</written_on>"""


def document(*forms):
    return '<?xml version="1.0" encoding="UTF-8"?>\n<forms>' + "".join(forms) + "\n</forms>\n"


def parkinson(ref, body=PATIENT + PARKINSON):
    return f'\n  <nanbyo-006 ref="{ref}">{body}\n  </nanbyo-006>'


FILES = {
    # Two complete forms in one file: both packed, no message.
    "01-complete.xml": document(parkinson("karte-0001"), parkinson("karte-0002")),
    # A partial item set: packed (a draft on upload); the missing Hoehn-Yahr is reported.
    "02-partial.xml": document(parkinson("karte-0003", PATIENT + PARKINSON.replace(
        "<hoehn_yahr>3</hoehn_yahr>", ""))),
    # An element the definition does not have: a schema violation, left out.
    "03-unknown-field.xml": document(parkinson("karte-0004", PATIENT + PARKINSON + "<favourite_colour>青</favourite_colour>")),
    # A value outside its choices: left out, the field named.
    "04-bad-choice.xml": document(parkinson("karte-0005", PATIENT + PARKINSON.replace(
        "<hoehn_yahr>3</hoehn_yahr>", "<hoehn_yahr>9</hoehn_yahr>"))),
    # Not XML at all.
    "05-truncated.xml": document(parkinson("karte-0006"))[:300],
    # An external entity (XXE): refused before anything is read.
    "06-xxe.xml": '<?xml version="1.0"?>\n<!DOCTYPE forms [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
                  '<forms><nanbyo-006 ref="&x;"/></forms>\n',
    # A ref a spreadsheet would run as a formula, on a form with a problem so it is listed.
    "07-formula-ref.xml": document(parkinson("=SUM(1+1)", PATIENT + PARKINSON.replace(
        "<category>definite</category>", ""))),
    # Other diseases' definitions in one file: both packed, no message.
    "08-other-diseases.xml": document(
        f'\n  <nanbyo-296 ref="karte-0296">{PATIENT + BILIARY_ATRESIA}\n  </nanbyo-296>',
        f'\n  <shoman-1-080 ref="karte-1080">{LEUKAEMIA}\n  </shoman-1-080>'),
    # A file name a spreadsheet would take for a formula once its leading tab is
    # dropped; its one form is not XML, so the file is listed.
    "\t=HYPERLINK(1).xml": "<forms>",
    # Not an .xml file: a folder argument skips it.
    "notes.txt": "not a form",
}
PACKED_REFS = {"karte-0001", "karte-0002", "karte-0003", "=SUM(1+1)", "karte-0296", "karte-1080"}

with tempfile.TemporaryDirectory(prefix="nanbyo-check-cli.") as work:
    path = lambda *p: os.path.join(work, *p)
    step("a CA, a user key file for A0000001, a folder of XML files")
    run(PKI, "--dir", path("ca"), "init")
    run(PKI, "--dir", path("ca"), "key", "new", "--user", "A0000001", "--out", path("A0000001.nbkey"))
    os.mkdir(path("in"))
    for name, text in FILES.items():
        with open(path("in", name), "w", encoding="utf-8") as f:
            f.write(text)

    step("nanbyo-check on the folder")
    result = run(CHECK, "--definitions", DEFS, "--key", path("A0000001.nbkey"), "--out", path("out"), path("in"), ok=False)
    print(result.stdout + result.stderr, end="")
    check(result.returncode == 0, f"exit status {result.returncode}, expected 0 (a batch was written)")
    check("9 files, 8 forms, 6 packed" in result.stdout, f"counts on stdout: {result.stdout!r}")

    step("errors.csv: BOM, CRLF, one row per problem with file, form and field")
    raw = open(path("out", "errors.csv"), "rb").read()
    check(raw.startswith(b"\xef\xbb\xbf"), "errors.csv starts with a UTF-8 BOM (Excel)")
    check(b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b""), "errors.csv lines end in CRLF")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    check(rows[0] == ["file", "form", "field", "message"], f"header row {rows[0]}")
    by_file = {}
    for row in rows[1:]:
        by_file.setdefault(row[0], []).append(row)
    for row in rows[1:]:
        print("    " + " | ".join(row))
    check("01-complete.xml" not in by_file, f"the complete forms have no message: {by_file.get('01-complete.xml')}")
    check(any(r[1].startswith("karte-0003 (nanbyo-006") and r[2] == "hoehn_yahr" for r in by_file.get("02-partial.xml", [])),
          "the partial form's missing Hoehn-Yahr is listed by field")
    check(any("favourite_colour" in r[2] + r[3] for r in by_file.get("03-unknown-field.xml", [])),
          "the unknown element is named")
    check(any(r[2] == "hoehn_yahr" for r in by_file.get("04-bad-choice.xml", [])),
          "the out-of-choice value is attached to its field")
    check(len(by_file.get("05-truncated.xml", [])) >= 1, "the truncated file is listed")
    xxe = " ".join(r[3] for r in by_file.get("06-xxe.xml", []))
    check("DOCTYPE" in xxe or "entit" in xxe.lower(), f"the XXE file is refused for its DOCTYPE/entity: {xxe!r}")
    check(not any("root:" in r[3] for r in rows), "no content of /etc/passwd leaked into errors.csv")
    formula = by_file.get("07-formula-ref.xml", [])
    check(formula and formula[0][1].startswith("'="), f"a formula ref is neutralised with ': {formula}")
    tab = [r for r in rows[1:] if "HYPERLINK" in r[0]]
    check(tab and all(r[0] == "'\t=HYPERLINK(1).xml" for r in tab),
          f"a file name starting with a tab is neutralised with ': {tab}")
    check("notes.txt" not in by_file, "a non-.xml file in the folder is not read")
    check("08-other-diseases.xml" not in by_file, f"the other diseases' forms have no message: {by_file.get('08-other-diseases.xml')}")

    step("the .nbx opens with the same key and holds exactly the packable forms")
    batches = [n for n in os.listdir(path("out")) if n.endswith(".nbx")]
    check(len(batches) == 1, f"one batch written: {batches}")
    sealed = open(path("out", batches[0]), "rb").read()
    check(b"karte-0001" not in sealed and "難病".encode() not in sealed, "the batch is not plaintext")
    run(PKI, "--dir", path("ca"), "key", "decrypt", "--key", path("A0000001.nbkey"),
        "--in", path("out", batches[0]), "--out", path("batch.json"))
    batch = json.load(open(path("batch.json"), encoding="utf-8"))
    check(batch["format"] == "nanbyo-forms-batch" and batch["user_id"] == "A0000001", "batch header")
    version = run(CHECK, "--version").stdout.strip()
    check(batch["tool_version"] and batch["tool_version"] in version, f"tool version {batch['tool_version']} vs {version}")
    check({f["ref"] for f in batch["forms"]} == PACKED_REFS, f"packed refs {[f['ref'] for f in batch['forms']]}")
    definitions = {f["ref"]: f["definition"] for f in batch["forms"]}
    check(definitions.pop("karte-0296", None) == "nanbyo-296" and definitions.pop("karte-1080", None) == "shoman-1-080"
          and all(d == "nanbyo-006" for d in definitions.values()), f"definitions in the batch: {definitions}")

    step("another user's key file does not open the batch")
    run(PKI, "--dir", path("ca"), "key", "new", "--user", "A0000002", "--out", path("A0000002.nbkey"))
    other = run(PKI, "--dir", path("ca"), "key", "decrypt", "--key", path("A0000002.nbkey"),
                "--in", path("out", batches[0]), "--out", path("other.json"), ok=False)
    check(other.returncode != 0 and not os.path.exists(path("other.json")), "another key opened the batch")

    step("refusals: nothing to pack (2), a damaged key file, a missing input (1)")
    nothing = run(CHECK, "--definitions", DEFS, "--key", path("A0000001.nbkey"), "--out", path("out2"), path("in", "03-unknown-field.xml"), ok=False)
    check(nothing.returncode == 2, f"no packable form: exit {nothing.returncode}")
    check(os.path.exists(path("out2", "errors.csv")) and not [n for n in os.listdir(path("out2")) if n.endswith(".nbx")],
          "errors.csv written, no batch")
    key_text = open(path("A0000001.nbkey"), "rb").read()
    with open(path("damaged.nbkey"), "wb") as f:
        f.write(key_text[: len(key_text) // 2])
    damaged = run(CHECK, "--definitions", DEFS, "--key", path("damaged.nbkey"), "--out", path("out3"), path("in"), ok=False)
    check(damaged.returncode == 1 and "key file" in damaged.stderr, f"damaged key: {damaged.returncode} {damaged.stderr!r}")
    check(not os.path.exists(path("out3")), "nothing written with a damaged key")
    missing = run(CHECK, "--definitions", DEFS, "--key", path("A0000001.nbkey"), "--out", path("out4"), path("in", "absent.xml"), ok=False)
    check(missing.returncode == 1 and "absent.xml" in missing.stderr, f"missing input: {missing.returncode} {missing.stderr!r}")

    step("--write-layout: the XSD files an operator hands to vendors, no key needed (issue 18)")
    layout = run(CHECK, "--definitions", DEFS, "--write-layout", path("layout"))
    print(layout.stdout, end="")
    index = open(path("layout", "forms.tsv"), encoding="utf-8").read().splitlines()
    check(len(index) - 1 >= 1140, f"every master disease listed: {len(index) - 1}")
    check(any(l.startswith("nanbyo-110\tnanbyo\t\t110\tブラウ症候群\tcommon") for l in index),
          "a disease without a definition has the common form")
    check(any(l.startswith("nanbyo-006\t") and l.endswith("\tspecific") for l in index),
          "a specific definition is named")
    one = open(path("layout", "nanbyo-110.xsd"), encoding="utf-8").read()
    check('<xs:element name="nanbyo-110" type="form-nanbyo-common"/>' in one, "the per-disease XSD")
    for group in ("基本情報", "診断基準情報", "重症度分類情報", "研究調査情報", "人工呼吸器使用情報", "医療機関情報"):
        check(group in one, f"the XSD names the seed's group {group}")
    whole = open(path("layout", "nanbyo-forms.xsd"), encoding="utf-8").read()
    check(whole.count("<xs:element name=\"nanbyo-") >= 333, "the whole XSD has every 指定難病")
    with open(path("common.xml"), "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<forms><nanbyo-110 ref="k-1">'
                "<基本情報><application_type>new</application_type><attachments>yes</attachments>"
                "<insured_symbol>千代田</insured_symbol></基本情報><診断基準情報><category>definite</category>"
                "<findings><row><kind>sign</kind><item>皮疹</item><result>苔癬様</result></row></findings>"
                "</診断基準情報><人工呼吸器使用情報><ventilator_use>yes</ventilator_use>"
                "<ventilator_weaning>no</ventilator_weaning></人工呼吸器使用情報>"
                "<written_on>2026-09-20</written_on></nanbyo-110></forms>\n")
    lint = subprocess.run(["xmllint", "--noout", "--schema", path("layout", "nanbyo-110.xsd"),
                           path("common.xml")], capture_output=True, text=True)
    check(lint.returncode == 0, f"xmllint validates a common form (grouped, one flat item) against its XSD: {lint.stderr}")
    step("a former version (issue 18 item 4): its XSD published, its XML accepted until the transition ends")
    versions = open(path("layout", "previous", "versions.tsv"), encoding="utf-8").read().splitlines()
    check(versions[1:] and all(l.startswith("2024.1\t2027-11-30\t") for l in versions[1:]) and len(versions) == 6,
          f"versions.tsv lists the five 2024.1 forms: {versions}")
    old_als = ('<?xml version="1.0" encoding="UTF-8"?>\n<forms><nanbyo-002 ref="his-1" version="2024.1">'
               + PATIENT.replace("<attachments>no</attachments>", "") +
               "<adult_onset>yes</adult_onset><progressive>yes</progressive>"
               "<umn_regions><item>cervical</item></umn_regions>"
               "<lmn_regions><item>cervical</item><item>lumbosacral</item></lmn_regions>"
               "<familial_gene>no</familial_gene><differential_excluded>yes</differential_excluded>"
               "<category>definite</category><als_severity>3</als_severity></nanbyo-002></forms>\n")
    os.makedirs(path("old"), exist_ok=True)
    with open(path("old", "als-2024.xml"), "w", encoding="utf-8") as f:
        f.write(old_als)
    lint = subprocess.run(["xmllint", "--noout", "--schema", path("layout", "previous", "2024.1", "nanbyo-002.xsd"),
                           path("old", "als-2024.xml")], capture_output=True, text=True)
    check(lint.returncode == 0, f"xmllint validates a 2024.1 form against the 2024.1 XSD: {lint.stderr}")
    with_new_item = old_als.replace("<adult_onset>", "<attachments>no</attachments><adult_onset>")
    with open(path("old", "als-2024-new-item.xml"), "w", encoding="utf-8") as f:
        f.write(with_new_item)
    lint = subprocess.run(["xmllint", "--noout", "--schema", path("layout", "previous", "2024.1", "nanbyo-002.xsd"),
                           path("old", "als-2024-new-item.xml")], capture_output=True, text=True)
    check(lint.returncode != 0, "2025.1's 添付資料 is no item of 2024.1")
    os.remove(path("old", "als-2024-new-item.xml"))
    old_run = run(CHECK, "--definitions", DEFS, "--key", path("A0000001.nbkey"), "--out", path("out-old"),
                  path("old"), ok=False)
    errors = open(path("out-old", "errors.csv"), encoding="utf-8-sig").read()
    # The tool decides by today's date in Japan: before the end, packed with a notice; after, refused.
    today = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=9)).date().isoformat()
    if today <= "2027-11-30":
        check(old_run.returncode == 0 and "旧様式（版 2024.1）です。2027-11-30 まで受け付けます。" in errors,
              f"a 2024.1 form is packed with a notice: {old_run.returncode} {errors!r}")
        check(any(n.endswith(".nbx") for n in os.listdir(path("out-old"))), "the 2024.1 form is in a batch")
    else:
        check("の受付は 2027-11-30 で終了しました" in errors, f"a 2024.1 form is refused after the transition: {errors!r}")

    both = run(CHECK, "--write-layout", path("x"), "--key", path("A0000001.nbkey"), ok=False)
    check(both.returncode != 0, "--write-layout excludes --key")

if failures:
    sys.exit(f"{len(failures)} check(s) failed")
print("nanbyo-check CLI: all checks passed")
