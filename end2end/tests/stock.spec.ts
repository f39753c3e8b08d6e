import { APIRequestContext, Browser, expect, Page, TestInfo } from "@playwright/test";
import { jsOn, newPerson, personPage, ready, test } from "./helpers";

const STAFF = "13900000021"; // 小赵, the first store
const MANAGER = "13900000011"; // 刘店长, the first store

type Line = { product_id: number; name: string; on_hand: number; reserved: number; available: number };

/** The first store and its stock lines, as the staff API reports them. */
async function stockLines(request: APIRequestContext): Promise<{ store: number; lines: Line[] }> {
  const stores = await (await request.get("/api/v1/stores")).json();
  const store = stores[0].id;
  const res = await request.get(`/api/v1/staff/stores/${store}/stock`);
  expect(res.status()).toBe(200);
  return { store, lines: await res.json() };
}

/** A product nothing is held for, different for the JS and no-JS runs (they share a database). */
function untouched(lines: Line[], info: TestInfo, skip = 0): Line {
  const free = lines.filter((l) => l.reserved === 0 && l.on_hand > 0);
  return free[(jsOn(info) ? 0 : 1) + 2 * skip];
}

async function submitAndSettle(page: Page, info: TestInfo, button: string) {
  await page.getByRole("button", { name: button }).click();
  await ready(page, info);
}

/** The clerk at the till with one of `product` in the basket (a product nothing holds). */
async function tillWithOne(browser: Browser, info: TestInfo, skip: number, who = STAFF) {
  const staff = await personPage(browser, info, who, "/admin/till");
  await ready(staff, info);
  const { store, lines } = await stockLines(staff.request);
  const product = untouched(lines, info, skip);
  await staff.goto(`/admin/till?store=${store}&q=${encodeURIComponent(product.name)}`);
  await ready(staff, info);
  await staff.locator(".till-product", { hasText: product.name }).first().click();
  await ready(staff, info);
  return { staff, store, product };
}

test("staff count a product down to nothing, receive goods, and the storefront's availability follows", async ({ browser }, info) => {
  const staff = await personPage(browser, info, MANAGER, "/admin/stock");
  await ready(staff, info);
  const { store, lines } = await stockLines(staff.request);
  const product = untouched(lines, info);
  await expect(staff.locator(".stock-list")).toContainText(product.name);
  await staff.screenshot({ path: `test-results/stock-list-${info.project.name}.png` });

  const shelf = await newPerson(browser, info);
  const storefront = async (text: string) => {
    await shelf.goto(`/p/${product.product_id}?store=${store}`);
    await ready(shelf, info);
    await expect(shelf.locator("main")).toContainText(text);
  };
  await storefront("有货");

  // 盘点: the shelf is empty.
  await staff.goto(`/admin/stock/${product.product_id}?store=${store}`);
  await ready(staff, info);
  await staff.getByLabel("实际数量").fill("0");
  await submitAndSettle(staff, info, "按盘点数更新");
  await expect(staff.getByTestId("on-hand")).toHaveText("0");
  await storefront("已售罄");

  // A bad quantity changes nothing and keeps the form.
  await staff.getByLabel(/^数量/).fill("0");
  await staff.getByLabel("备注").fill("张记蔬菜");
  await submitAndSettle(staff, info, "记账");
  await expect(staff.locator(".field-error, .form-error").first()).toBeVisible();
  await expect(staff.getByLabel("备注")).toHaveValue("张记蔬菜");
  await expect(staff.getByTestId("on-hand")).toHaveText("0");

  // 进货 3: the storefront shows the three.
  await staff.getByLabel(/^数量/).fill("3");
  await submitAndSettle(staff, info, "记账");
  await expect(staff.getByTestId("on-hand")).toHaveText("3");
  await expect(staff.locator(".ledger").first()).toContainText("进货");
  await expect(staff.locator(".ledger").first()).toContainText("+3");
  await staff.screenshot({ path: `test-results/stock-item-${info.project.name}.png`, fullPage: true });
  await storefront("仅剩3份");
});

test("a walk-in sale at the till takes the same stock the storefront sells, and prints a receipt", async ({ browser }, info) => {
  const { staff, store, product } = await tillWithOne(browser, info, 1);
  await staff.locator(".till-line", { hasText: product.name }).getByRole("link", { name: "加一份" }).click();
  await ready(staff, info);
  await expect(staff.locator(".till-line", { hasText: product.name }).locator(".step-qty")).toHaveText("2");
  await staff.getByRole("radio", { name: "现金" }).check();
  // 实收 below the total is refused and sells nothing; what was typed stays to be fixed.
  const totalText = (await staff.locator(".till-total .price").textContent())!.replace(/[^\d.]/g, "");
  const totalFen = Math.round(Number(totalText) * 100);
  await staff.getByLabel(/实收/).fill("0.01");
  await submitAndSettle(staff, info, `收款 ¥${totalText}`);
  await expect(staff.locator("#cash_received-error")).toContainText("实收比应收少");
  await expect(staff.getByLabel(/实收/)).toHaveValue("0.01");
  await expect(staff.getByTestId("receipt")).toHaveCount(0);
  // The note handed over; with JavaScript the change shows as it is typed.
  const receivedFen = (Math.floor(totalFen / 5000) + 1) * 5000;
  // As the shop writes money: ¥50, ¥41.5, ¥0.05.
  const yuan = (fen: number) => (fen / 100).toFixed(2).replace(/\.?0+$/, "");
  await staff.getByLabel(/实收/).fill(String(receivedFen / 100));
  if (jsOn(info)) await expect(staff.locator(".cash-change")).toHaveText(`找零 ¥${yuan(receivedFen - totalFen)}`);
  await submitAndSettle(staff, info, `收款 ¥${totalText}`);

  const receipt = staff.getByTestId("receipt");
  await expect(receipt).toContainText(`实收¥${yuan(receivedFen)}`);
  await expect(receipt).toContainText(`找零¥${yuan(receivedFen - totalFen)}`);
  await expect(receipt).toContainText(`${product.name} × 2`);
  await expect(receipt).toContainText("收银员 小赵");
  await staff.screenshot({ path: `test-results/till-${info.project.name}.png`, fullPage: true });

  const after = (await stockLines(staff.request)).lines.find((l) => l.product_id === product.product_id)!;
  expect(after.on_hand).toBe(product.on_hand - 2);
  const res = await staff.request.get(`/api/v1/stores/${store}/products`);
  const online = (await res.json()).find((p: { id: number }) => p.id === product.product_id);
  expect(online.available).toBe(product.available - 2);
});

test("after a sale the browser's Back and 收款 again sell nothing more", async ({ browser }, info) => {
  const { staff, product } = await tillWithOne(browser, info, 2);
  await staff.getByRole("radio", { name: "现金" }).check();
  await submitAndSettle(staff, info, "收款");
  const receipt = staff.getByTestId("receipt");
  await expect(receipt).toContainText(`${product.name} × 1`);
  const number = (await receipt.locator("p.muted.num").first().innerText()).split(" ")[1];
  expect(number).toMatch(/^S\d{11}$/);

  // Back to the basket as it was, and a tap on 收款 as if it were a new sale.
  await staff.goBack();
  await ready(staff, info);
  await expect(staff.locator(".till-line", { hasText: product.name })).toBeVisible();
  await submitAndSettle(staff, info, "收款");
  await expect(staff.getByTestId("receipt")).toContainText(number);
  const after = (await stockLines(staff.request)).lines.find((l) => l.product_id === product.product_id)!;
  expect(after.on_hand).toBe(product.on_hand - 1);
});

test("a member pays at the till from the wallet with the pay code on their phone", async ({ browser }, info) => {
  const RESIDENT = "13800000003"; // 张女士, ¥200 in her wallet
  const resident = await personPage(browser, info, RESIDENT, "/me");
  await ready(resident, info);
  await resident.getByRole("link", { name: /付款码/ }).click();
  await ready(resident, info);
  await expect(resident).toHaveURL(/\/me\/pay$/);
  const shown = resident.getByTestId("pay-code");
  await expect(shown).toContainText("一分钟内有效");
  await expect(shown.locator(".qr svg")).toBeVisible();
  const digits = (await shown.locator(".pay-code-digits").innerText()).trim();
  expect(digits).toMatch(/^68\d\d( \d{4}){3} \d\d$/);
  await resident.screenshot({ path: `test-results/pay-code-${info.project.name}.png`, fullPage: true });

  const { staff, product } = await tillWithOne(browser, info, 3);
  await staff.getByLabel("储值余额", { exact: true }).check();

  // No code: refused in words, nothing sold.
  await submitAndSettle(staff, info, "收款");
  await expect(staff.locator("main")).toContainText("请扫会员手机上的付款码");
  // A wrong code: refused, and what was typed stays.
  await staff.getByLabel(/会员付款码/).fill("681234567890123456");
  await staff.getByLabel("储值余额", { exact: true }).check();
  await submitAndSettle(staff, info, "收款");
  await expect(staff.locator("main")).toContainText("付款码不对、已用过或已过期");
  await expect(staff.getByLabel(/会员付款码/)).toHaveValue("681234567890123456");
  // The member's code, typed as shown on the phone (with its spaces).
  await staff.getByLabel(/会员付款码/).fill(digits);
  await staff.getByLabel("储值余额", { exact: true }).check();
  await submitAndSettle(staff, info, "收款");
  const receipt = staff.getByTestId("receipt");
  await expect(receipt).toContainText(`${product.name} × 1`);
  await expect(receipt).toContainText("张**");
  await expect(receipt).toContainText("余额");
  await staff.screenshot({ path: `test-results/till-wallet-${info.project.name}.png`, fullPage: true });
});

test("a manager refunds part of a till sale: the goods go back on the shelf and the receipt says so", async ({ browser }, info) => {
  const { staff: manager, product } = await tillWithOne(browser, info, 4, MANAGER);
  await manager.locator(".till-line", { hasText: product.name }).getByRole("link", { name: "加一份" }).click();
  await ready(manager, info);
  await manager.getByRole("radio", { name: "现金" }).check();
  await submitAndSettle(manager, info, "收款");
  const receipt = manager.getByTestId("receipt");
  await expect(receipt).toContainText(`${product.name} × 2`);

  // 退款 starts with the whole sale; one of the two goes back.
  await receipt.getByRole("link", { name: "退款", exact: true }).click();
  await ready(manager, info);
  const form = manager.getByTestId("refund-form");
  await expect(form.locator(".step-qty")).toHaveText("2");
  await form.getByRole("link", { name: "少退一份" }).click();
  await ready(manager, info);
  await expect(manager.getByTestId("refund-form").locator(".step-qty")).toHaveText("1");
  await manager.getByLabel(/退款原因/).fill("压坏了一盒");
  manager.once("dialog", (d) => d.accept()); // 确认退款 ¥…？确认后请从钱箱把现金退给顾客
  await submitAndSettle(manager, info, "确认退款");
  const done = manager.getByTestId("receipt-refund");
  await expect(done).toContainText("已退款");
  await expect(done).toContainText(`${product.name} × 1`);
  await expect(done).toContainText("现金已从钱箱退给顾客");
  await expect(done).toContainText("压坏了一盒");
  await expect(manager.getByRole("link", { name: "退款", exact: true })).toHaveCount(0);
  await manager.screenshot({ path: `test-results/till-refund-${info.project.name}.png`, fullPage: true });

  const after = (await stockLines(manager.request)).lines.find((l) => l.product_id === product.product_id)!;
  expect(after.on_hand).toBe(product.on_hand - 1);
});

test("a clerk sees a receipt without the refund button, and the API refuses them", async ({ browser }, info) => {
  const { staff } = await tillWithOne(browser, info, 5);
  await staff.getByRole("radio", { name: "现金" }).check();
  await submitAndSettle(staff, info, "收款");
  await expect(staff.getByTestId("receipt")).toBeVisible();
  await expect(staff.getByRole("link", { name: "退款", exact: true })).toHaveCount(0);
  const sale = new URL(staff.url()).searchParams.get("sale");
  const res = await staff.request.post(`/api/v1/staff/counter-sales/${sale}/refund`, {
    headers: { "x-requested-with": "linli", "idempotency-key": `e2e-refund-${sale}` },
    data: {},
  });
  expect(res.status()).toBe(403);
  expect((await res.json()).error.code).toBe("refund_is_managers");
});
