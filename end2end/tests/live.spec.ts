import { expect } from "@playwright/test";
import { jsOn, newPerson, personPage, ready, scheduleLive as schedule, test } from "./helpers";

// A manager, a resident and a guest sign in or open pages per test.
test.describe.configure({ timeout: 120_000 });

const MANAGER = "13900000011"; // 刘店长, the first store
const RESIDENT = "13800000003"; // 张女士

test("a host schedules, goes live and pins; a resident who asked to be reminded sees the pin come in, buys in two taps and comments", async ({ browser }, info) => {
  const manager = await personPage(browser, info, MANAGER, "/admin/live");
  await ready(manager, info);
  // A form sent with nothing ticked keeps what was typed and says what is missing.
  await manager.goto("/admin/live/new");
  await ready(manager, info);
  await manager.getByLabel("标题（最多30个字）").fill("晚市日清");
  await manager.getByRole("button", { name: "安排直播" }).click();
  await expect(manager.locator(".field-error").first()).toContainText("直播要上1到30款商品");
  await expect(manager.getByLabel("标题（最多30个字）")).toHaveValue("晚市日清");

  const { id, product } = await schedule(manager, `果园直击 ${info.project.name}`);
  await ready(manager, info);
  await expect(manager.locator(".live-badge").first()).toHaveText("预告");

  // A resident opens the shared link before it starts: the countdown and 提醒我.
  const resident = await personPage(browser, info, RESIDENT, `/live/${id}`);
  await ready(resident, info);
  await expect(resident.locator("h1.live-title")).toHaveText(`果园直击 ${info.project.name}`);
  await expect(resident.locator(".live-when")).toContainText("开播");
  await expect(resident.locator(".live-line")).toContainText("平时价");
  await resident.getByRole("button", { name: "提醒我" }).click();
  await expect(resident.locator(".live-remind .notice-ok")).toContainText("已设提醒");

  // The host goes live and pins the product; the resident's open room follows by itself.
  await manager.getByRole("button", { name: "开始直播" }).click();
  await expect(manager.locator(".live-badge").first()).toHaveText("直播中");
  await manager.getByRole("button", { name: "讲解这款" }).click();
  await expect(manager.getByRole("button", { name: "取消讲解" })).toBeVisible();
  await manager.screenshot({ path: `test-results/live-console-${info.project.name}.png`, fullPage: true });
  if (!jsOn(info)) await resident.reload();
  await expect(resident.locator(".live-badge").first()).toHaveText("直播中");
  await expect(resident.locator(".live-pinned")).toContainText(product);
  await expect(resident.locator(".live-pinned .live-left")).toHaveText("剩3件");
  await resident.screenshot({ path: `test-results/live-room-${info.project.name}.png`, fullPage: true });

  // 抢购: the form opens under the pin; pickup today or tomorrow, pay at pickup, one tap.
  await resident.getByRole("link", { name: "马上抢" }).click();
  await expect(resident.locator("#buy")).toContainText("抢购");
  await ready(resident, info);
  await resident.getByLabel(/数量/).fill("2");
  await resident.getByLabel("取货 / 送到时再付").check();
  await resident.getByRole("button", { name: "确认抢购" }).click();
  await expect(resident).toHaveURL(/\/orders\/\d+$/);
  await ready(resident, info);
  await expect(resident.locator("body")).toContainText("取货码");
  await expect(resident.locator("body")).toContainText("¥1.98");

  // Back in the room: the units left went down, and this resident is at the limit.
  await resident.goto(`/live/${id}?buy=${await productId(resident, id)}#buy`);
  await ready(resident, info);
  await expect(resident.locator(".live-pinned .live-left")).toHaveText("剩1件");
  await expect(resident.locator("#buy")).toContainText("你已经抢到2件了");

  // A comment reaches the host's console; hidden there, it leaves the room.
  await resident.getByLabel("说点什么").fill("<b>几点能取？</b>");
  await resident.getByRole("button", { name: "发送" }).click();
  await expect(resident.locator(".live-comment-list")).toContainText("<b>几点能取？</b>");
  if (!jsOn(info)) await manager.reload();
  const line = manager.locator(".live-comment", { hasText: "几点能取" });
  await expect(line).toBeVisible();
  await line.getByRole("button", { name: "隐藏" }).click();
  await expect(manager.locator(".live-comment", { hasText: "几点能取" })).toHaveCount(0);
  if (!jsOn(info)) await resident.reload();
  await expect(resident.locator(".live-comment", { hasText: "几点能取" })).toHaveCount(0);

  // The reminder is in the resident's notifications, leading to the room.
  await resident.goto("/notifications");
  await ready(resident, info);
  await expect(resident.getByRole("link", { name: /你预约的直播开始了/ }).first()).toHaveAttribute("href", `/live/${id}`);

  // The end: live prices stop; the room shows the usual prices and no buy button.
  await manager.goto(`/admin/live/${id}`);
  await ready(manager, info);
  await manager.locator("summary", { hasText: "结束直播" }).click();
  await manager.getByRole("button", { name: "确定结束" }).click();
  await expect(manager.locator(".notice")).toContainText("直播已结束");
  await resident.goto(`/live/${id}`);
  await ready(resident, info);
  await expect(resident.locator(".live-head .notice")).toContainText("直播价也结束了");
  await expect(resident.getByRole("link", { name: "抢购" })).toHaveCount(0);
  await expect(resident.locator(".live-line")).toContainText("平时价");
});

test("the 直播 tab lists the store's sessions and a guest can watch but is asked to log in to buy", async ({ browser }, info) => {
  const manager = await personPage(browser, info, MANAGER, "/admin/live");
  const { id } = await schedule(manager, `日清 ${info.project.name}`);
  await manager.getByRole("button", { name: "开始直播" }).click();
  await expect(manager.locator(".live-badge").first()).toHaveText("直播中");

  const guest = await newPerson(browser, info);
  await guest.goto("/");
  await ready(guest, info);
  await guest.getByRole("link", { name: "直播" }).click();
  await expect(guest).toHaveURL(/\/live$/);
  await ready(guest, info);
  const card = guest.locator(`a.live-card[href="/live/${id}"]`);
  await expect(card).toContainText("直播中");
  await card.click();
  await expect(guest).toHaveURL(new RegExp(`/live/${id}$`));
  await ready(guest, info);
  await expect(guest.getByRole("link", { name: "登录后参与评论" })).toBeVisible();
  await guest.getByRole("link", { name: "抢购" }).first().click();
  await expect(guest.getByRole("link", { name: "登录后抢购" })).toBeVisible();
  // Everything fits a 360 px phone.
  const width = await guest.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(360);
  await guest.screenshot({ path: `test-results/live-guest-${info.project.name}.png`, fullPage: true });
  await manager.request.post(`/api/v1/live-sessions/${id}/end`, { headers: { "x-requested-with": "linli" } });
});

/** The id of the session's first product, from the API. */
async function productId(page: Page, id: number): Promise<number> {
  const s = await (await page.request.get(`/api/v1/live-sessions/${id}`)).json();
  return s.items[0].product_id;
}
