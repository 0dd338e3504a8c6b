// The common form of scenario.py (issue 18, F-1): the doctor searches a
// disease without a specific definition by name (ブラウ症候群, 指定難病110),
// opens its common 臨床調査個人票, fills the whole sheet including 添付資料 and
// 人工呼吸器, checks, registers and prints it (screenshots + PDF). The
// 医療機関情報 is not typed: the print shows what the doctor's designation says.
// usage: node common_form_flows.mjs <config.json>   (written by scenario.py)
// Prints progress lines, and last one JSON line:
// {"form_id", "title", "access_key", "doctor_number"}.
import path from "node:path";
import {
  base, config, context, dumpPages, expect, fillItems, launch, say, shot, submitLogin,
} from "./browser_support.mjs";

const shots = config.artifacts;

// The items a doctor enters on the common sheet.
const entries = {
  application_type: "new", attachments: "yes", insurer_number: "06131018",
  insured_symbol: "千代田", insured_number: "12-345678", insured_branch: "01",
  insurance_acquired_on: "2020-04-01", patient_name: "共通 花子", patient_kana: "キョウツウ ハナコ",
  birth_date: "1990-07-07", sex: "female", address: "東京都千代田区霞が関1-2-2",
  family_history: "no", onset_date: "2015-04-01", category: "definite",
  diagnosis_basis: "皮膚・関節・眼の三主徴とNOD2遺伝子の変異", genetic_test: "abnormal",
  genetic_test_detail: "NOD2 R334W", severity_scale: "ブラウ症候群の重症度分類",
  severity_grade: "眼症状あり（視力障害）", severity_level: "moderate", severity_met: "yes",
  ventilator_use: "yes", ventilator_started: "2025-10-01", ventilator_weaning: "no",
  ventilator_kind: "mask", ventilator_mode: "night", vad_use: "no", written_on: "2026-09-20",
};

const browser = await launch();
try {
  const dc = await context(browser, config.doctor_pc);
  const dp = await dc.newPage();
  await submitLogin(dp, config.doctor.user_id, config.doctor.password);
  await dp.waitForURL(`${base}/`);

  // ---- find the disease by name among every disease of the master
  await dp.goto(`${base}/forms`);
  await dp.getByRole("link", { name: "新しい個人票を作成" }).click();
  await dp.locator("#f-q").fill("ブラウ");
  await dp.getByRole("button", { name: "検索" }).click();
  await dp.waitForURL(/\/forms\/new\?q=/);
  // Both programs list a ブラウ症候群: the 指定難病 is 告示番号110.
  const row = dp.locator("#disease-list tr", { has: dp.locator("a[href='/forms/new?definition=nanbyo-110']") });
  expect(await row.count() === 1, "ブラウ症候群 (指定難病110) found by name");
  expect((await row.textContent()).includes("ブラウ症候群"), "its name in the row");
  expect((await row.textContent()).includes("共通様式"), "served by the common form");
  await shot(dp, "40-common-disease-search");
  await row.getByRole("link").click();
  await dp.waitForURL(`${base}/forms/new?definition=nanbyo-110`);
  const title = (await dp.locator("h1").textContent()).trim();
  expect(title.includes("告示番号110") && title.includes("ブラウ症候群"), `the heading, got ${title}`);
  for (const tab of ["申請種別・添付資料", "保険情報", "追加基本情報", "診断基準に関する事項", "臨床所見",
    "治療その他", "重症度分類に関する事項", "研究調査情報"])
    expect(await dp.locator(".form-tabs").getByRole("link", { name: tab }).count() === 1, `tab ${tab}`);
  expect(await dp.locator("input[name='v.doctor_number']").count() === 0, "the 指定医番号 is not typed");

  // ---- the whole sheet: header, 保険情報, diagnosis, findings, severity, 人工呼吸器
  await fillItems(dp, entries);
  await dp.locator("select[name='v.findings.0.kind']").selectOption("sign");
  await dp.locator("input[name='v.findings.0.item']").fill("皮疹");
  await dp.locator("input[name='v.findings.0.result']").fill("苔癬様皮疹を体幹に認める");
  await shot(dp, "41-common-form-entry");
  await dp.getByRole("button", { name: "入力チェック" }).click();
  await dp.waitForURL(/\/forms\/[^/?]+\?done=checked/);
  const formId = new URL(dp.url()).pathname.split("/").pop();
  expect(await dp.locator(".field.invalid").count() === 0, "nothing highlighted on the whole sheet");
  expect(await dp.locator("#check-result.ok").count() === 1, "the check passed");
  await shot(dp, "42-common-form-checked");

  // ---- register and print
  await dp.getByRole("button", { name: "承認して登録する" }).click();
  await dp.waitForURL(/\?done=approved$/);
  const accessKey = (await dp.locator("#access-key").textContent()).trim();
  expect(accessKey.length === 19, `an access key, got ${accessKey}`);
  await dp.getByRole("link", { name: "印刷（アクセスキー付き）" }).click();
  await dp.waitForURL(`${base}/forms/${formId}/print`);
  const printed = await dp.locator("main").innerText();
  for (const text of ["ブラウ症候群", "添付資料", "人工呼吸器に関する事項", "鼻マスク又は顔マスクを介した人工呼吸器",
    "夜間に継続的に施行", "苔癬様皮疹を体幹に認める", "共通 花子"])
    expect(printed.includes(text), `the print shows ${text}`);
  const doctorRow = dp.locator("tr", { hasText: "指定医番号" }).locator("td");
  const doctorNumber = (await doctorRow.textContent()).trim();
  await shot(dp, "43-common-form-print");
  await dp.emulateMedia({ media: "print" });
  await dp.pdf({ path: path.join(shots, "43-common-form-print.pdf"), format: "A4", printBackground: true });
  say(`registered and printed the common form ${formId} (ブラウ症候群), 指定医番号 ${doctorNumber}`);

  // ---- the forms list (F-12): the seed's columns, a filter, 表示件数/頁 and the row's operations
  await dp.emulateMedia({ media: "screen" });
  await dp.goto(`${base}/forms`);
  const heads = await dp.locator("#form-list thead th").allInnerTexts();
  for (const column of ["申請種別", "アクセスキー", "氏名カナ", "指定医氏名", "操作"])
    expect(heads.some((h) => h.includes(column)), `the list's column ${column}: ${heads}`);
  await dp.getByLabel("疾病（告示番号または病名）").fill("ブラウ");
  await dp.locator("#form-search").getByRole("button", { name: "検索" }).click();
  await dp.locator("#form-count").waitFor();
  expect((await dp.locator("#form-count").textContent()).includes("1件"), "one ブラウ症候群 form");
  const listRow = dp.locator("#form-list tbody tr").first();
  expect((await listRow.innerText()).includes(accessKey), "the row shows the access key");
  for (const op of ["閲覧", "更新登録", "解除", "データ出力"])
    expect(await listRow.getByRole(op === "閲覧" || op === "データ出力" ? "link" : "button", { name: op }).count() === 1,
      `the registered form's row offers ${op}`);
  await dp.locator("#f-per-page").selectOption("10");
  await dp.locator("#per-page").getByRole("button", { name: "表示" }).click();
  await dp.waitForURL(/per_page=10/);
  await shot(dp, "44-forms-list");
  say("the forms list: the seed's columns, filtered by disease, 表示件数 10, the row's operations");
  await dc.close();
  console.log(JSON.stringify({ form_id: formId, title, access_key: accessKey, doctor_number: doctorNumber }));
} catch (e) {
  // What each open page showed when a step failed.
  await dumpPages(browser, "common-failure");
  throw e;
} finally {
  await browser.close();
}
