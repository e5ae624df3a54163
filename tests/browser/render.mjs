// Page-render timing for bench/bench_overview.py: log in through the form, then time the
// national overview from navigation until its table is drawn, best and median of N runs.
// usage: node render.mjs URL LOGIN PASSWORD ORG RUNS
import { chromium } from "playwright-core";

const [url, login, password, org, runs] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: ["--no-sandbox"] });
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
await page.goto(url.replace(/\/$/, "") + "/ui/");
await page.waitForSelector("#login-form");
await page.fill("#f-login", login);
await page.fill("#f-password", password);
await page.click("#login-form button[type=submit]");
await page.waitForSelector("#overview-table");
const times = [];
for (let i = 0; i < Number(runs); i++) {
  await page.goto("about:blank");
  const t0 = performance.now();
  await page.goto(`${url.replace(/\/$/, "")}/ui/#/overview/${org}`);
  await page.waitForSelector("#overview-table");
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
console.log(`page render overview national   best ${times[0].toFixed(1)} ms  median ${times[Math.floor(times.length / 2)].toFixed(1)} ms` +
            " (navigation to table drawn, chromium headless)");
await browser.close();
