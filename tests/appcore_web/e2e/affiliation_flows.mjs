// 兼務先 by consent (ID-8, issue 12), the browser half: a doctor of hospital A
// requests hospital B as 兼務先; until B's 責任者 approves, the doctor cannot
// log in from B's PC and B's forms are not in his list; B's 責任者 (on a B
// PC) approves; then the doctor logs in from B's PC and finds B's form.
// usage: node affiliation_flows.mjs <config.json>   (written by scenario.py)
// Prints progress lines, and last one JSON line: {"approved": true}.
import { config, context, expect, launch, say, shot, submitLogin as login } from "./browser_support.mjs";

const base = config.base_url;
const doctor = config.doctor;
const hospitalB = config.hospital_b;

const browser = await launch();
try {
  // ---- the doctor, on a PC of his main hospital A, requests B
  const atA = await context(browser, config.doctor_pc);
  const ap = await atA.newPage();
  ap.on("dialog", (d) => d.accept());
  await login(ap, doctor.user_id, doctor.password);
  await ap.waitForURL(`${base}/`);
  await ap.getByRole("link", { name: "兼務先", exact: true }).first().click();
  await ap.getByRole("heading", { name: "兼務先の登録" }).waitFor();
  await ap.getByLabel("医療機関番号（10桁）").fill(hospitalB);
  await ap.getByLabel("担当する診療科").fill("神経内科");
  await ap.getByLabel("非表示").check();
  await ap.getByLabel("連絡先（電話番号など）").fill("06-6000-0001");
  await shot(ap, "30-affiliation-request-form");
  await ap.getByRole("button", { name: "申請する" }).click();
  await ap.getByText("兼務先を申請しました").waitFor();
  const row = ap.getByRole("row", { name: new RegExp(hospitalB) });
  expect(await row.getByText("申請中").count() === 1, "the request is 申請中");
  await shot(ap, "31-affiliation-pending");
  say(`${doctor.user_id} requested ${hospitalB} as 兼務先 (申請中)`);
  const bForm = config.hospital_b_patient_kana;
  await ap.goto(`${base}/forms`);
  await ap.getByRole("heading", { name: "個人票の一覧" }).waitFor();
  expect(await ap.getByRole("cell", { name: bForm }).count() === 0, "no form of B while 申請中");
  await shot(ap, "31b-forms-without-b");

  // ---- before approval: no login from B's PC, so none of B's forms
  const atB = await context(browser, config.hospital_b_pc);
  const bp = await atB.newPage();
  await login(bp, doctor.user_id, doctor.password);
  // The same answer as a wrong password: a stranger at B's PC learns nothing (issue 12).
  await bp.getByText("この端末ではこのIDを利用できません").waitFor();
  expect(!bp.url().endsWith(`${base}/`), "no session at B before approval");
  await shot(bp, "32-login-at-b-refused");
  say("before approval the doctor's login from B's PC is refused");

  // ---- B's 責任者, on another PC of B, approves
  const adminCtx = await context(browser, config.hospital_b_pc);
  const mp = await adminCtx.newPage();
  await login(mp, config.hospital_b_admin.user_id, config.hospital_b_admin.password);
  await mp.waitForURL(`${base}/`);
  await mp.getByRole("link", { name: "兼務先の承認（責任者）" }).click();
  await mp.getByRole("heading", { name: "兼務先の承認" }).waitFor();
  const request = mp.getByRole("row", { name: new RegExp(doctor.user_id) });
  expect(await request.getByText("申請中").count() === 1, "B's 責任者 sees the pending request");
  await shot(mp, "33-admin-sees-request");
  await request.getByRole("button", { name: "承認" }).click();
  await mp.getByText("兼務先の申請を承認しました").waitFor();
  expect(await mp.getByRole("row", { name: new RegExp(doctor.user_id) }).getByText("承認").count() >= 1,
    "the request is approved");
  await shot(mp, "34-admin-approved");
  say(`B's 責任者 ${config.hospital_b_admin.user_id} approved the request`);

  // ---- after approval: the doctor logs in from B's PC and reaches the forms there
  await login(bp, doctor.user_id, doctor.password);
  await bp.waitForURL(`${base}/`);
  await bp.goto(`${base}/forms`);
  await bp.getByRole("heading", { name: "個人票の一覧" }).waitFor();
  expect(await bp.getByRole("cell", { name: bForm }).count() === 1, "B's form after the approval");
  await shot(bp, "35-doctor-at-b-forms");
  await ap.goto(`${base}/affiliations`);
  expect(await ap.getByRole("row", { name: new RegExp(hospitalB) }).getByText("承認").count() >= 1,
    "the doctor sees 承認");
  await shot(ap, "36-affiliation-approved");
  say("after approval the doctor works from B's PC");

  await atA.close();
  await atB.close();
  await adminCtx.close();
  console.log(JSON.stringify({ approved: true }));
} finally {
  await browser.close();
}
