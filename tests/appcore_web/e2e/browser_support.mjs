// What both browser scripts share: the config scenario.py writes, screenshots,
// one browser context per PC certificate, the login form and chromium's launch.
import fs from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";

export const config = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
export const base = config.base_url;
export const say = (text) => console.log(`    browser: ${text}`);

export function expect(condition, what) {
  if (!condition) throw new Error(`expected: ${what}`);
}

export async function shot(page, name) {
  await page.screenshot({ path: path.join(config.artifacts, `${name}.png`), fullPage: true });
}

export async function context(browser, pc) {
  return browser.newContext({
    ignoreHTTPSErrors: true, // the development CA; the gateway's certificate is not what is tested
    locale: "ja-JP",
    viewport: { width: 1200, height: 900 },
    clientCertificates: [{ origin: base, certPath: pc.cert, keyPath: pc.key }],
  });
}

// Fills and sends the login form; the caller waits for what should follow.
export async function submitLogin(page, userId, password) {
  await page.goto(`${base}/login`);
  await page.getByLabel("ID").fill(userId);
  await page.getByLabel("パスワード").fill(password);
  await page.getByRole("button", { name: "ログイン" }).click();
}

export function launch() {
  return chromium.launch({
    executablePath: config.chromium,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

// Fills the entry form's items by id (#f-<id>): selects by value, inputs by text.
export async function fillItems(page, values) {
  for (const [id, value] of Object.entries(values)) {
    const el = page.locator(`#f-${id}`);
    if ((await el.evaluate((e) => e.tagName)) === "SELECT") await el.selectOption(value);
    else await el.fill(value);
  }
}

// The texts the upload screen's #form-import-status shows (F-9, F-11 jobs), collected as they
// change from now on; call it after the upload screen has loaded.
export async function watchImportStatus(page) {
  const statuses = [];
  await page.exposeFunction("recordImportStatus", (text) => statuses.push(text));
  await page.evaluate(() => {
    const el = document.getElementById("form-import-status");
    new MutationObserver(() => window.recordImportStatus(el.textContent))
      .observe(el, { childList: true, characterData: true, subtree: true });
  });
  return statuses;
}

// F-10: the municipality records its result on the form screen it has open.
export async function recordCertification(page, { certification, consent, income }) {
  await page.locator("#f-certification").selectOption(certification);
  await page.locator("#f-research_consent").selectOption(consent);
  await page.locator("#f-income_category").fill(income);
  await page.getByRole("button", { name: "記録する" }).click();
  await page.waitForURL(/\?done=recorded$/);
}

// After a failed step: what each open page showed (HTML, screenshot, text).
export async function dumpPages(browser, prefix) {
  let n = 0;
  for (const ctx of browser.contexts())
    for (const p of ctx.pages()) {
      console.error(`page ${++n}: ${p.url()}`);
      const r = await ctx.request.get(p.url()).catch((x) => console.error(`fetch: ${x}`));
      if (r) fs.writeFileSync(path.join(config.artifacts, `${prefix}-${n}.html`), await r.body());
      await shot(p, `${prefix}-${n}`).catch((x) => console.error(`screenshot: ${x}`));
      console.error((await p.locator("main").innerText().catch(() => "")).slice(0, 600));
    }
}
