// The clinical-form half of scenario.py (issue 6), after browser_flows.mjs:
// a clerk drafts a 臨床調査個人票 and sends it to the doctor; the doctor sees the
// check highlight, fixes it, approves and prints the form with its access key
// (screenshot + PDF); the municipality opens it by the access key, records the
// certification and sees the masked print (screenshot).
// usage: node forms_flows.mjs <config.json>   (written by scenario.py)
// Prints progress lines, and last one JSON line: {"form_id": ..., "access_key": ...}.
import path from "node:path";
import {
  base, config, context, dumpPages, expect, fillItems, launch, recordCertification, say, shot,
  submitLogin, watchImportStatus,
} from "./browser_support.mjs";

const shots = config.artifacts;

async function login(page, userId, password) {
  await submitLogin(page, userId, password);
  await page.waitForURL(`${base}/`);
}

// Items of the パーキンソン病 form, as the clerk enters them: 氏名（カナ） in
// hiragana and no Hoehn-Yahr stage, for the doctor's check to catch.
const entries = {
  application_type: "new", insured_number: "12-345678", patient_name: "難病 花子",
  patient_kana: "なんびょう はなこ", birth_date: "1960-04-01", sex: "female",
  address: "東京都千代田区霞が関1-2-2", family_history: "no",
  rest_tremor: "yes", rigidity: "yes", bradykinesia: "yes", postural_instability: "no",
  imaging_normal: "yes", drug_exposure: "no", drug_response: "improved", category: "definite",
  daily_life: "2", attachments: "no", written_on: "2026-05-01",
};  // 医療機関情報 is not typed: the doctor's designation fills it at registration (issue 18)

const browser = await launch();
try {
  // ---- the clerk drafts (F-1) and sends the form to the doctor (F-6)
  const cc = await context(browser, config.doctor_pc);
  const cp = await cc.newPage();
  await login(cp, config.clerk.user_id, config.clerk.password);
  await cp.getByRole("link", { name: "個人票の作成" }).first().click();
  await cp.getByRole("link", { name: /パーキンソン病/ }).click();
  await fillItems(cp, entries);
  await cp.locator("input[name='v.medications.0.drug']").fill("レボドパ・カルビドパ");
  await cp.locator("input[name='v.medications.0.daily_mg']").fill("300");
  await shot(cp, "20-clerk-form-entry");
  await cp.getByRole("button", { name: "一時保存" }).click();
  await cp.waitForURL(/\/forms\/[^/?]+\?done=saved$/);
  const formId = new URL(cp.url()).pathname.split("/").pop();
  expect(await cp.locator("#w-patient_kana.invalid").count() === 1, "the kana highlighted for the clerk too");
  await cp.locator("#f-submit-doctor").fill(config.doctor.user_id);
  await cp.locator("#f-submit-comment").fill("Hoehn-Yahrの記載をお願いします。");
  await cp.getByRole("button", { name: "指定医へ送付する" }).click();
  await cp.waitForURL(/\?done=submitted$/);
  expect((await cp.locator("#form-status").textContent()).includes("指定医へ送付済み"), "status submitted");
  await shot(cp, "21-clerk-submitted");
  say(`clerk ${config.clerk.user_id} drafted ${formId} and sent it to ${config.doctor.user_id}`);

  // ---- the doctor: approval list, check highlight (F-2), fix, judgment (F-4), approve
  const dc = await context(browser, config.doctor_pc);
  const dp = await dc.newPage();
  await login(dp, config.doctor.user_id, config.doctor.password);
  await dp.goto(`${base}/forms/approvals`);
  expect(/承認待ち \d+件/.test(await dp.locator("#approval-count").textContent()), "the approvals' total");
  expect(await dp.locator("#approval-scope").count() === 1, "the list says what 一括承認 approves");
  expect(await dp.locator("#f-per-page").count() === 1, "表示件数/頁 on the approvals list");
  await shot(dp, "21b-doctor-approvals");
  await dp.locator(`#approval-list a[href='/forms/${formId}']`).click();
  await dp.waitForURL(`${base}/forms/${formId}`);
  for (const id of ["patient_kana", "hoehn_yahr"]) {
    expect(await dp.locator(`#w-${id}.invalid`).count() === 1, `${id} highlighted`);
    expect(await dp.locator(`#f-${id}`).getAttribute("aria-invalid") === "true", `${id} aria-invalid`);
    expect((await dp.locator(`#err-${id}`).textContent()).length > 0, `${id} message shown`);
  }
  expect(await dp.locator("#check-result").getByText("氏名（カナ）").count() > 0, "the message names the item");
  expect(await dp.locator("#judgment").count() === 1, "the judgment panel");
  expect(await dp.getByText("Hoehn-Yahrの記載をお願いします。").count() > 0, "the clerk's comment in the history");
  await shot(dp, "22-doctor-check-highlight");
  await fillItems(dp, { patient_kana: "ナンビョウ ハナコ", hoehn_yahr: "3" });
  await dp.getByRole("button", { name: "入力チェック" }).click();
  await dp.waitForURL(/\?done=checked/);
  expect(await dp.locator(".field.invalid").count() === 0, "no highlight after the fix");
  await shot(dp, "23-doctor-fixed-judgment");
  await dp.getByRole("button", { name: "承認して登録する" }).click();
  await dp.waitForURL(/\?done=approved$/);
  const accessKey = (await dp.locator("#access-key").textContent()).trim();
  expect(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/.test(accessKey), `an access key, got ${accessKey}`);
  say(`the doctor fixed the highlighted items and approved: access key ${accessKey}`);
  // The whole workflow history in pages (issue 18), newest first.
  await dp.locator("#history-link").click();
  await dp.waitForURL(`${base}/forms/${formId}/history`);
  expect((await dp.locator("#history-count").textContent()).includes("新しい順"), "the history's order");
  expect((await dp.locator("table.history tbody tr").first().innerText()).includes("登録済み"),
    "the registration first");
  await shot(dp, "23d-form-history");

  // ---- the same doctor, also 小慢指定医, registers a 医療意見書 (issue 11)
  await dp.goto(`${base}/forms/${config.opinion_form_id}`);
  await dp.getByRole("button", { name: "承認して登録する" }).click();
  await dp.waitForURL(/\?done=approved$/);
  expect((await dp.locator("#access-key").textContent()).trim().length === 19, "the 医療意見書's access key");
  await shot(dp, "23b-doctor-approved-opinion");
  say("the doctor also registered a 医療意見書 under the 小慢 designation");

  // ---- the doctor uploads a nanbyo-check batch as a job (F-9, issue 18): the
  // upload's progress, the job's, then the result page with a row per file
  await dp.goto(`${base}/forms/imports/new`);
  const statuses = await watchImportStatus(dp);
  await dp.locator("#f-batch").setInputFiles(config.upload.nbx);
  await dp.getByRole("button", { name: "アップロードして登録" }).click();
  await dp.waitForURL(/\/forms\/import-results\/[0-9a-f]{32}$/, { timeout: 90000 });
  expect(statuses.some((t) => t.startsWith("アップロード")), `upload progress shown: ${statuses}`);
  expect(statuses.includes("アップロードしました。登録しています…"), `the job started: ${statuses}`);
  const polled = statuses.filter((t) => t.startsWith("登録中: "));
  const rows = dp.locator("#form-import-result tbody tr");
  expect((await rows.count()) === config.upload.files, `${config.upload.files} result rows`);
  const first = await rows.first().innerText();
  for (const text of [config.upload.patient, config.upload.first_file, config.upload.written_on])
    expect(first.includes(text), `the first row shows ${text}: ${first}`);
  expect(/登録|下書き保存/.test(first), `the first row's result: ${first}`);
  const summary = await dp.locator("#form-import-summary").innerText();
  expect(summary.includes(`エラー 0 件`), `no errors: ${summary}`);
  await shot(dp, "23c-doctor-upload-result");
  const csvLink = await dp.locator('a[href$="/result.csv"]').getAttribute("href");
  const csv = await dc.request.get(`${base}${csvLink}`);
  expect(csv.ok() && (await csv.text()).includes(config.upload.first_file), "the result CSV");
  say(`the doctor uploaded ${config.upload.files} XML files as a job (${polled.length} progress ` +
    `polls while running, last "${polled.at(-1) || "-"}"): ${summary}`);
  await dp.goto(`${base}/forms/${formId}`);

  // ---- the print with the access key (F-7)
  await dp.getByRole("link", { name: "印刷（アクセスキー付き）" }).click();
  await dp.waitForURL(`${base}/forms/${formId}/print`);
  expect((await dp.locator("#print-access-key").textContent()).trim() === accessKey, "the key on the print");
  expect(await dp.getByText("難病 花子").count() > 0, "the patient on the hospital's print");
  await shot(dp, "24-form-print");
  await dp.emulateMedia({ media: "print" });
  await shot(dp, "25-form-print-media");
  await dp.pdf({ path: path.join(shots, "25-form-print.pdf"), format: "A4", printBackground: true });
  await dp.emulateMedia({ media: "screen" });
  say("printed the form with its access key to 25-form-print.pdf");

  // ---- the municipality: access key (F-10), certification record, masked print
  const mc = await context(browser, config.municipal_pc);
  const mp = await mc.newPage();
  await login(mp, config.municipal_admin.user_id, config.municipal_admin.password);
  await mp.getByRole("link", { name: "個人票の照会" }).click();
  await mp.locator("#f-access_key").fill(accessKey.toLowerCase());
  await mp.getByRole("button", { name: "照会する" }).click();
  await mp.waitForURL(`${base}/forms/${formId}`);
  expect(await mp.locator("#judgment").count() === 1, "the judgment for the municipality");
  await recordCertification(mp, { certification: "approved", consent: "yes", income: "一般所得I" });
  expect((await mp.locator("#certification").textContent()).includes("認定"), "certification recorded");
  await shot(mp, "26-municipality-view");
  await mp.getByRole("link", { name: "印刷（個人情報マスク）" }).click();
  await mp.waitForURL(/\/print\?masked=1$/);
  expect(await mp.locator("#masked-note").count() === 1, "the masked print");
  expect(await mp.getByText("難病 花子").count() === 0, "no patient name on the masked print");
  expect(await mp.getByText("＊＊＊").count() > 0, "masked items");
  await shot(mp, "27-municipality-masked-print");
  await mp.emulateMedia({ media: "print" });
  await mp.pdf({ path: path.join(shots, "27-masked-print.pdf"), format: "A4", printBackground: true });
  say("the municipality opened the form by access key and printed it masked");

  await cc.close();
  await dc.close();
  await mc.close();
  console.log(JSON.stringify({ form_id: formId, access_key: accessKey }));
} catch (e) {
  // What each open page showed when a step failed.
  await dumpPages(browser, "forms-failure");
  throw e;
} finally {
  await browser.close();
}
