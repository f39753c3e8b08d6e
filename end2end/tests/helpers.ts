import AxeBuilder from "@axe-core/playwright";
import { Browser, BrowserContext, expect, Page, test as base, TestInfo } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { deflateSync } from "node:zlib";

export const DEMO_PASSWORD = "linli1234";

/** A phone number no other test run has used. */
export function freshPhone(): string {
  return "137" + String(Date.now() % 100_000_000).padStart(8, "0");
}

export function jsOn(info: TestInfo): boolean {
  return info.project.name === "js";
}

/** With JavaScript on, wait until the page has hydrated (the locate button only renders then),
 * then check the page with axe-core: no serious or critical accessibility violation. (axe runs
 * as a script in the page, so not where JavaScript is off; the server sends the same markup.) */
export async function ready(page: Page, info: TestInfo) {
  await page.waitForLoadState("networkidle");
  if (jsOn(info)) {
    await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
    // The app's title never goes empty (the shell keeps 邻里 under every page's own title);
    // this fails if that ever regresses, as it once did between a click and the new page's code.
    await expect(page).toHaveTitle(/\S/);
    await accessible(page);
  }
}

/** axe-core's WCAG 2.1 A/AA rules on the page as it is now; fails on a serious or critical
 * violation and names each one (rule, what it says, the offending elements). */
export async function accessible(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const report = bad.map((v) => `${v.id} (${v.impact}): ${v.help}\n` + v.nodes.slice(0, 5).map((n) => `    ${n.target.join(" ")}: ${n.failureSummary?.split("\n").slice(1).join(" ")}`).join("\n"));
  expect(report, `axe on ${page.url()}`).toEqual([]);
}

export async function login(page: Page, info: TestInfo, phone: string, password = DEMO_PASSWORD, next = "/me") {
  await page.goto(`/login?next=${next}`);
  await ready(page, info);
  await page.getByLabel("手机号").fill(phone);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: "登录" }).click();
}

/** The contexts `newPerson` opened during the current test. */
const people: BrowserContext[] = [];

/** A page in a browser context of its own (its own cookies): another person on another phone.
 * (axe needs a context it may open pages in, which `browser.newPage()` does not give.) */
export async function newPerson(browser: Browser, info: TestInfo): Promise<Page> {
  const context = await browser.newContext({ ...info.project.use });
  people.push(context);
  return context.newPage();
}

/** Playwright's `test`, closing after each test the people it opened. The worker's browser
 * outlives a test, so without this every page a test left open kept its live streams (order
 * status, the bell, a live room) connected for the rest of the suite, and a demo resident
 * used by many tests reached the server's cap on streams per account — a later test's page
 * then never heard its news. */
export const test = base.extend<{ closePeople: void }>({
  closePeople: [
    async ({}, use) => {
      await use();
      for (const context of people.splice(0)) await context.close();
    },
    { auto: true },
  ],
});

/** A signed-in page in its own browser context (its own cookies), as one person. */
export async function personPage(browser: Browser, info: TestInfo, phone: string, next = "/me"): Promise<Page> {
  const page = await newPerson(browser, info);
  await login(page, info, phone, DEMO_PASSWORD, next);
  // The login page's own URL ends with `next` too: wait for the path itself.
  await expect(page).toHaveURL((url) => url.pathname === next.split("?")[0]);
  return page;
}

/** Runs one SQL statement on the test server's SQLite file (start-server.sh puts it in
 * .state/), for what a test cannot wait for: a deadline passing, a delivery slot opening. */
export function sql(statement: string) {
  const db = process.env.E2E_DB ?? ".state/e2e.db";
  execFileSync("python3", ["-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()", db, statement]);
}

/** Schedules a session on the form at /admin/live/new with the form's first product; returns
 * the session's id and the product's name. */
export async function scheduleLive(manager: Page, title: string): Promise<{ id: number; product: string }> {
  await manager.goto("/admin/live/new");
  await manager.getByLabel("标题（最多30个字）").fill(title);
  const row = manager.locator(".live-pick-row").first();
  const product = (await row.locator(".choice > span").innerText()).split(" ")[0];
  await row.getByRole("checkbox").check();
  await row.getByLabel("直播价（元）").fill("0.99");
  await row.getByLabel("留几件").fill("3");
  await row.getByLabel("每人限购").fill("2");
  await manager.getByRole("button", { name: "安排直播" }).click();
  await expect(manager).toHaveURL(/\/admin\/live\/\d+$/);
  return { id: Number(new URL(manager.url()).pathname.split("/").pop()), product };
}

/** A real PNG (a gradient), made here so the test needs no picture files. */
export function png(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const rows = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      row[1 + x * 3] = 40 + Math.floor((x / width) * 120);
      row[2 + x * 3] = 150 + Math.floor((y / height) * 80);
      row[3 + x * 3] = 60;
    }
    rows.push(row);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk("IHDR", ihdr), chunk("IDAT", deflateSync(Buffer.concat(rows))), chunk("IEND", Buffer.alloc(0))]);
}

/** Registers a fresh resident (称呼 `name`) from the sign-up page and lands on `next`. */
export async function signUp(page: Page, info: TestInfo, next: string, name = "下单测试") {
  const phone = freshPhone();
  await page.goto(`/register?next=${next}`);
  await ready(page, info);
  await page.getByLabel("手机号").fill(phone);
  await page.getByLabel("称呼").fill(name);
  await page.getByLabel("密码").fill("fresh-veg-2026");
  await page.getByRole("button", { name: "注册" }).click();
  return phone;
}
