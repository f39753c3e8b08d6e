import { expect } from "@playwright/test";
import { jsOn, personPage, ready, sql, test } from "./helpers";

const OWNER = "13900000000";
const MANAGER = "13900000011"; // 刘店长, 文三路店

test("the owner reads the chain's figures at 360 px, changes the period and a store, and downloads a table", async ({ browser }, info) => {
  // Yesterday at the first store's till: ¥12.34 the dashboard must show in its week.
  const yesterday = new Date(Date.now() + 8 * 3600_000 - 86_400_000);
  const noon = Date.UTC(yesterday.getUTCFullYear(), yesterday.getUTCMonth(), yesterday.getUTCDate(), 4);
  sql(`insert into counter_sales (store_id, by_user_id, payment, total_fen, created_at_ms)
       select 1, id, 'cash', 1234, ${noon} from users where phone = '${OWNER}'`);

  const owner = await personPage(browser, info, OWNER, "/admin/insights");
  await ready(owner, info);
  await expect(owner.getByRole("heading", { name: "经营分析" })).toBeVisible();
  // The whole chain first, today against yesterday.
  await expect(owner.locator(".insight-scope")).toContainText("全部门店");
  await expect(owner.locator(".kpi-card")).toHaveCount(6);
  await expect(owner.locator(".kpi-card").first()).toContainText("销售额");
  const kpis = owner.locator("#t-kpis");
  await expect(kpis.getByRole("rowheader", { name: "30天复购率" })).toBeVisible();
  await expect(kpis.getByRole("rowheader", { name: "直播转化率（下单人数/观看）" })).toBeVisible();
  // Charts are SVG drawn on the server, each followed by its table.
  await expect(owner.locator(".chart-svg svg")).toHaveCount(3);
  await expect(owner.locator("#t-daily tbody tr")).toHaveCount(7);
  // Nothing is wider than the phone: wide tables scroll inside their box.
  const overflow = await owner.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await owner.screenshot({ path: info.outputPath("insights-top.png") });
  await owner.locator(".chart").first().screenshot({ path: info.outputPath("insights-chart.png") });
  await owner.locator("#t-channels").screenshot({ path: info.outputPath("insights-channels.png") });

  // The week holding yesterday, at the first store: yesterday's till sale is in it.
  await owner.locator(".chips").getByRole("link", { name: "绿源生活·文三路店" }).click();
  await ready(owner, info);
  await expect(owner.locator(".insight-scope")).toContainText("文三路店");
  await owner.locator(".segment", { hasText: "周" }).click();
  const day = yesterday.toISOString().slice(0, 10);
  await owner.locator('input[name="date"]').fill(day);
  await owner.getByRole("button", { name: "查看" }).click();
  await ready(owner, info);
  await expect(owner).toHaveURL(/span=week/);
  await expect(owner).toHaveURL(/store=1/);
  await expect(owner.locator(".insight-scope")).toContainText("~");
  const till = owner.locator("#t-channels tbody tr", { hasText: "门店收银" });
  const shown = Number((await till.locator("td").first().textContent()) ?? "0");
  expect(shown).toBeGreaterThanOrEqual(12.34);
  await owner.locator(".chart").first().screenshot({ path: info.outputPath("insights-week-chart.png") });

  // A mistyped day is refused in words, and the form keeps it.
  await owner.goto("/admin/insights?span=week&date=2026-02-30");
  await ready(owner, info);
  await expect(owner.getByText("日期按 2026-12-07 这样填")).toBeVisible();
  await expect(owner.locator('input[name="date"]')).toHaveValue("");

  // The CSV is the table: the same header and first column, with a BOM for Excel.
  await owner.goto(`/admin/insights?store=1&span=week&date=${day}`);
  await ready(owner, info);
  const href = await owner.locator("#t-channels").getByRole("link", { name: /CSV/ }).getAttribute("href");
  const res = await owner.request.get(href!);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toContain("text/csv");
  const text = await res.text();
  expect(text.startsWith("\ufeff渠道,本期（元）,上期（元）,占比,变化\r\n门店收银,")).toBe(true);
  const rows = await owner.locator("#t-channels tbody tr th").allTextContents();
  expect(text.trim().split("\r\n").slice(1).map((l) => l.split(",")[0])).toEqual(rows);
});

test("a manager sees their own store only", async ({ browser }, info) => {
  const manager = await personPage(browser, info, MANAGER, "/admin/insights");
  await ready(manager, info);
  await expect(manager.locator(".insight-scope")).toContainText("文三路店");
  await expect(manager.locator(".chips").getByRole("link", { name: "全部门店" })).toHaveCount(0);
  await manager.goto("/admin/insights?store=2");
  await ready(manager, info);
  await expect(manager.getByRole("heading", { name: "没有权限" })).toBeVisible();
});

test("a manager edits tomorrow's order list, is told about a wrong number, and exports it", async ({ browser }, info) => {
  // Eight weeks of 寿光西红柿 at the first store's till, 40 a day: more than its shelf holds.
  const js = jsOn(info);
  const total = js ? 101 : 102; // each run its own sales
  sql(`with recursive d(n) as (select 1 union all select n + 1 from d where n < 56)
       insert into counter_sales (store_id, by_user_id, payment, total_fen, created_at_ms)
       select 1, (select id from users where phone = '${OWNER}'), 'cash', ${total}, ${Date.now()} - n * 86400000 from d`);
  sql(`insert into counter_sale_lines (sale_id, product_id, name, unit, qty, price_fen)
       select s.id, (select id from products where name = '寿光西红柿'), '寿光西红柿', '500g/份', 40, ${total}
       from counter_sales s where s.total_fen = ${total} and s.store_id = 1`);

  const manager = await personPage(browser, info, MANAGER, "/admin/order-list");
  await ready(manager, info);
  await expect(manager.getByRole("heading", { name: "明日采购单" })).toBeVisible();
  await expect(manager.getByRole("heading", { name: "寿光田园蔬菜合作社" })).toBeVisible();
  const row = manager.locator("tr", { hasText: "寿光西红柿" });
  const box = row.getByRole("spinbutton", { name: "寿光西红柿 采购数量" });
  const suggested = Number(await row.locator("td").nth(1).textContent());
  expect(suggested).toBeGreaterThan(0);
  await expect(box).toHaveValue(String(suggested));
  await expect(manager.getByText(/近4周预测误差（MAPE）：\d/)).toBeVisible();
  await manager.screenshot({ path: info.outputPath("order-list.png") });

  // A negative number is refused in words under the box, which keeps it.
  await box.fill("-5");
  await manager.getByRole("button", { name: "保存采购单" }).click();
  await expect(row.locator(".field-error")).toHaveText("采购数量填 0 到 100000 的整数");
  await expect(row.getByRole("spinbutton", { name: "寿光西红柿 采购数量" })).toHaveValue("-5");

  // 12 is kept, marked as changed, and is what the CSV orders.
  await row.getByRole("spinbutton", { name: "寿光西红柿 采购数量" }).fill("12");
  await manager.getByRole("button", { name: "保存采购单" }).click();
  await expect(manager.getByText(/已按你改的数量保存/)).toBeVisible();
  await expect(manager.locator("tr.edited", { hasText: "寿光西红柿" })).toHaveCount(1);
  await expect(manager.locator("tr", { hasText: "寿光西红柿" }).getByRole("spinbutton")).toHaveValue("12");
  const href = await manager.getByRole("link", { name: /导出 CSV/ }).getAttribute("href");
  const csv = await (await manager.request.get(href!)).text();
  expect(csv).toContain("寿光田园蔬菜合作社,寿光西红柿,500g/份,12,");

  // And back to the suggestion.
  await manager.getByRole("button", { name: "全部恢复建议量" }).click();
  await expect(manager.locator("tr.edited")).toHaveCount(0);
  await expect(manager.locator("tr", { hasText: "寿光西红柿" }).getByRole("spinbutton")).toHaveValue(String(suggested));
});
