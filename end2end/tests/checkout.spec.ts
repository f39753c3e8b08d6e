import { expect, Page, TestInfo } from "@playwright/test";
import { freshPhone, personPage, ready, signUp, test } from "./helpers";

/** Taps + on the first card of the shelf that is in stock and waits for the stepper to say `qty`. */
async function addFirstInStock(page: Page, info: TestInfo, qty: number) {
  const card = page.locator(".product-grid .product-card:not(.sold-out)").first();
  await card.locator(".step-plus").click();
  await ready(page, info);
  await expect(page.locator(".product-grid .product-card:not(.sold-out)").first().locator(".stepper")).toHaveAttribute("data-qty", String(qty));
}

test("choose a store, add to the cart, check out for pickup and get a code with its QR", async ({ page }, info) => {
  await signUp(page, info, "/stores");
  await expect(page.getByRole("heading", { name: "选择门店" })).toBeVisible();
  await ready(page, info);
  await page.getByRole("button", { name: /绿源生活·庆春路店/ }).click();
  await expect(page.getByRole("heading", { name: "绿源生活·庆春路店" })).toBeVisible();
  await ready(page, info);

  await addFirstInStock(page, info, 1);
  await addFirstInStock(page, info, 2);
  const bar = page.locator(".cart-bar");
  await expect(bar).toContainText("共2件");
  await bar.getByRole("link", { name: "去结算" }).click();

  await expect(page.getByRole("heading", { name: "购物车" })).toBeVisible();
  await ready(page, info);
  await expect(page.locator(".cart-line")).toHaveCount(1);
  await page.locator(".checkout-bar").getByRole("link", { name: "去结算" }).click();

  await expect(page.getByRole("heading", { name: "确认订单" })).toBeVisible();
  await ready(page, info);
  // 庆春路店 takes ¥5 off pickup orders of ¥30 or more: its own line in the summary, or how
  // much more would earn it.
  await expect(page.locator(".summary-lines")).toContainText("自提满¥30减¥5");
  await expect(page.getByRole("radio", { name: "到店付款" })).toBeChecked(); // a new wallet is empty
  await page.getByLabel("给门店留言").fill("切块，不要香菜");
  await page.getByRole("button", { name: "提交订单" }).click();

  await expect(page).toHaveURL(/\/orders\/\d+$/);
  await ready(page, info);
  await expect(page.locator(".status-big")).toHaveText("待接单");
  await expect(page.locator(".pickup-code")).toHaveText(/^\d\d \d\d \d\d$/);
  await expect(page.locator(".qr svg")).toBeVisible();
  await expect(page.getByText("切块，不要香菜")).toBeVisible();
  await page.screenshot({ path: `test-results/order-${info.project.name}.png`, fullPage: true });

  // The order is in 订单, and the cart is empty again.
  await page.goto("/orders");
  await ready(page, info);
  await expect(page.locator(".order-card").first()).toContainText("待接单");
  await page.goto("/cart");
  await expect(page.getByText("购物车还是空的")).toBeVisible();

  // Cancelling before the store starts: the code disappears and the status says so.
  await page.goto("/orders");
  await ready(page, info);
  await page.locator(".order-card-link").first().click();
  await ready(page, info);
  await page.locator("summary", { hasText: "取消订单" }).click();
  await expect(page.locator(".ask-first-question")).toContainText("就不给您留了");
  await page.getByRole("button", { name: "确定取消" }).click();
  await expect(page.locator(".status-big")).toHaveText("已取消");
  await expect(page.locator(".pickup-code")).toHaveCount(0);
  // Nothing was paid and nothing is due: no 应付 in the price colour.
  await expect(page.locator(".summary-lines")).toContainText("没有付过款，也不用再付");
  await expect(page.locator(".summary-lines")).not.toContainText("应付");
});

test("a cancelled order paid from the wallet says where the money went", async ({ browser }, info) => {
  const page = await personPage(browser, info, "13800000003", "/"); // 张女士, ¥200 in her wallet
  await ready(page, info);
  await page.locator(".product-grid .product-card:not(.sold-out)").first().locator(".step-plus").click();
  await expect(page.locator(".cart-bar")).toBeVisible();
  await page.goto("/checkout");
  await ready(page, info);
  await page.getByRole("radio", { name: /储值余额/ }).check();
  await page.getByRole("button", { name: "提交订单" }).click();
  await expect(page).toHaveURL(/\/orders\/\d+$/);
  await ready(page, info);
  await expect(page.locator(".summary-total")).toContainText("实付");
  // What to do now, for this status: wait for the store (and it may still be cancelled).
  await expect(page.locator(".what-next")).toContainText("等门店接单");
  // Cancelling asks first and says where the money goes; only the second tap cancels.
  await page.locator("summary", { hasText: "取消订单" }).click();
  await expect(page.locator(".ask-first-question")).toContainText(/¥[\d.]+马上退回储值余额/);
  await expect(page.locator(".status-big")).not.toHaveText("已取消");
  await page.getByRole("button", { name: "确定取消" }).click();
  await expect(page.locator(".status-big")).toHaveText("已取消");
  await ready(page, info);
  await expect(page.locator(".summary-lines .refunded")).toContainText(/已退款\s*¥[\d.]+ · 退回储值余额/);
  await expect(page.locator(".summary-lines")).not.toContainText("应付");
  await page.screenshot({ path: `test-results/order-refunded-${info.project.name}.png`, fullPage: true });
});

test("a guest's cart is still there after logging in", async ({ page, request }, info) => {
  const phone = freshPhone();
  const r = await request.post("/api/v1/auth/register", {
    data: { phone, password: "fresh-veg-2026", name: "访客转会员" },
    headers: { "X-Requested-With": "linli" },
  });
  expect(r.status()).toBe(201);

  await page.goto("/");
  await ready(page, info);
  await addFirstInStock(page, info, 1);
  await page.goto("/cart");
  await ready(page, info);
  await expect(page.getByText("登录后就能下单，购物车会保留")).toBeVisible();
  const name = await page.locator(".cart-line-name").first().innerText();

  await page.goto("/login?next=/cart");
  await ready(page, info);
  await page.getByLabel("手机号").fill(phone);
  await page.getByLabel("密码").fill("fresh-veg-2026");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(/\/cart$/);
  await ready(page, info);
  await expect(page.locator(".cart-line-name").first()).toHaveText(name);
  await expect(page.getByText("登录后就能下单，购物车会保留")).toHaveCount(0);
});

test("checkout asks a guest to log in and an empty cart says so", async ({ page }, info) => {
  await page.goto("/checkout");
  await ready(page, info);
  await expect(page.getByRole("link", { name: "登录" }).first()).toBeVisible();
  await signUp(page, info, "/checkout");
  await expect(page).toHaveURL(/\/checkout$/);
  await expect(page.getByText("购物车还是空的")).toBeVisible();
});
