import { expect } from "@playwright/test";
import { jsOn, newPerson, personPage, ready, test } from "./helpers";

const MANAGER = "13900000011"; // 刘店长, 文三路店 (the store a guest sees first)

test("a manager sets up 晚市特惠 and residents see the markdown on the shelf", async ({ browser }, info) => {
  // Each run marks down its own category, so JS on and off do not meet.
  const [category, slug] = jsOn(info) ? ["水果", "fruit"] : ["肉禽蛋", "meat-eggs"];
  const name = jsOn(info) ? "水果日清" : "肉蛋日清";
  const manager = await personPage(browser, info, MANAGER, "/admin/markdowns");
  await ready(manager, info);

  // A mistake first: 12折 is not a discount. The message is in place and what was typed stays.
  await manager.getByLabel("名称").fill(name);
  await manager.getByLabel(category, { exact: true }).check();
  await manager.getByLabel("第1档 开始时间").fill("00:00");
  await manager.getByLabel("第1档 打几折").fill("12");
  await manager.getByLabel("第2档 开始时间").fill("");
  await manager.getByLabel("第2档 打几折").fill("");
  await manager.getByLabel(/结束时间/).fill("00:00");
  await manager.getByRole("button", { name: "保存规则" }).click();
  await expect(manager.getByText("特惠分1到3档")).toBeVisible();
  await expect(manager.getByLabel("名称")).toHaveValue(name);
  await expect(manager.getByLabel(category, { exact: true })).toBeChecked();
  await expect(manager.getByLabel("第1档 打几折")).toHaveValue("12");

  // Fixed: all day at 8折 (00:00 to midnight), so the test does not depend on the hour.
  await manager.getByLabel("第1档 打几折").fill("8");
  await manager.getByLabel("第2档 开始时间").fill("");
  await manager.getByLabel("第2档 打几折").fill("");
  await manager.getByRole("button", { name: "保存规则" }).click();
  const card = manager.locator(".markdown-rule", { hasText: name });
  await expect(card).toContainText("正在特惠 8折");
  await expect(card).toContainText(category);
  await expect(card).toContainText("00:00起 8折 · 至24:00");
  // What is left of the category is listed for the closing write-off, at the markdown price;
  // the write-off needs its box ticked, so a stray tap throws nothing away.
  await expect(manager.locator(".leftover").first()).toBeVisible();
  const leftBefore = await manager.locator(".leftover").count();
  await manager.getByRole("button", { name: /记为日清报损/ }).click();
  await expect(manager.getByText("先勾选确认")).toBeVisible();
  await expect(manager.locator(".leftover")).toHaveCount(leftBefore);

  // A resident (signed out) sees the markdown on the shelf: the tag, the price struck through.
  const resident = await newPerson(browser, info);
  await resident.goto(`/?category=${slug}`);
  await ready(resident, info);
  const first = resident.locator(".product-card:not(.sold-out)").first();
  // The tag carries the rule's own name, not a generic 晚市特惠.
  await expect(first.locator(".tag-markdown")).toHaveText(`${name} 8折`);
  const was = await first.locator(".price-was").textContent();
  expect(was).toMatch(/^¥[\d.]+$/);
  const now = `${await first.locator(".price-yuan").textContent()}${await first.locator(".price-dec").textContent()}`;
  const wasFen = Math.round(Number(was!.slice(1)) * 100);
  // 8折 to the nearest fen, as the server rounds.
  expect(Math.round(Number(now) * 100)).toBe(Math.floor((wasFen * 80 + 50) / 100));
  // The product page says the same.
  await first.locator(".product-link").click();
  await ready(resident, info);
  await expect(resident.locator(".tag-markdown")).toHaveText(`${name} 8折`);
  await expect(resident.locator(".product-summary .price-was")).toHaveText(was!);
  await resident.screenshot({ path: `test-results/markdown-product-${info.project.name}.png` });
  await manager.screenshot({ path: `test-results/markdowns-${info.project.name}.png`, fullPage: true });

  // Deleting asks first, naming the rule; only the second tap deletes.
  await card.locator("summary", { hasText: "删除" }).click();
  await expect(card.getByText(`删除「${name}」？`)).toBeVisible();
  await expect(manager.locator(".markdown-rule", { hasText: name })).toHaveCount(1);
  await card.getByRole("button", { name: "确定删除" }).click();
  await expect(manager.locator(".markdown-rule", { hasText: name })).toHaveCount(0);
  await resident.goto(`/?category=${slug}`);
  await ready(resident, info);
  await expect(resident.locator(".tag-markdown")).toHaveCount(0);
  await resident.context().close();
});
