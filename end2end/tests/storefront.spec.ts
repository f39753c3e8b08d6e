import { expect } from "@playwright/test";
import { jsOn, ready, test } from "./helpers";

test("the home page shows the nearest demo store's products in Chinese", async ({ page }, info) => {
  await page.goto("/");
  await ready(page, info);
  await expect(page).toHaveTitle("首页 · 邻里");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(page.getByRole("heading", { name: "绿源生活·文三路店" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "今日到货" })).toBeVisible();
  await expect(page.locator(".product-grid .product-card").first()).toBeVisible();
  expect(await page.locator(".product-grid .product-card").count()).toBeGreaterThan(50);
  // Sold-out products are shown greyed with a word, never hidden.
  await expect(page.locator(".product-card.sold-out").first()).toContainText("已售罄");
  for (const tab of ["首页", "团购", "直播", "订单", "我的"]) {
    await expect(page.locator(".tab-bar").getByText(tab, { exact: true })).toBeVisible();
  }
  await expect(page.locator(".tab-bar .tab")).toHaveCount(5);
  await page.screenshot({ path: `test-results/home-${info.project.name}.png` });
});

test("search and categories narrow the shelf", async ({ page }, info) => {
  await page.goto("/");
  await ready(page, info);
  await page.getByRole("searchbox").fill("西红柿");
  await page.getByRole("button", { name: "搜索", exact: true }).click();
  await expect(page.getByRole("heading", { name: "“西红柿”的搜索结果" })).toBeVisible();
  await expect(page.locator(".product-grid .product-card")).toHaveCount(1);
  await expect(page.locator(".product-grid")).toContainText("寿光西红柿");

  await page.goto("/");
  await ready(page, info);
  await page.locator(".category-chips").getByText("水产", { exact: true }).click();
  await expect(page.getByRole("heading", { name: "水产" })).toBeVisible();
  await expect(page.locator(".product-grid")).toContainText("鲈鱼");
  await expect(page.locator(".product-grid")).not.toContainText("西红柿");
});

test("a resident chooses another store and the home page follows", async ({ page }, info) => {
  await page.goto("/");
  await ready(page, info);
  await page.getByRole("link", { name: "切换" }).click();
  await expect(page.getByRole("heading", { name: "选择门店" })).toBeVisible();
  await ready(page, info);
  await page.getByRole("button", { name: /绿源生活·古墩路店/ }).click();
  await expect(page.getByRole("heading", { name: "绿源生活·古墩路店" })).toBeVisible();
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "绿源生活·古墩路店" })).toBeVisible();
});

test("the store list sorts by distance once a position is known", async ({ page }, info) => {
  await page.goto("/stores?lat=30.2615&lng=120.1695");
  await ready(page, info);
  const first = page.locator(".store-choice").first();
  await expect(first).toContainText("绿源生活·庆春路店");
  await expect(first).toContainText("可配送");
  if (info.project.name === "js") {
    await expect(page.getByRole("button", { name: "用我的位置找最近的门店" })).toBeVisible();
  }
});

test("the English switch works from any page and comes back", async ({ page }, info) => {
  await page.goto("/stores");
  await ready(page, info);
  await page.getByRole("link", { name: "English" }).click();
  await expect(page).toHaveURL(/\/stores$/);
  await expect(page.getByRole("heading", { name: "Choose a store" })).toBeVisible();
  await expect(page.locator(".tab-bar")).toContainText("Home");
  await page.getByRole("link", { name: "中文" }).click();
  await expect(page.getByRole("heading", { name: "选择门店" })).toBeVisible();
});

test("a product card opens the product with its traceability card", async ({ page }, info) => {
  await page.goto("/?category=vegetables");
  await ready(page, info);
  await page.locator(".product-grid .product-card", { hasText: "寿光西红柿" }).click();
  await expect(page).toHaveURL(/\/p\/\d+$/);
  await expect(page).toHaveTitle("寿光西红柿 · 邻里");
  await expect(page.getByRole("heading", { name: "溯源信息" })).toBeVisible();
  await expect(page.locator(".trace-card")).toContainText("山东寿光");
  await expect(page.locator(".trace-card")).toContainText("寿光田园蔬菜合作社");
  await expect(page.locator(".product-summary")).toContainText("绿源生活·文三路店");
  await page.screenshot({ path: `test-results/product-${info.project.name}.png`, fullPage: true });
});

test("a resident finds their store by 小区 or street name", async ({ page }, info) => {
  await page.goto("/stores");
  await ready(page, info);
  await page.getByRole("searchbox", { name: "按小区或街道找门店" }).fill("马市街");
  await page.getByRole("button", { name: "搜索", exact: true }).click();
  await expect(page.getByText("按「马市街小区」（庆春路）的距离排序")).toBeVisible();
  await expect(page.locator(".store-choice").first()).toContainText("绿源生活·庆春路店");
  await expect(page.locator(".store-choice").first()).toContainText("可配送");

  await page.getByRole("searchbox", { name: "按小区或街道找门店" }).fill("火星小区");
  await page.getByRole("button", { name: "搜索", exact: true }).click();
  await expect(page.getByText("没有找到“火星小区”，换个小区或街道名试试")).toBeVisible();
});

test("while the next page is on its way, the tab keeps a title", async ({ page }, info) => {
  test.skip(!jsOn(info), "without JavaScript every page arrives whole, title and all");
  await page.goto("/?category=vegetables");
  await ready(page, info);
  // A slow network: the product page's code and data take 1.5 s to come, and until they do the
  // home page has gone and the product has not yet named the tab.
  await page.route(/\/(pkg|api)\//, async (route) => {
    await new Promise((r) => setTimeout(r, 1500));
    await route.continue().catch(() => {});
  });
  await page.locator(".product-grid .product-card", { hasText: "寿光西红柿" }).click();
  const titles: string[] = [];
  for (let i = 0; i < 12; i++) {
    titles.push(await page.title());
    await page.waitForTimeout(100);
  }
  expect(titles.filter((t) => !t.trim()), `titles while loading: ${titles.join(" | ")}`).toEqual([]);
  await expect(page).toHaveTitle("寿光西红柿 · 邻里");
  await page.unrouteAll({ behavior: "ignoreErrors" });
});

test("a bundle shows what is in it and is limited by its parts", async ({ page }, info) => {
  await page.goto("/");
  await ready(page, info);
  await expect(page.getByRole("heading", { name: "场景套餐" })).toBeVisible();
  await page.getByRole("link", { name: /周末烧烤套餐/ }).first().click();
  await ready(page, info);
  await expect(page.getByRole("heading", { name: "套餐内容" })).toBeVisible();
  await expect(page.locator(".bundle-card")).toContainText("两头乌五花肉");
  await expect(page.locator(".bundle-card")).toContainText("古田香菇");
});

test("a long latin search stays within a 360 px screen", async ({ page }, info) => {
  const q = "supercalifragilisticexpialidocious".repeat(3).slice(0, 20);
  for (const path of [`/?q=${q}`, `/?q=${"x".repeat(300)}`, `/stores?q=${"Wensanlu".repeat(12)}`]) {
    await page.goto(path);
    await ready(page, info);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width, path).toBeLessThanOrEqual(360);
  }
});

test("without JavaScript, + on a card far down the shelf comes back to that card, not the top", async ({ page }, info) => {
  test.skip(jsOn(info), "with JavaScript the page does not reload");
  await page.goto("/");
  await ready(page, info);
  const card = page.locator(".product-grid .product-card").filter({ has: page.locator(".step-plus:not([disabled])") }).nth(12);
  const id = await card.getAttribute("data-product-id");
  await card.locator(".step-plus").click();
  await expect(page).toHaveURL(new RegExp(`/#p-${id}$`));
  const back = page.locator(`#p-${id}`);
  await expect(back.locator(".step-qty")).toHaveText("1");
  await expect(back).toBeInViewport();
  expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(500);
});
