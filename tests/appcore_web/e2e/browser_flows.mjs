// The browser half of scenario.py: Debian's chromium driven by playwright-core,
// each browser context presenting a PC certificate to the gateway.
// usage: node browser_flows.mjs <config.json>   (written by scenario.py)
// Prints progress lines, and last one JSON line: {"doctor_id": ...}.
import fs from "node:fs";
import path from "node:path";
import { config, context, expect, launch, say, shot, submitLogin as login } from "./browser_support.mjs";

const shots = config.artifacts;

const browser = await launch();
try {
  // ---- the municipal administrator registers a doctor (ID-1) and prints (ID-3)
  const muni = await context(browser, config.municipal_pc);
  const mp = await muni.newPage();
  mp.on("dialog", (d) => d.accept()); // the confirmations of 延長 and 転出
  await mp.goto(`${config.base_url}/login`);
  await shot(mp, "01-login");
  await login(mp, config.municipal_admin.user_id, config.municipal_admin.password);
  await mp.waitForURL(`${config.base_url}/`);
  await shot(mp, "02-municipal-menu");
  await mp.getByRole("link", { name: "指定医の登録" }).first().click();
  await mp.getByLabel("氏名", { exact: false }).first().fill("山田 太郎");
  await mp.getByLabel("氏名（カナ）").fill("ヤマダ タロウ");
  await mp.getByLabel("医籍登録番号").fill("654321");
  await mp.getByLabel("指定医の種別").selectOption("nanbyo-doctor");
  await mp.getByLabel("医療機関番号（10桁）").fill(config.hospital);
  await mp.getByLabel("医療機関の名称").fill("千代田中央病院");
  await mp.getByLabel("医療機関の所在地").fill("東京都千代田区千代田1-1");
  await mp.getByLabel("診療科名").fill("神経内科");
  await mp.getByLabel("指定年月日").fill("2026-04-01");
  await mp.getByLabel("指定有効期限").fill("2031-03-31");
  await mp.getByLabel("指定医番号").fill("13-0001");
  await shot(mp, "03-register-doctor-form");
  await mp.getByRole("button", { name: "登録してIDを発行" }).click();
  await mp.getByRole("heading", { name: "指定医の登録完了" }).waitFor();
  const secrets = await mp.locator("section[aria-label='指定通知書（難病指定医）'] td.secret").allTextContents();
  const [doctorId, initialPassword] = secrets.map((t) => t.trim());
  expect(/^A\d{7}$/.test(doctorId), `an A-ID, got ${doctorId}`);
  expect(initialPassword.length >= 12, "an initial password on the notice");
  for (const item of ["① 医師氏名", "② 主に従事する医療機関の名称", "③ 所属する診療科名",
    "④ 指定有効期限", "⑤ 指定医番号", "⑥ 新システムを利用するためのID"]) {
    expect(await mp.getByText(item).count() > 0, `指定通知書 item ${item}`);
  }
  await shot(mp, "04-notices-on-screen");
  await mp.emulateMedia({ media: "print" });
  await shot(mp, "05-notices-print-media");
  await mp.pdf({ path: path.join(shots, "05-notices.pdf"), format: "A4", printBackground: true });
  await mp.emulateMedia({ media: "screen" });
  say(`registered ${doctorId}; notices printed to 05-notices.pdf`);

  // ---- another municipality designates the same doctor as 小慢指定医 (issue 11)
  const muniB = await context(browser, config.municipal_pc);
  const bp = await muniB.newPage();
  await login(bp, config.municipal_admin_b.user_id, config.municipal_admin_b.password);
  await bp.waitForURL(`${config.base_url}/`);
  await bp.goto(`${config.base_url}/doctors/new`);
  await bp.getByLabel("氏名", { exact: false }).first().fill("山田　太郎");
  await bp.getByLabel("医籍登録番号").fill("６５４３２１");
  await bp.getByLabel("指定医の種別").selectOption("pediatric-doctor");
  await bp.getByLabel("医療機関番号（10桁）").fill(config.hospital);
  await bp.getByLabel("診療科名").fill("小児科");
  await bp.getByLabel("指定年月日").fill("2026-06-01");
  await bp.getByLabel("指定有効期限").fill("2032-05-31");
  await bp.getByLabel("指定医番号").fill("27-S-0001");
  await bp.getByRole("button", { name: "登録してIDを発行" }).click();
  await bp.getByRole("heading", { name: "指定の追加完了" }).waitFor();
  const sheetB = bp.locator("section[aria-label='指定通知書（小慢指定医）']");
  const secretsB = (await sheetB.locator("td.secret").allTextContents()).map((t) => t.trim());
  expect(secretsB[0] === doctorId, `the same ID on the 小慢 notice, got ${secretsB[0]}`);
  expect(secretsB.length === 1, "no password on the added designation's notice");
  expect(await sheetB.getByText("27-S-0001").count() === 1, "the 小慢 指定医番号 on its notice");
  expect(await sheetB.getByText("大阪市").count() === 1, "the designating municipality on its notice");
  await bp.emulateMedia({ media: "print" });
  await shot(bp, "05b-shoman-notice-print-media");
  await bp.pdf({ path: path.join(shots, "05b-shoman-notice.pdf"), format: "A4", printBackground: true });
  // Each municipality sees its own designation of the doctor only.
  await bp.goto(`${config.base_url}/doctors/${doctorId}`);
  expect(await bp.getByRole("heading", { name: /小慢指定医/ }).count() === 1, "B sees its 小慢 designation");
  expect(await bp.getByRole("heading", { name: /^難病指定医/ }).count() === 0, "B does not see A's designation");
  await shot(bp, "05c-shoman-doctor-page");
  await muniB.close();
  say(`the second municipality added a 小慢 designation to ${doctorId}; its notice printed`);

  // ---- the doctor's first login (ID-4) on a PC of the hospital
  const doc = await context(browser, config.doctor_pc);
  const dp = await doc.newPage();
  await login(dp, doctorId, initialPassword);
  await dp.waitForURL(`${config.base_url}/setup`);
  await shot(dp, "06-first-login-email");
  await dp.getByLabel("メールアドレス").fill("doctor@example.jp");
  await dp.getByRole("button", { name: "登録して鍵ファイルを送信" }).click();
  await dp.getByText("暗号化鍵ファイルをメールで送信しました").waitFor();
  const mail = fs.readdirSync(config.mail_dir).filter((f) => f.endsWith(".json"))
    .map((f) => JSON.parse(fs.readFileSync(path.join(config.mail_dir, f), "utf8")))
    .find((m) => m.rcpt_tos.includes("doctor@example.jp"));
  expect(mail && mail.attachments.length === 1, "the key file mailed to the doctor");
  const keyFile = fs.readFileSync(path.join(config.mail_dir,
    fs.readdirSync(config.mail_dir).find((f) => f.endsWith(mail.attachments[0].file_name))), "utf8");
  expect(keyFile.includes("BEGIN NANBYO USER KEY") && keyFile.includes(`User-Id: ${doctorId}`),
    "the attachment is the doctor's key file");
  await shot(dp, "07-first-login-password");
  // Labels carry a 必須 badge, so these are found by the ids the labels point to.
  await dp.locator("#f-secret_question").fill("最初に飼ったペットの名前");
  await dp.locator("#f-secret_answer").fill("ぽち");
  await dp.locator("#f-new_password").fill(config.doctor_password);
  await dp.locator("#f-new_password_confirm").fill(config.doctor_password);
  await dp.getByRole("button", { name: "登録する" }).click();
  await dp.waitForURL(/\/\?welcome=1$/);
  const mine = dp.locator("table", { has: dp.locator("caption", { hasText: "あなたの指定" }) });
  expect(await mine.getByRole("cell", { name: "難病指定医" }).count() === 1, "the doctor's 難病 designation");
  expect(await mine.getByRole("cell", { name: "小慢指定医" }).count() === 1, "the doctor's 小慢 designation");
  await shot(dp, "07b-doctor-designations");
  await dp.getByRole("link", { name: "兼務先" }).first().click();
  await dp.getByRole("heading", { name: "兼務先の登録" }).waitFor();
  await shot(dp, "08-doctor-affiliations");
  say(`${doctorId} completed the first login; key file ${mail.attachments[0].file_name}`);

  // ---- the doctor is the hospital's first doctor, hence its 責任者 (ID-7): a clerk
  await dp.getByRole("link", { name: "利用者管理（責任者）" }).click();
  await dp.locator("#f-clerk-name").fill("事務 花子");
  await dp.locator("#f-clerk-kana").fill("ジム ハナコ");
  await dp.getByRole("button", { name: "登録してID・パスワードを発行" }).first().click();
  await dp.getByRole("heading", { name: "ID・パスワードの発行" }).waitFor();
  const clerkId = (await dp.locator("section[aria-label='IDPW発行通知書'] td.secret").first()
    .textContent()).trim();
  expect(/^C\d{7}$/.test(clerkId), `a C-ID for the clerk, got ${clerkId}`);
  await shot(dp, "09-clerk-idpw-notice");
  await dp.goto(`${config.base_url}/users`);
  expect(await dp.getByRole("cell", { name: clerkId }).count() === 1, "the clerk in the user list");
  await shot(dp, "10-hospital-users");
  say(`the doctor (責任者) created clerk ${clerkId}`);

  // ---- bulk registration with progress (ID-2)
  const csv = path.join(shots, "bulk.csv");
  fs.writeFileSync(csv, "氏名,氏名カナ,医籍登録番号,指定医種別,医療機関番号,医療機関名称,医療機関所在地,診療科,指定年月日,指定有効期限,指定医番号\r\n" +
    "佐藤 花子,サトウ ハナコ,700001,協力難病指定医,1310000001,千代田中央病院,東京都千代田区千代田1-1,小児科,2026-04-01,2031-03-31,13-0002\r\n" +
    "鈴木 次郎,スズキ ジロウ,,難病指定医,1310000001,千代田中央病院,東京都千代田区千代田1-1,内科,2026-04-01,2031-03-31,13-0003\r\n");
  await mp.goto(`${config.base_url}/imports/new`);
  await mp.getByLabel("登録用ファイル").setInputFiles(csv);
  await mp.getByRole("button", { name: "アップロードして登録" }).click();
  await mp.waitForURL(/\/imports\/[0-9a-f]+$/);
  expect((await mp.locator("#count-issued").textContent()).startsWith("1"), "one row issued");
  expect((await mp.locator("#count-invalid").textContent()).startsWith("1"), "one row invalid");
  await shot(mp, "11-bulk-result");
  say("bulk registration: 1 issued, 1 invalid with its line shown");

  // ---- transfer-out (ID-6) of the doctor registered in bulk
  await mp.goto(`${config.base_url}/doctors`);
  const bulkId = (await mp.getByRole("row", { name: /佐藤 花子/ }).getByRole("link").textContent()).trim();
  await mp.goto(`${config.base_url}/doctors/${bulkId}`);
  await mp.getByRole("button", { name: "転出として指定を終了する" }).click();
  await mp.waitForURL(/\/doctors\?done=transfer$/);
  expect(await mp.getByRole("link", { name: bulkId }).count() === 0, "the transferred doctor is gone");
  await shot(mp, "12-after-transfer-out");
  say(`transfer-out of ${bulkId}`);

  // ---- validity extension (ID-5): the doctor's open session ends (S-8)
  await mp.goto(`${config.base_url}/doctors/${doctorId}`);
  await mp.getByLabel("新しい指定有効期限").fill("2036-03-31");
  await mp.getByRole("button", { name: "有効期限を延長する" }).click();
  await mp.getByText("有効期限を延長しました").waitFor();
  expect(await mp.getByText("ゲートウェイの接続も切断しました").count() > 0, "the gateway was told");
  await shot(mp, "13-extension-done");
  await dp.getByRole("link", { name: "兼務先" }).first().click();
  await dp.waitForURL(/\/login\?expired=1$/);
  await dp.getByText("ログアウトされました").waitFor();
  await shot(dp, "14-doctor-forced-to-login");
  say("the doctor's open browser was sent back to the login page");

  // The next login repeats the key steps of ID-4 (a new key file).
  await new Promise((r) => setTimeout(r, 1200)); // a session of the revocation's second counts as revoked
  await login(dp, doctorId, config.doctor_password);
  await dp.waitForURL(`${config.base_url}/setup`);
  await shot(dp, "15-after-extension-setup");
  say("the next login asks for the e-mail and key file again");

  await muni.close();
  await doc.close();
  console.log(JSON.stringify({ doctor_id: doctorId }));
} finally {
  await browser.close();
}
