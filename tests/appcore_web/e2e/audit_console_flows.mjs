// The auditor's console in the browser (issue 17, S-7): scenario.py has provoked an attack
// (an SQL injection the gateway's inspection flagged) and an illicit operation (the doctor's
// login from a terminal he never used); the security auditor finds both among the alerts,
// opens a record, sees the daily chart and exports the CSV.
// usage: node audit_console_flows.mjs <config.json>   (written by scenario.py)
import fs from "node:fs";
import path from "node:path";
import { config, context, expect, launch, say, shot, submitLogin as login } from "./browser_support.mjs";

const base = config.base_url;
const browser = await launch();
try {
  const ctx = await context(browser, config.municipal_pc);
  const page = await ctx.newPage();
  await login(page, config.auditor.user_id, config.auditor.password);
  await page.waitForURL(`${base}/`);
  await page.getByRole("link", { name: "警告の一覧" }).click();
  await page.getByRole("heading", { name: "監査ログの検索" }).waitFor();
  const results = page.locator("#audit-results");
  const alerts = await results.locator("tbody tr").allTextContents();
  expect(alerts.some((row) => row.includes("SQLインジェクション")), `the attack among the alerts: ${alerts}`);
  expect(alerts.some((row) => row.includes("利用実績のない端末からのログイン")),
    `the illicit operation among the alerts: ${alerts}`);
  await shot(page, "50-audit-alerts");
  say(`alerts: ${alerts.length} rows, the SQL injection and the new-terminal login among them`);

  // The illicit operation's record, read back from the application core's log file.
  await results.locator("tr", { hasText: "利用実績のない端末からのログイン" }).first()
    .getByRole("link").click();
  await page.getByRole("heading", { name: "監査記録の詳細" }).waitFor();
  expect((await page.locator("#file-check").textContent()).includes("ハッシュ照合済み"),
    "the record matches its file");
  expect((await page.locator("#audit-record").textContent()).includes(config.doctor_id),
    "the record names the doctor");
  await shot(page, "51-audit-record");

  // Searching by the doctor finds his records in both logs' worth of history.
  await page.goto(`${base}/audit`);
  await page.getByLabel("利用者ID").fill(config.doctor_id);
  await page.getByRole("button", { name: "検索" }).click();
  await page.locator("#audit-count").waitFor();
  const count = await page.locator("#audit-count").textContent();
  expect(!count.includes("該当 0 件"), `records of the doctor: ${count}`);
  await shot(page, "52-audit-search-user");

  // The daily charts: server-made SVG, the alerts chart has today's bars.
  await page.getByRole("link", { name: "日別グラフ" }).click();
  await page.locator("#chart-alerts svg").waitFor();
  const bars = await page.locator("#chart-alerts rect[height]:not([height='0'])").count();
  expect(bars > 0, "the alerts chart shows today's alerts");
  await shot(page, "53-audit-charts");

  // The CSV of the alerts: formula-safe, with the BOM a Japanese Excel needs.
  await page.goto(`${base}/audit?alerts=1`);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.locator("#audit-export").click(),
  ]);
  const csvPath = path.join(config.artifacts, "54-audit-alerts.csv");
  await download.saveAs(csvPath);
  const csv = fs.readFileSync(csvPath, "utf8");
  expect(csv.startsWith("\uFEFF"), "the CSV starts with a BOM");
  expect(csv.includes("inspection-alert") && csv.includes("illicit-operation"),
    "both alerts in the CSV");

  // The chain of both logs.
  await page.getByRole("link", { name: "改ざん検証" }).click();
  const chain = await page.locator("#audit-chain").textContent();
  expect(chain.includes("gateway") && chain.includes("appcore") && !chain.includes("異常"),
    `both chains intact: ${chain}`);
  await page.getByRole("button", { name: "全件を検証" }).click();
  await page.locator("#audit-verify").waitFor();
  const verified = await page.locator("#audit-verify").textContent();
  expect(!verified.includes("異常"), `full verification: ${verified}`);
  await shot(page, "55-audit-verify");
  say("record opened, chart drawn, CSV exported, both chains verified");
  console.log(JSON.stringify({ alerts: alerts.length }));
} finally {
  await browser.close();
}
