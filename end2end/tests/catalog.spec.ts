import { expect } from "@playwright/test";
import { jsOn, newPerson, personPage, png, ready, test } from "./helpers";

const OWNER = "13900000000";
const MANAGER = "13900000011"; // 刘店长

test("the owner creates a product, uploads its photo, and residents see it on the shelf", async ({ browser }, info) => {
  const name = jsOn(info) ? "高山娃娃菜" : "富阳笋干";
  const owner = await personPage(browser, info, OWNER, "/admin/products");
  await ready(owner, info);
  await owner.getByRole("link", { name: "新建商品" }).click();
  await ready(owner, info);

  // Sent empty: every missing field is marked at once, and the first is brought into view.
  await owner.getByRole("button", { name: "创建商品" }).click();
  for (const field of ["name", "unit", "price", "category_id"]) {
    await expect(owner.locator(`#${field}-error`)).toBeVisible();
  }
  await expect(owner.locator("#name-error")).toBeInViewport();
  await ready(owner, info);

  // A mistake next: the price is refused, everything typed stays.
  await owner.getByLabel("商品名").fill(name);
  await owner.getByLabel("规格").fill("500g/份");
  await owner.getByLabel("售价（元）").fill("六块");
  await owner.getByLabel("分类").selectOption({ label: "蔬菜" });
  await owner.getByLabel("产地").fill("临安");
  await owner.getByLabel("今日到货").check();
  await owner.getByRole("button", { name: "创建商品" }).click();
  await ready(owner, info);
  await expect(owner.locator("#price-error")).toContainText("价格按元填写");
  await expect(owner.getByLabel("商品名")).toHaveValue(name);
  await expect(owner.getByLabel("产地")).toHaveValue("临安");
  await expect(owner.getByLabel("今日到货")).toBeChecked();

  await owner.getByLabel("售价（元）").fill("6.8");
  await owner.getByRole("button", { name: "创建商品" }).click();
  await expect(owner.getByRole("status").first()).toContainText("已保存");
  await ready(owner, info);
  await expect(owner.locator("h1")).toContainText(name);
  const id = Number(new URL(owner.url()).pathname.split("/").pop());
  expect(id).toBeGreaterThan(0);

  // Something that only pretends to be a photo is refused in words.
  await owner.locator("input[name=photo]").setInputFiles({ name: "photo.jpg", mimeType: "image/jpeg", buffer: Buffer.from("这不是照片") });
  await owner.getByRole("button", { name: "上传", exact: true }).click();
  await ready(owner, info);
  await expect(owner.locator("#photo-error")).toContainText("这不是照片文件");

  await owner.locator("input[name=photo]").setInputFiles({ name: "IMG_2041.png", mimeType: "image/png", buffer: png(800, 600) });
  await owner.getByRole("button", { name: "上传", exact: true }).click();
  await ready(owner, info);
  await expect(owner.getByRole("status").first()).toContainText("照片已上传");
  await expect(owner.locator(".photo-tile.cover img")).toBeVisible();
  await owner.screenshot({ path: `test-results/catalog-editor-${info.project.name}.png`, fullPage: true });

  // The resident's product page shows the photo, at the price just set.
  const resident = await newPerson(browser, info);
  await resident.goto(`/p/${id}`);
  await ready(resident, info);
  await expect(resident.locator(".product-gallery img")).toBeVisible();
  await expect(resident.locator("main")).toContainText("¥6.8");
  await expect(resident.locator("main")).toContainText("今日到货");
  await resident.screenshot({ path: `test-results/catalog-product-${info.project.name}.png` });

  // Retired: the resident's page no longer has it.
  await owner.getByRole("button", { name: "下架这个商品" }).click();
  await ready(owner, info);
  await expect(owner.locator("h1 .badge")).toContainText("已下架");
  await resident.goto(`/p/${id}`);
  await ready(resident, info);
  await expect(resident.locator("main")).toContainText("可能已经下架");
});

test("a manager edits the description but the price stays the owner's", async ({ browser }, info) => {
  const manager = await personPage(browser, info, MANAGER, "/admin/products");
  await ready(manager, info);
  await expect(manager.getByRole("link", { name: "新建商品" })).toHaveCount(0);
  await manager.locator(".admin-product-link").nth(jsOn(info) ? 2 : 3).click();
  await ready(manager, info);
  await expect(manager.getByLabel("售价（元）")).toHaveAttribute("readonly", "");
  const note = jsOn(info) ? "今早现摘，叶子嫩。" : "本地农场直送，当天到店。";
  await manager.getByLabel(/^介绍/).fill(note);
  await manager.getByLabel("采摘/生产日期").fill("2099-01-01");
  await manager.getByRole("button", { name: "保存" }).click();
  await ready(manager, info);
  await expect(manager.locator("#harvest_date-error")).toContainText("不能晚于今天");
  await expect(manager.getByLabel(/^介绍/)).toHaveValue(note);

  await manager.getByLabel("采摘/生产日期").fill("");
  await manager.getByRole("button", { name: "保存" }).click();
  await expect(manager.getByRole("status").first()).toContainText("已保存");
  await ready(manager, info);
  await expect(manager.getByLabel(/^介绍/)).toHaveValue(note);
});

test("the owner lets stores price a product; the first store's manager sets its price and its residents see it", async ({ browser }, info) => {
  const owner = await personPage(browser, info, OWNER, "/admin/products");
  await ready(owner, info);
  // A different product for the JS and no-JS runs (they share a database).
  await owner.locator(".admin-product-link").nth(jsOn(info) ? 4 : 5).click();
  await ready(owner, info);
  const id = Number(new URL(owner.url()).pathname.split("/").pop());
  await owner.getByLabel(/允许各门店自己定价/).check();
  await owner.getByRole("button", { name: "保存" }).click();
  await expect(owner.getByRole("status").first()).toContainText("已保存");

  const manager = await personPage(browser, info, MANAGER, `/admin/products/${id}`);
  await ready(manager, info);
  const section = manager.locator("#store-prices");
  await expect(section).toBeVisible();
  await section.locator("input[name=price]").first().fill("1.5");
  await section.getByRole("button", { name: "保存" }).first().click();
  await ready(manager, info);
  await expect(manager.locator("#store-prices input[name=price]").first()).toHaveValue("1.5");
  await manager.locator("#store-prices").screenshot({ path: `test-results/catalog-store-price-${info.project.name}.png` });

  // A resident of the first store (the default for a new visitor) sees the store's price.
  const resident = await newPerson(browser, info);
  await resident.goto(`/p/${id}`);
  await ready(resident, info);
  await expect(resident.locator(".product-summary")).toContainText("¥1.5");
});

test("the owner makes a bundle from single products and residents see what is in it", async ({ browser }, info) => {
  const name = jsOn(info) ? "周末火锅套餐" : "一人食晚餐";
  const owner = await personPage(browser, info, OWNER, "/admin/products/new");
  await ready(owner, info);
  await owner.getByLabel("商品名").fill(name);
  await owner.getByLabel("规格").fill("1套");
  await owner.getByLabel("售价（元）").fill("59.9");
  await owner.getByLabel("分类").selectOption({ label: "套餐" });
  await owner.getByRole("button", { name: "创建商品" }).click();
  await expect(owner.getByRole("status").first()).toContainText("已保存");
  await ready(owner, info);
  const id = Number(new URL(owner.url()).pathname.split("/").pop());

  // The recipe: a quantity that is not a number is refused and the rows stay as chosen.
  await owner.getByText("做成套餐（由几样单品组成）").click();
  await owner.locator("select[name=part_0]").selectOption({ index: 1 });
  await owner.locator("input[name=qty_0]").fill("两");
  await owner.locator("select[name=part_1]").selectOption({ index: 2 });
  await owner.getByRole("button", { name: "保存套餐内容" }).click();
  await ready(owner, info);
  await expect(owner.locator("#components-error")).toContainText("套餐由1到8样单品组成");
  const first = ((await owner.locator("select[name=part_0]").locator("option:checked").textContent()) ?? "").split(" ")[0];
  const second = ((await owner.locator("select[name=part_1]").locator("option:checked").textContent()) ?? "").split(" ")[0];
  expect(first.length).toBeGreaterThan(0);
  expect(second.length).toBeGreaterThan(0);

  await owner.locator("input[name=qty_0]").fill("2");
  await owner.getByRole("button", { name: "保存套餐内容" }).click();
  await expect(owner.getByRole("status").first()).toContainText("已保存");
  await ready(owner, info);
  await expect(owner.locator("#bundle summary")).toContainText("套餐里有");
  await expect(owner.locator("input[name=qty_0]")).toHaveValue("2");
  await owner.locator("#bundle").screenshot({ path: `test-results/catalog-bundle-${info.project.name}.png` });

  // The resident's page lists what is in it, and its stock is its parts'.
  const resident = await newPerson(browser, info);
  await resident.goto(`/p/${id}`);
  await ready(resident, info);
  await expect(resident.locator(".bundle-card")).toContainText(first);
  await expect(resident.locator(".bundle-card")).toContainText(second);
  await expect(resident.locator(".product-summary .stock-hint")).not.toContainText("已售罄");
  await resident.context().close();
});
