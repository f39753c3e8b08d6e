import { Browser, expect, Page, TestInfo } from "@playwright/test";

export const DEMO_PASSWORD = "linli1234";

/** A phone number no other test run has used. */
export function freshPhone(): string {
  return "137" + String(Date.now() % 100_000_000).padStart(8, "0");
}

export function jsOn(info: TestInfo): boolean {
  return info.project.name === "js";
}

/** With JavaScript on, wait until the page has hydrated (the locate button only renders then). */
export async function ready(page: Page, info: TestInfo) {
  await page.waitForLoadState("networkidle");
  if (jsOn(info)) {
    await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  }
}

export async function login(page: Page, info: TestInfo, phone: string, password = DEMO_PASSWORD, next = "/me") {
  await page.goto(`/login?next=${next}`);
  await ready(page, info);
  await page.getByLabel("手机号").fill(phone);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: "登录" }).click();
}

/** A signed-in page in its own browser context (its own cookies), as one person. */
export async function personPage(browser: Browser, info: TestInfo, phone: string, next = "/me"): Promise<Page> {
  const context = await browser.newContext({ ...info.project.use });
  const page = await context.newPage();
  await login(page, info, phone, DEMO_PASSWORD, next);
  // The login page's own URL ends with `next` too: wait for the path itself.
  await expect(page).toHaveURL((url) => url.pathname === next.split("?")[0]);
  return page;
}
