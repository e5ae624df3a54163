// Browser half of tests/integration/test_web.py: drives Debian's chromium (headless, via
// playwright-core, no downloaded browser) through the lianfang dashboard and saves a
// screenshot of each page. Input in the environment (set by test_web.py):
//   LF_URL, LF_LOGIN, LF_PASSWORD, LF_ARTIFACTS, LF_UPLOAD_FILE, LF_AGENCY_UPLOAD (the
//   agency id the browser uploads for), LF_EXPECT (JSON: names and figures to look for).
// Prints "ok N" and exits 0, or prints every failed check and exits 1.
import { chromium } from "playwright-core";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const env = process.env;
const URL0 = env.LF_URL.replace(/\/$/, "");
const ART = env.LF_ARTIFACTS;
const EXP = JSON.parse(env.LF_EXPECT);
let failures = 0, passed = 0;
const problems = [];

function check(cond, what, detail) {
  if (cond) { passed++; return; }
  failures++;
  console.log(`FAIL: ${what}${detail !== undefined ? "\n  " + JSON.stringify(detail) : ""}`);
}

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true,
                                        args: ["--no-sandbox", "--lang=zh-TW"] });
const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "zh-TW", acceptDownloads: true });
const page = await ctx.newPage();
// JavaScript errors and CSP violations fail the run; failed requests the test provokes
// itself (wrong password 401, the /me probe before login) are logged by chromium as
// "Failed to load resource" and are not page errors
page.on("console", (m) => {
  if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) problems.push("console: " + m.text());
});
page.on("response", (r) => { if (r.status() === 404) problems.push("404: " + r.url()); });
page.on("pageerror", (e) => problems.push("page error: " + e.message));

async function shot(name) {
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: join(ART, name + ".png"), fullPage: true });
}
async function heading() { return (await page.locator("h1").first().textContent()).trim(); }
async function loaded() { await page.waitForFunction(() => !document.getElementById("main").hasAttribute("aria-busy")); }
// every form control has a label (its own <label for>, aria-label or aria-labelledby)
async function allLabelled(where) {
  const bad = await page.evaluate(() => [...document.querySelectorAll("input, select, textarea, button")]
    .filter((e) => !e.hidden && e.type !== "hidden")
    .filter((e) => !(e.labels && e.labels.length) && !e.getAttribute("aria-label") && !e.getAttribute("aria-labelledby") &&
                   !(e.tagName === "BUTTON" && e.textContent.trim()))
    .map((e) => e.outerHTML.slice(0, 80)));
  check(bad.length === 0, `${where}: every control has a label`, bad);
}
async function csvOf(buttonSelector) {
  const [dl] = await Promise.all([page.waitForEvent("download"), page.click(buttonSelector)]);
  const path = join(ART, dl.suggestedFilename());
  await dl.saveAs(path);
  return readFileSync(path);
}

try {
  // ---- login (the root redirects to /ui/, which shows the login form)
  await page.goto(URL0 + "/");
  await page.waitForSelector("#login-form");
  check(page.url().startsWith(URL0 + "/ui/"), "/ redirects to /ui/", page.url());
  check(await heading() === "登入", "Traditional Chinese by default", await heading());
  await allLabelled("login");
  // keyboard: the login field has the focus, Tab walks login -> password -> submit, and
  // Shift+Tab from the login field goes back into the header (language switch)
  const focusId = () => page.evaluate(() => document.activeElement.id || document.activeElement.tagName);
  check(await focusId() === "f-login", "login field focused", await focusId());
  await page.keyboard.press("Tab");
  check(await focusId() === "f-password", "Tab to the password", await focusId());
  await page.keyboard.press("Tab");
  check(await focusId() === "BUTTON", "Tab to the submit button", await focusId());
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Shift+Tab");
  check(await focusId() === "lang", "Shift+Tab back to the language switch", await focusId());
  await page.focus("#f-login");
  await shot("01-login");
  await page.fill("#f-login", env.LF_LOGIN);
  await page.fill("#f-password", "wrong-password");
  await page.keyboard.press("Enter");
  await page.waitForSelector("#login-msg .msg");
  check((await page.textContent("#login-msg")).includes("錯誤"), "wrong password is told", await page.textContent("#login-msg"));
  await page.fill("#f-password", env.LF_PASSWORD);
  await page.keyboard.press("Enter");   // the form submits from the keyboard

  // ---- national overview -> region -> county -> agency
  await page.waitForSelector("#overview-table");
  await loaded();
  check((await heading()).includes(EXP.national_zh), "national overview heading", await heading());
  const nrows = await page.locator("#overview-table tbody tr:not(.total)").count();
  check(nrows === EXP.regions, "one row per region", nrows);
  await allLabelled("overview");
  // intelligence shared per county this year (ISAC counters): 22 counties, below 20 highlighted
  const irows = await page.locator("#isac-table tbody tr").count();
  check(irows === 22, "ISAC counters: one row per county", irows);
  const lowShared = await page.locator("#isac-table tbody td.over").count();
  check(lowShared === 22, "no county has shared 20 items yet: every row highlighted", lowShared);
  await shot("02-overview-national");
  await page.click(`#overview-table a:text-is("${EXP.region_zh}")`);
  // the title is "NAME 總覽": wait for this page's, not a title that merely contains the name
  // (the county 臺北市 is inside its region's 臺北市區域聯防中心, so includes() passed on the old page)
  await page.waitForFunction((n) => (document.querySelector("h1") || { textContent: "" }).textContent.startsWith(n + " "), EXP.region_zh);
  await loaded();
  await shot("03-overview-region");
  await page.click(`#overview-table a:text-is("${EXP.county_zh}")`);
  await page.waitForFunction((n) => (document.querySelector("h1") || { textContent: "" }).textContent.startsWith(n + " "), EXP.county_zh);
  await loaded();
  const countyRows = await page.locator("#overview-table tbody tr:not(.total)").count();
  check(countyRows === EXP.county_agencies, "county: one row per agency", countyRows);
  // the 30 % limit: the county's B-level share is above it, so its cell is highlighted
  const over = await page.locator("#overview-table tr.total td.over").count();
  check(over === 1, "B-level share above 30 % highlighted in the total row", over);
  const agencyRowOver = await page.locator(`#overview-table tr:has(a:text-is("${EXP.agency_zh}")) td.over`).count();
  check(agencyRowOver === 1, "the late agency's row is highlighted", agencyRowOver);
  const medianCell = await page.locator("#overview-table tr.total td").nth(11).textContent();
  check(medianCell.trim() === EXP.median, "median days to fix shown", medianCell);
  await shot("04-overview-county");

  // ---- CSV export of the county table: BOM, header, one line per row + total
  const csv = await csvOf('[data-export="overview-table"]');
  check(csv[0] === 0xef && csv[1] === 0xbb && csv[2] === 0xbf, "CSV starts with the UTF-8 BOM", [...csv.slice(0, 3)]);
  const lines = csv.toString("utf8").replace(/^\uFEFF/, "").trimEnd().split("\r\n");
  check(lines.length === 1 + EXP.county_agencies + 1, "CSV: header + rows + total", lines.length);
  check(lines[0].startsWith("單位,機關數,"), "CSV header", lines[0]);
  check(lines.some((l) => l.startsWith(EXP.agency_zh + ",")), "CSV has the agency row", lines);

  await page.click(`#overview-table a:text-is("${EXP.agency_zh}")`);
  await page.waitForSelector("#hosts-table");
  await loaded();
  const hostRows = await page.locator("#hosts-table tbody tr").count();
  check(hostRows === EXP.agency_hosts, "agency page lists its hosts", hostRows);
  await shot("05-agency");

  // ---- host -> finding
  await page.click(`#hosts-table a:text-is("${EXP.host}")`);
  await page.waitForSelector("#findings-table");
  await loaded();
  const frows = await page.locator("#findings-table tbody tr").count();
  check(frows === EXP.host_findings, "host page lists the host's findings", frows);
  await shot("06-host");
  await page.click(`#findings-table a:text-is("${EXP.cve}")`);
  await page.waitForSelector("#finding-state");
  await loaded();
  // fix links come first: the first section after the heading is the fix section
  const firstSection = await page.evaluate(() => document.querySelector("main section").id);
  check(firstSection === "fix", "fix links are the first section", firstSection);
  const fixLinks = await page.locator("#fix ul.fixlinks a").count();
  check(fixLinks >= 1, "vendor fix links shown", fixLinks);
  check((await page.textContent("#kev")).includes("已列入 KEV"), "KEV status shown", await page.textContent("#kev"));
  check((await page.locator("#cvss table tbody tr").count()) >= 8, "CVSS vector explained metric by metric");
  check((await page.textContent("#cvss")).includes("攻擊途徑"), "vector metric names in Chinese");
  await allLabelled("finding");
  await shot("07-finding");

  // ---- a reloaded page without the tab's stored token (what a new tab is): GET /me gives
  // the session's CSRF token back, so the action below works without logging in again
  await page.evaluate(() => sessionStorage.clear());
  await page.reload();
  await page.waitForSelector("#finding-state");
  await loaded();
  check(await page.evaluate(() => !!sessionStorage.getItem("lf_csrf")), "CSRF token restored from /me after a reload");

  // ---- file a measure: state changes, history grows
  const histBefore = await page.locator("#history-table tbody tr").count();
  await page.fill("#m-text", "更新 Chrome 至最新版本並停用舊版");
  await page.fill("#m-date", EXP.planned);
  await page.click("#act-measure button[type=submit]");
  await page.waitForSelector('#finding-state[data-state="measure_filed"]');
  await loaded();
  check((await page.textContent("#finding-state")).trim() === "已提報措施", "state shown as measure filed");
  const histAfter = await page.locator("#history-table tbody tr").count();
  check(histAfter === histBefore + 1, "history has the transition", [histBefore, histAfter]);
  check((await page.textContent("main")).includes(EXP.planned), "planned date shown");
  await shot("08-finding-measure-filed");

  // ---- upload: drag and drop a Big5 CSV, progress bar, processing, report
  await page.goto(`${URL0}/ui/#/upload/${env.LF_AGENCY_UPLOAD}`);
  await page.waitForSelector("#drop");
  await allLabelled("upload");
  const bytes = readFileSync(env.LF_UPLOAD_FILE).toString("base64");
  const name = env.LF_UPLOAD_FILE.split("/").pop();
  const dt = await page.evaluateHandle(([b64, n]) => {
    const bin = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const d = new DataTransfer();
    d.items.add(new File([bin], n, { type: "text/csv" }));
    return d;
  }, [bytes, name]);
  await page.dispatchEvent("#drop", "dragenter", { dataTransfer: dt });
  await page.dispatchEvent("#drop", "drop", { dataTransfer: dt });
  check((await page.textContent("#up-name")).includes(name), "dropped file is chosen", await page.textContent("#up-name"));
  // slow the upload down so the progress bar is seen moving
  const cdp = await ctx.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 20, downloadThroughput: -1,
                                                       uploadThroughput: EXP.upload_bps });
  await page.click("#up-start");
  await page.waitForFunction(() => { const p = document.getElementById("up-progress"); return p && !p.hidden && p.value > 0; });
  await page.screenshot({ path: join(ART, "09-upload-progress.png"), fullPage: true });
  await page.waitForSelector("#upload-report", { timeout: 120000 });
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  const phases = await page.getAttribute("#upload", "data-phases");
  check(phases === "uploading,processing,done", "upload went through uploading, processing, done", phases);
  const rej = await page.locator("#rejected-table tbody tr").count();
  check(rej === EXP.upload_rejected, "rejected rows listed", rej);
  const rejLine = (await page.locator("#rejected-table tbody tr th").first().textContent()).trim();
  check(rejLine === String(EXP.upload_rejected_line), "rejected row has its line number", rejLine);
  check((await page.locator("#unresolved-table tbody tr").count()) >= 1, "unresolved reasons listed");
  const urows = await page.locator("#unresolved-rows-table tbody tr").count();
  check(urows >= 1, "unresolved records listed with their line", urows);
  const firstLine = (await page.locator("#unresolved-rows-table tbody tr th").first().textContent()).trim();
  check(/^[0-9,]+$/.test(firstLine), "an unresolved record has its line number", firstLine);
  check((await page.textContent("#upload-report .msg")).includes(`${EXP.upload_records} 筆紀錄`), "report counts",
        await page.textContent("#upload-report .msg"));
  await shot("10-upload-report");

  // ---- trends and the printable report
  await page.goto(`${URL0}/ui/#/trends/${EXP.county_id}`);
  await page.waitForSelector("svg.chart");
  await loaded();
  check((await page.locator("svg.chart").count()) === 3, "three trend charts");
  await shot("11-trends");
  await page.goto(`${URL0}/ui/#/report/${EXP.county_id}`);
  await page.waitForSelector("#report-table");
  await loaded();
  await shot("12-report");
  await page.emulateMedia({ media: "print" });
  await page.screenshot({ path: join(ART, "13-report-print.png"), fullPage: true });
  await page.pdf({ path: join(ART, "report.pdf"), format: "A4", printBackground: true });
  await page.emulateMedia({ media: "screen" });

  // ---- English
  await page.goto(`${URL0}/ui/#/overview/${EXP.county_id}`);
  await page.waitForSelector("#overview-table");
  await page.click("#lang");
  await page.waitForFunction(() => (document.querySelector("h1") || { textContent: "" }).textContent.includes("overview"));
  await loaded();
  check((await heading()) === EXP.county_en + ": overview", "English heading", await heading());
  check(await page.getAttribute("html", "lang") === "en", "html lang follows the switch");
  check((await page.textContent("#overview-table thead")).includes("Median days to fix"), "English column names");
  await shot("14-overview-english");
  await page.click("#lang");
  await page.waitForFunction(() => (document.querySelector("h1") || { textContent: "" }).textContent.includes("總覽"));

  // ---- phone width: nothing wider than the screen but the scrollable tables
  await page.setViewportSize({ width: 390, height: 844 });
  for (const [hash, name] of [[`#/overview/${EXP.county_id}`, "15-phone-overview"], [`#/finding/${EXP.finding_id}`, "16-phone-finding"],
                              [`#/upload/${env.LF_AGENCY_UPLOAD}`, "17-phone-upload"]]) {
    await page.goto(`${URL0}/ui/${hash}`);
    await page.waitForSelector("main h1");
    await loaded();
    const w = await page.evaluate(() => document.documentElement.scrollWidth);
    check(w <= 390, `${name}: page fits 390 px`, w);
    await shot(name);
  }
  await page.setViewportSize({ width: 1280, height: 800 });

  // ---- logout
  await page.click("#logout");
  await page.waitForSelector("#login-form");
  const me = await page.evaluate(async () => (await fetch("/api/v1/me")).status);
  check(me === 401, "logged out: the session is gone", me);
  check(problems.length === 0, "no console errors or CSP violations", problems);
} catch (e) {
  check(false, "browser run", String(e && e.stack || e));
  try { await page.screenshot({ path: join(ART, "99-failure.png"), fullPage: true }); } catch (_) { /* best effort */ }
}
await browser.close();
writeFileSync(join(ART, "result.txt"), `passed ${passed}, failed ${failures}\n`);
console.log(failures ? `failed ${failures} of ${passed + failures}` : `ok ${passed}`);
process.exit(failures ? 1 : 0);
