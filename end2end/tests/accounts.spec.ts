import { expect } from "@playwright/test";
import { freshPhone, login, ready, test } from "./helpers";

test("a resident signs up, lands on 我的, logs out and logs in again", async ({ page }, info) => {
  const phone = freshPhone();
  await page.goto("/register?next=/me");
  await ready(page, info);
  await page.getByLabel("手机号").fill(phone);
  await page.getByLabel("称呼").fill("测试阿姨");
  await page.getByLabel("密码").fill("fresh-veg-2026");
  await page.getByRole("button", { name: "注册" }).click();
  await expect(page).toHaveURL(/\/me$/);
  await expect(page.getByRole("heading", { name: "测试阿姨" })).toBeVisible();
  await expect(page.getByText(phone.slice(0, 3) + "****" + phone.slice(7))).toBeVisible();
  await expect(page.getByText("¥0")).toBeVisible();

  await page.getByRole("button", { name: "退出登录" }).click();
  await page.goto("/me");
  await expect(page.getByRole("link", { name: "登录" })).toBeVisible();

  await login(page, info, phone, "fresh-veg-2026");
  await expect(page).toHaveURL(/\/me$/);
  await expect(page.getByRole("heading", { name: "测试阿姨" })).toBeVisible();
});

test("a mistyped number gets a message under the field and keeps what was typed", async ({ page }, info) => {
  await page.goto("/register");
  await ready(page, info);
  await page.getByLabel("手机号").fill("1380000");
  await page.getByLabel("称呼").fill("王阿姨");
  await page.getByLabel("密码").fill("fresh-veg-2026");
  await page.getByRole("button", { name: "注册" }).click();
  await expect(page.getByText("手机号应为11位数字")).toBeVisible();
  await expect(page.getByLabel("手机号")).toHaveValue("1380000");
  await expect(page.getByLabel("称呼")).toHaveValue("王阿姨");
});

test("a sign-up with everything wrong marks every field at once", async ({ page }, info) => {
  await page.goto("/register");
  await ready(page, info);
  await page.getByLabel("手机号").fill("1380");
  await page.getByRole("button", { name: "注册" }).click();
  await expect(page.getByText("手机号应为11位数字")).toBeVisible();
  await expect(page.locator("#name-error")).toBeVisible();
  await expect(page.locator("#password-error")).toContainText("密码至少8位");
  await expect(page.locator("#phone-error")).toBeInViewport();
  await expect(page.getByLabel("手机号")).toHaveValue("1380");
});

test("a wrong password is refused in plain Chinese", async ({ page }, info) => {
  await login(page, info, "13800000003", "not-the-password");
  await expect(page.getByText("手机号或密码不对")).toBeVisible();
  await expect(page.getByLabel("手机号")).toHaveValue("13800000003");
});

test("staff reach the back office and see only their own store", async ({ page }, info) => {
  await login(page, info, "13900000022");
  await expect(page).toHaveURL(/\/me$/);
  await page.getByRole("link", { name: "门店后台" }).click();
  await expect(page.getByRole("heading", { name: "你负责的门店" })).toBeVisible();
  await expect(page.locator(".overview-card")).toHaveCount(1);
  await expect(page.locator(".overview-card")).toContainText("绿源生活·古墩路店");
  await page.screenshot({ path: `test-results/office-${info.project.name}.png` });
});
