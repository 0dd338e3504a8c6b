// The paper import of scenario.py (F-11, issue 18): the municipality's scanned
// paper forms, converted to XML outside the system, are imported as a job in
// chromium: the upload's and the job's progress, the result page with a row per
// form (患者氏名, 病名, ファイル名, 記載年月日, 結果), then what the municipality
// does with an imported form: opens it from the result, records the
// certification (F-10) and prints it masked for the review board; the upload
// screen then lists the kept result (最近の取込結果, item 7). Last, a scan of the
// first release's layout (version 2024.1, issue 18 item 4): imported and shown
// with its own version while its transition lasts, refused after it.
// Screenshots 28, 29, 29b, 29c.
// usage: node paper_import_flows.mjs <config.json>   (written by scenario.py)
// Prints progress lines, and last one JSON line: {"job_id", "form_id"}.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  base, config, context, dumpPages, expect, launch, recordCertification, say, shot, submitLogin,
  watchImportStatus,
} from "./browser_support.mjs";

const paper = config.paper;
const browser = await launch();
try {
  const mc = await context(browser, config.municipal_pc);
  const mp = await mc.newPage();
  await submitLogin(mp, config.municipal_admin.user_id, config.municipal_admin.password);
  await mp.waitForURL(`${base}/`);

  // ---- the import: chosen from the menu, sent with its progress, then the job's
  await mp.getByRole("link", { name: "紙の個人票の取込" }).first().click();
  await mp.waitForURL(`${base}/forms/paper-imports/new`);
  const statuses = await watchImportStatus(mp);
  await mp.locator("#f-batch").setInputFiles(paper.xml);
  await mp.getByRole("button", { name: "取り込んで登録" }).click();
  await mp.waitForURL(/\/forms\/import-results\/[0-9a-f]{32}$/, { timeout: 60000 });
  const jobId = new URL(mp.url()).pathname.split("/").pop();
  expect(statuses.includes("アップロードしました。登録しています…"), `the job started: ${statuses}`);

  // ---- the result: a row per scanned form, each registered (one with its missing items)
  const rows = mp.locator("#form-import-result tbody tr");
  expect((await rows.count()) === paper.patients.length, `${paper.patients.length} result rows`);
  for (let i = 0; i < paper.patients.length; ++i) {
    const text = await rows.nth(i).innerText();
    for (const want of [paper.patients[i], paper.file_name, paper.written_on, "登録"])
      expect(text.includes(want), `row ${i} shows ${want}: ${text}`);
    expect(/[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/.test(text), `row ${i}'s access key: ${text}`);
  }
  const missing = await rows.nth(paper.missing_row).innerText();
  expect(missing.includes(paper.missing_label), `the missing item named: ${missing}`);
  const summary = await mp.locator("#form-import-summary").innerText();
  expect(summary.includes(`登録 ${paper.patients.length} 件`) && summary.includes("エラー 0 件"),
    `the summary: ${summary}`);
  await shot(mp, "28-paper-import-result");
  say(`the municipality imported ${paper.patients.length} paper forms as job ${jobId}: ${summary}`);

  // ---- the municipality's work on an imported form: certification (F-10), masked print
  await rows.first().getByRole("link", { name: "閲覧" }).click();
  await mp.waitForURL(/\/forms\/[^/]+$/);
  const formId = new URL(mp.url()).pathname.split("/").pop();
  expect(await mp.getByText("認定結果等の記録").count() > 0, "the municipality's view of the form");
  expect(await mp.locator("#judgment").count() === 1, "the machine judgment (F-4) for the municipality");
  await recordCertification(mp, { certification: "pending", consent: "no", income: "上位所得" });
  expect((await mp.locator("#certification").textContent()).includes("保留"), "certification recorded");
  await shot(mp, "29-paper-form-certification");
  await mp.getByRole("link", { name: "印刷（個人情報マスク）" }).click();
  await mp.waitForURL(/\/print\?masked=1$/);
  expect(await mp.getByText(paper.patients[0]).count() === 0, "no patient name on the masked print");
  say(`opened ${formId} from the result, recorded 保留 and printed it masked`);

  // ---- the kept result on the upload screen
  await mp.goto(`${base}/forms/paper-imports/new`);
  const recent = mp.locator("#recent-uploads tbody tr").first();
  expect((await recent.innerText()).includes(paper.file_name), "the upload in 最近の取込結果");
  await shot(mp, "29b-paper-imports-recent");
  await recent.getByRole("link", { name: "ファイルごとの結果" }).click();
  await mp.waitForURL(`${base}/forms/import-results/${jobId}`);
  expect((await mp.locator("#form-import-result tbody tr").count()) === paper.patients.length,
    "the kept result reopened");
  say("the upload screen lists the kept result and reopens it");

  // ---- a scan in the first release's layout (2024.1): accepted until 2027-11-30 (JST)
  const old = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "nanbyo-paper-")), "scan-2024.xml");
  fs.writeFileSync(old, `<?xml version="1.0" encoding="UTF-8"?>
<forms><nanbyo-002 ref="scan-2024" version="2024.1">
<application_type>new</application_type><patient_name>旧様式 一郎</patient_name>
<patient_kana>キュウヨウシキ イチロウ</patient_kana><birth_date>1958-02-03</birth_date>
<sex>male</sex><adult_onset>yes</adult_onset><progressive>yes</progressive>
<umn_regions><item>cervical</item></umn_regions>
<lmn_regions><item>cervical</item><item>lumbosacral</item></lmn_regions>
<familial_gene>no</familial_gene><differential_excluded>yes</differential_excluded>
<category>definite</category><als_severity>3</als_severity>
<hospital_name>霞が関中央病院</hospital_name><doctor_number>13-0001</doctor_number>
<doctor_name>鈴木 和也</doctor_name><written_on>2026-09-01</written_on>
</nanbyo-002></forms>
`);
  await mp.goto(`${base}/forms/paper-imports/new`);
  await mp.locator("#f-batch").setInputFiles(old);
  await mp.getByRole("button", { name: "取り込んで登録" }).click();
  await mp.waitForURL(/\/forms\/import-results\/[0-9a-f]{32}$/, { timeout: 60000 });
  const oldRow = mp.locator("#form-import-result tbody tr").first();
  const oldText = await oldRow.innerText();
  const today = new Date(Date.now() + 9 * 3600 * 1000).toISOString().slice(0, 10);
  if (today <= "2027-11-30") {
    expect(oldText.includes("旧様式 一郎") && oldText.includes("登録"), `the 2024.1 scan imported: ${oldText}`);
    await oldRow.getByRole("link", { name: "閲覧" }).click();
    await mp.waitForURL(/\/forms\/[^/]+$/);
    const version = await mp.locator("#form-version").innerText();
    expect(version.includes("2024.1（旧様式: 2027-11-30 まで受付）"), `the form's version: ${version}`);
    await shot(mp, "29c-paper-form-previous-version");
    say(`a 2024.1 scan is imported and shown as ${version}`);
  } else {
    expect(oldText.includes("2027-11-30 で終了しました"), `the 2024.1 scan refused: ${oldText}`);
    say("a 2024.1 scan is refused: its transition has ended");
  }
  await mc.close();
  console.log(JSON.stringify({ job_id: jobId, form_id: formId }));
} catch (e) {
  await dumpPages(browser, "paper-failure");
  throw e;
} finally {
  await browser.close();
}
