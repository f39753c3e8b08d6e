import { expect, Page } from "@playwright/test";
import { jsOn, newPerson, personPage, png, ready, signUp, test } from "./helpers";

const MANAGER = "13900000011"; // 刘店长, the first store

/** The store a manager works at. */
async function storeOf(manager: Page): Promise<number> {
  const me = await (await manager.request.get("/api/v1/me")).json();
  return me.roles.find((r: { role: string }) => r.role === "manager").store_id;
}

/** A fresh resident who signs up from the group's link and joins as `name` of `estate`. */
async function joinAs(page: Page, info: Parameters<typeof ready>[1], store: number, name: string, estate: string) {
  // The link (and the counter's QR code) names the store; the sign-up comes back to it.
  await signUp(page, info, encodeURIComponent(`/community?store=${store}`), name);
  await expect(page.getByRole("heading", { name: /邻里群/ })).toBeVisible();
  await ready(page, info);
  await expect(page.getByRole("button", { name: "加入邻里群" })).toBeVisible();
  await page.getByLabel("群里怎么称呼你").fill(name);
  await page.getByLabel("小区或楼栋").fill(estate);
  await page.getByRole("button", { name: "加入邻里群" }).click();
  await ready(page, info);
  await expect(page.locator(".page-head")).toContainText(`我是 ${name}(${estate})`);
}

test("a resident joins the group by its link, posts a photo, votes and sees the result", async ({ browser, page }, info) => {
  const run = `${jsOn(info) ? "甲" : "乙"}${Date.now() % 10_000}`;
  const manager = await personPage(browser, info, MANAGER);
  const store = await storeOf(manager);

  // The store asks the group from the back office.
  const question = `下次直播想看什么？${run}`;
  await manager.goto(`/admin/community?store=${store}`);
  await ready(manager, info);
  await manager.getByLabel("问题").fill(question);
  await manager.getByLabel("选项（一行一个，2到10个）").fill("车厘子\n草莓\n海鲜");
  await manager.getByRole("button", { name: "发起投票", exact: true }).click();
  await ready(manager, info);
  await expect(manager.locator("#posts")).toContainText(question);

  await joinAs(page, info, store, "测试阿姨", "嘉绿苑3幢");

  // Something that only pretends to be a photo: refused in words, the text kept.
  const text = `今天的草莓真甜，孩子一口气吃了半盒 ${run}`;
  const box = page.getByLabel("和邻居们说点什么");
  await box.fill(text);
  await page.locator("input[name=photo]").setInputFiles({ name: "IMG_0001.jpg", mimeType: "image/jpeg", buffer: Buffer.from("这不是照片") });
  await page.getByRole("button", { name: "发布", exact: true }).click();
  await ready(page, info);
  await expect(page.locator("#photo-error")).toContainText("这不是照片文件");
  await expect(box).toHaveValue(text);

  await page.locator("input[name=photo]").setInputFiles({ name: "IMG_0002.png", mimeType: "image/png", buffer: png(800, 600) });
  await page.getByRole("button", { name: "发布", exact: true }).click();
  await ready(page, info);
  await expect(page.getByRole("status").filter({ hasText: "发好了" })).toBeVisible();
  const mine = page.locator(".post").filter({ hasText: text });
  await expect(mine.locator(".post-author")).toHaveText("测试阿姨(嘉绿苑3幢)");
  await expect(mine.locator(".post-photos img")).toHaveCount(1);
  await expect(mine.locator(".post-photos img")).toHaveAttribute("loading", "lazy");

  // The poll: choices first, the counts only after voting.
  const poll = page.locator(".post").filter({ hasText: question });
  await expect(poll).toContainText("投票后可以看结果");
  await expect(poll.locator(".poll-results")).toHaveCount(0);
  await poll.getByLabel("草莓").check();
  await poll.getByRole("button", { name: "投票" }).click();
  await ready(page, info);
  const voted = page.locator(".post").filter({ hasText: question });
  await expect(voted.locator(".poll-mine")).toContainText("草莓");
  await expect(voted).toContainText("1位邻居投了票");
  await expect(voted.locator(".poll-mine")).toContainText("1票 100%");
  await page.screenshot({ path: `test-results/community-feed-${info.project.name}.png`, fullPage: true });
});

test("the store hides a post and it is gone from the neighbours' feed", async ({ browser, page }, info) => {
  const run = `${jsOn(info) ? "甲" : "乙"}${Date.now() % 10_000}`;
  const manager = await personPage(browser, info, MANAGER);
  const store = await storeOf(manager);
  await joinAs(page, info, store, "卖车的", "嘉绿苑");
  const text = `出二手婴儿车，九成新，私聊 ${run}`;
  await page.getByLabel("和邻居们说点什么").fill(text);
  await page.getByRole("button", { name: "发布", exact: true }).click();
  await ready(page, info);
  await expect(page.locator(".post").filter({ hasText: text })).toBeVisible();

  const neighbour = await newPerson(browser, info);
  await joinAs(neighbour, info, store, "李叔", "嘉绿苑2幢");
  await expect(neighbour.locator(".post").filter({ hasText: text })).toBeVisible();

  await manager.goto(`/admin/community?store=${store}`);
  await ready(manager, info);
  const row = manager.locator("#posts .office-row").filter({ hasText: text });
  await row.locator("summary", { hasText: "隐藏" }).click();
  await row.getByLabel("原因（作者会看到）").fill("群里不发二手广告");
  await row.getByRole("button", { name: "确定隐藏" }).click();
  await ready(manager, info);
  await expect(manager.locator("#posts")).not.toContainText(text);
  await manager.screenshot({ path: `test-results/community-office-${info.project.name}.png`, fullPage: true });

  // Gone for the neighbour; the author still sees it, with the store's reason.
  await neighbour.reload();
  await ready(neighbour, info);
  await expect(neighbour.locator("#feed")).toBeVisible();
  await expect(neighbour.locator("#feed")).not.toContainText(text);
  await page.reload();
  await ready(page, info);
  await expect(page.locator(".post").filter({ hasText: text })).toContainText("门店已隐藏这条，只有你看得到。原因：群里不发二手广告");
});
