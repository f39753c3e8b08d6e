import { expect } from "@playwright/test";
import { freshPhone, jsOn, newPerson, personPage, ready, test } from "./helpers";

const OWNER = "13900000000";

test("the owner invites a new staff member, who sets a password and is at work; deactivated, they are out at once", async ({ browser }, info) => {
  const phone = freshPhone();
  const name = jsOn(info) ? "小周" : "小吴";
  const owner = await personPage(browser, info, OWNER, "/admin/team");
  await ready(owner, info);

  // A mistyped number is refused and what was typed stays.
  await owner.getByLabel("手机号").fill(phone.slice(0, 8));
  await owner.getByLabel("称呼").fill(name);
  await owner.getByRole("button", { name: "生成邀请链接" }).click();
  await ready(owner, info);
  await expect(owner.locator("#phone-error")).toContainText("11位");
  await expect(owner.getByLabel("称呼")).toHaveValue(name);

  await owner.getByLabel("手机号").fill(phone);
  await owner.getByLabel("岗位").selectOption({ label: "店员" });
  await owner.getByRole("button", { name: "生成邀请链接" }).click();
  const link = owner.locator("input.invite-link");
  await expect(link).toBeVisible();
  const url = await link.inputValue();
  expect(url).toContain("/join/");
  await ready(owner, info);
  // Beside the link: its QR code for someone standing at the counter, and (with JavaScript)
  // 复制链接 for WeChat.
  await expect(owner.locator(".invite-qr svg")).toBeVisible();
  if (jsOn(info)) {
    await owner.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    await owner.getByRole("button", { name: "复制链接" }).click();
    await expect(owner.getByRole("button", { name: "已复制" })).toBeVisible();
    expect(await owner.evaluate(() => navigator.clipboard.readText())).toBe(url);
  } else {
    await expect(owner.getByRole("button", { name: "复制链接" })).toBeHidden();
  }
  await owner.screenshot({ path: `test-results/team-${info.project.name}.png`, fullPage: true });

  // The newcomer opens the link on their own phone.
  const newcomer = await newPerson(browser, info);
  await newcomer.goto(new URL(url).pathname);
  await ready(newcomer, info);
  await expect(newcomer.locator("main")).toContainText("邀请你加入");
  await expect(newcomer.locator("main")).toContainText("店员");
  await newcomer.screenshot({ path: `test-results/join-${info.project.name}.png` });
  await newcomer.getByLabel(/设置密码/).fill("short");
  await newcomer.getByRole("button", { name: "设置密码并加入" }).click();
  await ready(newcomer, info);
  await expect(newcomer.locator("#password-error")).toContainText("至少8位");
  await newcomer.getByLabel(/设置密码/).fill("zhou12345");
  await newcomer.getByRole("button", { name: "设置密码并加入" }).click();
  await expect(newcomer).toHaveURL((u) => u.pathname === "/admin");
  await ready(newcomer, info);

  // The owner sees them on the team and deactivates the account.
  await owner.goto("/admin/team");
  await ready(owner, info);
  const row = owner.locator(".team-row", { hasText: phone });
  await expect(row).toContainText(name);
  await row.getByRole("button", { name: "停用账号" }).click();
  await ready(owner, info);
  await expect(owner.locator(".team-row", { hasText: phone })).toContainText("已停用");

  // The newcomer's next page asks them to log in again.
  await newcomer.goto("/admin/orders");
  await expect(newcomer).toHaveURL((u) => u.pathname === "/login");
});
