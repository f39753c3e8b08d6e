import { expect, Page } from "@playwright/test";
import { jsOn, newPerson, personPage, ready, sql, test } from "./helpers";

// Three or four people sign in per test (argon2 in a debug build takes its time).
test.describe.configure({ timeout: 90_000 });

const MANAGER = "13900000011"; // 刘店长, the first store
const RESIDENT = "13800000003"; // 张女士
const NEIGHBOUR = "13800000001";

/** A day in the stores' time (UTC+8), `days` from today: "2026-11-25". */
function day(days: number): string {
  return new Date(Date.now() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

/** Sets a campaign up through the API as the manager signed in on `page`. */
async function campaign(page: Page, min: number, title: string): Promise<number> {
  const products = await (await page.request.get("/api/v1/stores/1/products")).json();
  const product = products.find((p: { price_fen: number }) => p.price_fen > 500);
  const res = await page.request.post("/api/v1/group-buys", {
    headers: { "x-requested-with": "linli" },
    data: {
      store_id: 1, product_id: product.id, price_fen: product.price_fen - 100, min_households: min,
      per_household_limit: 2, deadline: `${day(2)}T20:00`, pickup_date: day(3), title,
    },
  });
  expect(res.status()).toBe(201);
  return (await res.json()).id;
}

/** The deadline passes, as time would (the test server's job looks every half second). */
function passDeadline(id: number) {
  sql(`update group_buys set deadline_ms = ${Date.now() - 1000} where id = ${id}`);
}

test("a manager sets up a group buy, a resident joins from the shared link, and another open page sees the count move", async ({ browser }, info) => {
  const manager = await personPage(browser, info, MANAGER, "/admin/group-buys/new");
  await ready(manager, info);
  // On a 360 px phone the deadline's date and time fit whole (it took half a row and clipped).
  const deadline = await manager.getByLabel("截止时间", { exact: true }).boundingBox();
  expect(deadline!.width).toBeGreaterThanOrEqual(280);
  const apple = await manager.locator("select[name=product_id] option", { hasText: "洛川红富士" }).first().getAttribute("value");
  await manager.locator("select[name=product_id]").selectOption(apple!);
  await manager.getByLabel("标题（选填，默认「商品名·团购」）").fill(`洛川苹果拼团 ${info.project.name}`);
  await manager.getByLabel("团购价（元）").fill("9.90");
  await manager.getByLabel("成团户数").fill("3");
  await manager.getByLabel("每户限购").fill("2");
  await manager.getByRole("button", { name: "发布" }).click();
  await expect(manager).toHaveURL(/\/admin\/group-buys\/\d+$/);
  await ready(manager, info);
  await expect(manager.locator(".status[data-gb-status]").first()).toHaveText("拼团中");
  const id = Number(new URL(manager.url()).pathname.split("/").pop());

  // Someone who was sent the link watches the count.
  const watcher = await newPerson(browser, info);
  await watcher.goto(`/g/${id}`);
  await ready(watcher, info);
  await expect(watcher.locator(".gb-count strong")).toHaveText("0");
  await expect(watcher.getByRole("link", { name: "登录后参团" })).toBeVisible();

  const resident = await personPage(browser, info, RESIDENT);
  await resident.goto(`/g/${id}`);
  await ready(resident, info);
  await expect(resident.locator("h1.gb-title")).toHaveText(`洛川苹果拼团 ${info.project.name}`);
  await resident.getByLabel(/份数/).fill("2");
  await resident.getByLabel("提货时付款").check();
  await resident.getByRole("button", { name: /参团 ·/ }).click();
  await expect(resident).toHaveURL(/joined=\d+/);
  await ready(resident, info);
  await expect(resident.locator(".notice-ok")).toContainText("参团成功");
  await expect(resident.locator("li.gb-join")).toContainText("待成团");
  await expect(resident.locator(".gb-count strong")).toHaveText("1");

  // With JavaScript the open page follows by itself; without, a reload shows the same.
  if (!jsOn(info)) await watcher.reload();
  await expect(watcher.locator(".gb-count strong")).toHaveText("1");
  await expect(watcher.locator(".gb-recent")).toContainText("张**");

  // At the household's limit the join form gives way to a plain note.
  await resident.goto(`/g/${id}`);
  await ready(resident, info);
  await expect(resident.getByText("你已买到每户限购的数量了。")).toBeVisible();
});

test("after the deadline the outcome shows on the open page and the store gets its purchase summary", async ({ browser }, info) => {
  const manager = await personPage(browser, info, MANAGER, "/admin/group-buys");
  const id = await campaign(manager, 2, `两户成团 ${info.project.name}`);
  for (const [phone, qty] of [[RESIDENT, 1], [NEIGHBOUR, 2]] as const) {
    const p = await personPage(browser, info, phone);
    const r = await p.request.post(`/api/v1/group-buys/${id}/join`, {
      headers: { "x-requested-with": "linli", "idempotency-key": `e2e-${id}-${phone}` },
      data: { qty, payment: "on_pickup" },
    });
    expect(r.status()).toBe(201);
  }
  const resident = await personPage(browser, info, RESIDENT);
  await resident.goto(`/g/${id}`);
  await ready(resident, info);
  await expect(resident.locator(".gb-count strong")).toHaveText("2");
  await expect(resident.locator("summary", { hasText: "退出拼团" })).toBeVisible();

  passDeadline(id);
  if (!jsOn(info)) {
    await expect(async () => {
      await resident.reload();
      await expect(resident.locator(".gb-outcome")).toContainText("已成团", { timeout: 500 });
      // The job decides the campaign, then moves its joins on (each in its own transaction):
      // a reload between the two shows the outcome with the join still waiting.
      await expect(resident.locator("li.gb-join")).toContainText("待接单", { timeout: 500 });
    }).toPass({ timeout: 10_000 });
  }
  await expect(resident.locator(".gb-outcome")).toContainText("已成团");
  await expect(resident.locator("summary", { hasText: "退出拼团" })).toHaveCount(0);
  await expect(resident.locator("li.gb-join")).toContainText("待接单");

  await manager.goto(`/admin/group-buys/${id}`);
  await ready(manager, info);
  await expect(manager.locator(".purchase-table tfoot")).toContainText("3");
  const csv = await manager.request.get(`/api/v1/group-buys/${id}/purchase.csv`);
  expect(csv.status()).toBe(200);
  expect(await csv.text()).toContain(",3,2,");

  // The goods arrive: booked in once, held for the two orders, never sold at the till.
  const product = (await (await manager.request.get(`/api/v1/group-buys/${id}`)).json()).product_id;
  const before = await (await manager.request.get("/api/v1/staff/stores/1/stock")).json();
  const line = (rows: { product_id: number; on_hand: number; reserved: number }[]) => rows.find((l) => l.product_id === product)!;
  const arrival = manager.locator(".arrival").first();
  await arrival.getByRole("button", { name: "到货入库" }).click();
  await ready(manager, info);
  await expect(manager.locator(".arrival").first()).toContainText("已入库");
  await expect(manager.locator(".arrival").first().getByRole("button")).toHaveCount(0);
  const after = await (await manager.request.get("/api/v1/staff/stores/1/stock")).json();
  expect(line(after).on_hand - line(before).on_hand).toBe(3);
  expect(line(after).reserved - line(before).reserved).toBe(3);
  await manager.screenshot({ path: `test-results/group-buy-arrived-${info.project.name}.png`, fullPage: true });
});

test("the share poster becomes a picture to save", async ({ browser }, info) => {
  const manager = await personPage(browser, info, MANAGER, "/admin/group-buys");
  const id = await campaign(manager, 5, `海报 ${info.project.name}`);
  const page = await newPerson(browser, info);
  await page.goto(`/g/${id}/poster`);
  const poster = page.locator("#poster");
  // Loaded and drawn (naturalWidth is 0 for a picture the browser could not read).
  await expect.poll(() => poster.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  if (jsOn(info)) await expect(poster).toHaveAttribute("data-png", "true");
});

test("a group buy's outcome reads as words in the order's history and the notifications, never as a code", async ({ browser }, info) => {
  const manager = await personPage(browser, info, MANAGER, "/admin/group-buys");
  const goes = await campaign(manager, 1, `一户成团 ${info.project.name}`);
  const fails = await campaign(manager, 3, `三户成团 ${info.project.name}`);
  const resident = await personPage(browser, info, RESIDENT);
  const orders: number[] = [];
  for (const id of [goes, fails]) {
    const r = await resident.request.post(`/api/v1/group-buys/${id}/join`, {
      headers: { "x-requested-with": "linli", "idempotency-key": `e2e-words-${id}` },
      data: { qty: 1, payment: "on_pickup" },
    });
    expect(r.status()).toBe(201);
    orders.push((await r.json()).id);
  }
  passDeadline(goes);
  passDeadline(fails);

  for (const [order, words] of [[orders[0], "拼团成功！已转为自提订单"], [orders[1], "没凑够户数，这次没成团"]] as const) {
    await expect(async () => {
      await resident.goto(`/orders/${order}`);
      await expect(resident.locator(".timeline")).toContainText(words, { timeout: 500 });
    }).toPass({ timeout: 15_000 });
    await ready(resident, info);
    await expect(resident.locator("main")).not.toContainText("group_");
  }
  await resident.goto("/notifications");
  await ready(resident, info);
  await expect(resident.locator(".notifications")).toContainText("没凑够户数，这次没成团，付过的钱已原路退回");
  await expect(resident.locator(".notifications")).toContainText("拼团成功！已转为自提订单");
  await expect(resident.locator("main")).not.toContainText("group_");
  await resident.screenshot({ path: `test-results/group-buy-words-${info.project.name}.png`, fullPage: true });

  // The failed campaign's page: what happened and where to go, nothing left to chase or share.
  await resident.goto(`/g/${fails}`);
  await ready(resident, info);
  await expect(resident.locator(".gb-outcome")).toContainText("没凑够户数");
  await expect(resident.locator(".gb-missing")).toHaveText("截止时差2户");
  await expect(resident.getByText("拉邻居一起拼")).toHaveCount(0);
  await expect(resident.getByRole("link", { name: "生成分享海报" })).toHaveCount(0);
  await resident.getByRole("link", { name: "看看正在拼的团" }).click();
  await expect(resident).toHaveURL((url) => url.pathname === "/group-buys");
});

test("leaving a group buy asks first, and a wallet join that was refunded says where the money went", async ({ browser }, info) => {
  const manager = await personPage(browser, info, MANAGER, "/admin");
  const id = await campaign(manager, 20, `退团 ${info.project.name}`);
  const resident = await personPage(browser, info, RESIDENT); // 张女士 has money in her wallet
  await resident.goto(`/g/${id}`);
  await ready(resident, info);
  await resident.getByLabel(/份数/).fill("1");
  await resident.getByLabel(/储值余额/).check();
  await resident.getByRole("button", { name: /参团 ·/ }).click();
  await expect(resident).toHaveURL(/joined=\d+/);
  await ready(resident, info);
  const join = resident.locator("li.gb-join").first();
  await expect(join).toContainText("储值已付");

  // The first tap only asks, saying what is lost and where the money goes.
  await join.locator("summary", { hasText: "退出拼团" }).click();
  await expect(join.locator(".ask-first-question")).toContainText(/团里也少一户，¥[\d.]+马上退回储值余额/);
  await expect(join).toContainText("待成团");
  await join.getByRole("button", { name: "确定退出" }).click();
  await ready(resident, info);
  await expect(resident.locator("li.gb-join").first()).toContainText("已取消");
  // Refunded, it never reads 储值已付 again.
  await expect(resident.locator("li.gb-join").first()).toContainText(/已退款 ¥[\d.]+ · 退回储值余额/);
  await expect(resident.locator("li.gb-join").first()).not.toContainText("储值已付");
  await resident.screenshot({ path: `test-results/gb-left-${info.project.name}.png`, fullPage: true });
});
