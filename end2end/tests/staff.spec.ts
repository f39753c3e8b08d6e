import { APIRequestContext, Browser, expect, Page, TestInfo } from "@playwright/test";
import { jsOn, personPage, ready, sql, test } from "./helpers";

const RESIDENT = "13800000003"; // 张女士
const STAFF = "13900000021"; // 小赵, the first store
const RIDER = "13900000031"; // 骑手老马, the first store

/** Tomorrow in the stores' time (UTC+8), "2026-11-23". */
function tomorrow(): string {
  const t = new Date(Date.now() + 8 * 3600_000 + 24 * 3600_000);
  return t.toISOString().slice(0, 10);
}

/** Places a pickup order for tomorrow at the first store through the API: (id, code). */
async function placeOrder(request: APIRequestContext): Promise<{ id: number; code: string }> {
  const stores = await (await request.get("/api/v1/stores")).json();
  const store = stores[0].id;
  const products = await (await request.get(`/api/v1/stores/${store}/products`)).json();
  const product = products.find((p: { available: number }) => p.available >= 2);
  const res = await request.post("/api/v1/orders", {
    headers: { "x-requested-with": "linli", "idempotency-key": `e2e-${Date.now()}-${Math.random()}` },
    data: {
      store_id: store,
      items: [{ product_id: product.id, qty: 1 }],
      fulfillment: { type: "pickup", pickup_date: tomorrow(), window: "17:00-18:00" },
      payment: "on_pickup",
      note: "请挑新鲜的",
    },
  });
  expect(res.status()).toBe(201);
  const order = await res.json();
  return { id: order.id, code: order.pickup_code };
}

/** Taps the step button on the order's card in the queue and waits for the new status. */
async function step(queue: Page, info: TestInfo, order: number, label: string, status: string) {
  const card = queue.locator(`.staff-order[data-order="${order}"]`);
  await card.getByRole("button", { name: label }).click();
  await ready(queue, info);
  await expect(queue.locator(`.staff-order[data-order="${order}"]`)).toHaveAttribute("data-status", status);
}

test("staff move an order along and the resident's open tracking page follows without a reload", async ({ browser }, info) => {
  const resident = await personPage(browser, info, RESIDENT);
  const { id } = await placeOrder(resident.request);
  await resident.goto(`/orders/${id}`);
  await ready(resident, info);
  await expect(resident.locator(".status-big")).toHaveText("待接单");
  // A marker that a reload would wipe.
  await resident.evaluate(() => ((window as unknown as { __stay: number }).__stay = 1));

  const queue = await personPage(browser, info, STAFF, "/admin/orders");
  await ready(queue, info);
  await expect(queue.locator(`.staff-order[data-order="${id}"]`)).toContainText("请挑新鲜的");
  await step(queue, info, id, "接单", "accepted");
  await step(queue, info, id, "开始拣货", "picking");
  await step(queue, info, id, "备好了", "ready");
  await queue.screenshot({ path: `test-results/queue-${info.project.name}.png`, fullPage: true });

  if (jsOn(info)) {
    // The tracking page changed by itself: status, shelf slot, history.
    await expect(resident.locator(".status-big")).toHaveText("待自提", { timeout: 5_000 });
    await expect(resident.locator(".slot-line")).toContainText(/[A-H]-\d\d/);
    expect(await resident.evaluate(() => (window as unknown as { __stay?: number }).__stay)).toBe(1);
  } else {
    // Without JavaScript there is no live channel; a reload shows the same.
    await resident.reload();
    await expect(resident.locator(".status-big")).toHaveText("待自提");
  }
  await expect(resident.locator(".timeline")).toContainText("已接单");
  await resident.screenshot({ path: `test-results/tracking-ready-${info.project.name}.png`, fullPage: true });
});

test("the desk finds an order by its code and hands it over in one tap", async ({ browser }, info) => {
  const resident = await personPage(browser, info, RESIDENT);
  const { id, code } = await placeOrder(resident.request);
  const desk = await personPage(browser, info, STAFF, "/admin/orders");
  for (const s of ["accepted", "picking", "ready"]) {
    const r = await desk.request.post(`/api/v1/staff/orders/${id}/transition`, { headers: { "x-requested-with": "linli" }, data: { to: s } });
    expect(r.status()).toBe(200);
  }
  await desk.goto("/admin/desk");
  await ready(desk, info);
  await expect(desk.locator(".ready-list")).toContainText("张*");

  // A wrong code says so, in place, and keeps what was typed.
  const wrong = code === "000000" ? "111111" : "000000";
  await desk.getByLabel("取货码").fill(wrong);
  await desk.getByRole("button", { name: "核验" }).click();
  await expect(desk.getByText("没有找到这个取货码的待取订单")).toBeVisible();
  await ready(desk, info);

  if (jsOn(info)) {
    // On a phone the desk's own number pad types the code (the phone's keyboard would cover
    // the order); ⌫ takes a digit back.
    const pad = desk.getByRole("group", { name: "数字键盘" });
    await expect(pad).toBeVisible();
    await desk.getByLabel("取货码").fill("");
    for (const d of `${code}9`) await pad.getByRole("button", { name: d, exact: true }).click();
    await pad.getByRole("button", { name: "删一位" }).click();
    await expect(desk.getByLabel("取货码")).toHaveValue(code);
  } else {
    // Without JavaScript the pad stays hidden and the field takes the phone's own keypad.
    await expect(desk.locator("[data-keypad]")).toBeHidden();
    await expect(desk.getByLabel("取货码")).toHaveAttribute("inputmode", "numeric");
    await desk.getByLabel("取货码").fill(`${code.slice(0, 2)} ${code.slice(2, 4)} ${code.slice(4)}`);
  }
  await desk.getByRole("button", { name: "核验" }).click();
  await expect(desk.locator(".desk-found")).toBeVisible();
  await ready(desk, info);
  await expect(desk.locator(".desk-found")).toContainText("请挑新鲜的");
  await expect(desk.locator(".slot-big")).toContainText(/[A-H]-\d\d/);
  // On a 360×780 phone the slot, the money in large type and 确认取货 are on the first screen.
  await expect(desk.locator(".desk-collect")).toContainText(/到店收款\s*¥[\d.]+/);
  const fontSize = await desk.locator(".desk-collect strong").evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
  expect(fontSize).toBeGreaterThanOrEqual(28);
  const button = await desk.getByRole("button", { name: "确认取货" }).boundingBox();
  expect(button!.y + button!.height).toBeLessThanOrEqual(780);
  await desk.screenshot({ path: `test-results/desk-found-${info.project.name}.png` });
  await desk.getByRole("button", { name: "确认取货" }).click();
  await expect(desk.getByText("已交付，订单号")).toBeVisible();
  await ready(desk, info);
  // The next resident's wrong code: the red error alone, not beside the last green notice.
  await desk.getByLabel("取货码").fill(wrong);
  await desk.getByRole("button", { name: "核验" }).click();
  await expect(desk.getByText("没有找到这个取货码的待取订单")).toBeVisible();
  await expect(desk.getByText("已交付，订单号")).toHaveCount(0);

  await resident.goto(`/orders/${id}`);
  await ready(resident, info);
  await expect(resident.locator(".status-big")).toHaveText("已完成");
  await expect(resident.locator(".pickup-code")).toHaveCount(0);
});

test("a rider takes a delivery order out and delivers it against the resident's code", async ({ browser }, info) => {
  const resident = await personPage(browser, info, RESIDENT);
  const { id, code } = await placeOrder(resident.request);
  // Delivery slots depend on the hour the tests run; checkout's rules are covered by the API
  // tests, so this order becomes a 尽快 delivery in the test database directly.
  sql(`update orders set fulfillment = 'delivery', pickup_date = null, window_from = null, window_until = null, address = '嘉绿苑 3幢201', lat = 30.29, lng = 120.13, distance_m = 1500 where id = ${id}`);
  const staff = await personPage(browser, info, STAFF, "/admin/orders");
  for (const s of ["accepted", "picking", "ready"]) {
    const r = await staff.request.post(`/api/v1/staff/orders/${id}/transition`, { headers: { "x-requested-with": "linli" }, data: { to: s } });
    expect(r.status()).toBe(200);
  }

  const rider = await personPage(browser, info, RIDER, "/rider");
  await ready(rider, info);
  const card = rider.locator(`.staff-order[data-order="${id}"]`);
  await expect(card).toContainText("嘉绿苑 3幢201");
  await card.getByRole("button", { name: "我来送" }).click();
  await ready(rider, info);
  await expect(rider.locator(`.staff-order[data-order="${id}"]`)).toHaveAttribute("data-status", "out_for_delivery");

  await resident.goto(`/orders/${id}`);
  await ready(resident, info);
  await expect(resident.locator(".status-big")).toHaveText("配送中");
  await expect(resident.locator(".eta")).toContainText(/\d\d:\d\d-\d\d:\d\d/);

  const mine = rider.locator(`.staff-order[data-order="${id}"]`);
  await mine.getByLabel("顾客的取货码").fill(code);
  await mine.getByRole("button", { name: "确认送达" }).click();
  await ready(rider, info);
  await expect(rider.locator(`.staff-order[data-order="${id}"]`)).toHaveCount(0);
  await resident.reload();
  await expect(resident.locator(".status-big")).toHaveText("已完成");
  await resident.goto("/notifications");
  await expect(resident.locator(".notifications")).toContainText("已送达");
});

test("a resident who opens the back office gets a plain 没有权限 page with the way back to the shop", async ({ browser }, info) => {
  const resident = await personPage(browser, info, RESIDENT, "/admin");
  const res = await resident.reload();
  expect(res?.status()).toBe(403);
  await ready(resident, info);
  await expect(resident.getByRole("heading", { name: "没有权限" })).toBeVisible();
  await expect(resident.locator(".office-menu a")).toHaveCount(0);
  await expect(resident.locator(".office-menu")).toBeHidden();
  await resident.getByRole("link", { name: "回首页" }).last().click();
  await expect(resident).toHaveURL((url) => url.pathname === "/");

  // A clerk at the owner's team page: the same page; the menu has no 员工 to lead there.
  const clerk = await personPage(browser, info, STAFF, "/admin/team");
  await ready(clerk, info);
  await expect(clerk.getByRole("heading", { name: "没有权限" })).toBeVisible();
  await expect(clerk.locator(".office-menu")).not.toContainText("员工");
  await expect(clerk.locator(".office-menu")).toContainText("自提台");
});

test("the queue puts the newest order on top under its badge, with the filters folded into one line", async ({ browser }, info) => {
  const resident = await personPage(browser, info, RESIDENT);
  const first = await placeOrder(resident.request);
  const queue = await personPage(browser, info, STAFF, "/admin/orders");
  await ready(queue, info);
  const second = await placeOrder(resident.request);
  if (jsOn(info)) {
    // Live: the new order arrives with its badge, on top.
    await expect(queue.locator(".badge-new")).toContainText("1 个新订单");
  } else {
    await queue.reload();
  }
  await expect(queue.locator(".staff-order").first()).toHaveAttribute("data-order", String(second.id));
  const ids = await queue.locator(".staff-order").evaluateAll((cards) => cards.map((c) => Number(c.getAttribute("data-order"))));
  expect(ids.indexOf(second.id)).toBeLessThan(ids.indexOf(first.id));
  // The filters take one line saying what is shown; they open with a tap and stay in the URL.
  await expect(queue.locator(".queue-filters-line")).toHaveText(/筛选\s*进行中/);
  await expect(queue.getByRole("link", { name: "待接单", exact: true })).toBeHidden();
  const firstCard = await queue.locator(".staff-order").first().boundingBox();
  expect(firstCard!.y).toBeLessThan(780 / 2);
  await queue.screenshot({ path: `test-results/queue-newest-${info.project.name}.png` });
  await queue.locator(".queue-filters-line").click();
  await queue.getByRole("link", { name: "自提", exact: true }).click();
  await expect(queue).toHaveURL(/fulfillment=pickup/);
  await ready(queue, info);
  await expect(queue.locator(".queue-filters-line")).toHaveText(/进行中 · 自提/);
});

test("the order page says what to do now at every step, and the bell counts news as it happens", async ({ browser }, info) => {
  const resident = await personPage(browser, info, RESIDENT);
  const { id } = await placeOrder(resident.request);
  await resident.goto(`/orders/${id}`);
  await ready(resident, info);
  await expect(resident.locator(".what-next")).toContainText("等门店接单");
  await expect(resident.locator(".what-next")).toContainText(/取货时在店里付\s*¥[\d.]+/);
  const unread = async () => ((await resident.locator(".bell-count").count()) ? Number(await resident.locator(".bell-count").textContent()) : 0);
  const before = await unread();
  const staff = await personPage(browser, info, STAFF, "/admin/orders");
  const move = async (to: string) => {
    const r = await staff.request.post(`/api/v1/staff/orders/${id}/transition`, { headers: { "x-requested-with": "linli" }, data: { to } });
    expect(r.status()).toBe(200);
  };
  await move("accepted");
  if (jsOn(info)) {
    // No reload: the status, the next step and the bell follow.
    await expect(resident.locator(".status-big")).toHaveText("已接单");
    await expect(resident.locator(".bell-count")).toHaveText(String(before + 1));
  } else {
    await resident.reload();
  }
  await expect(resident.locator(".what-next")).toContainText("门店已接单");
  await move("picking");
  await move("ready");
  if (!jsOn(info)) await resident.reload();
  await expect(resident.locator(".status-big")).toHaveText("待自提");
  // At 待自提 it says to come in with the code — nothing about the store accepting.
  await expect(resident.locator(".what-next")).toContainText("已经备好了");
  await expect(resident.locator(".what-next")).not.toContainText("接单");
  await resident.screenshot({ path: `test-results/order-ready-${info.project.name}.png`, fullPage: true });
});
