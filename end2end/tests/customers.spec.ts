import { expect, test } from "@playwright/test";
import { jsOn, personPage, ready } from "./helpers";

const STAFF = "13900000021"; // 小赵, the first store

test("the counter finds a member by the phone's last digits, tops up with a receipt and reverses a mistake", async ({ browser }, info) => {
  // The JS and no-JS runs share a database: each works on its own member.
  const [tail, name] = jsOn(info) ? ["0001", "王阿姨"] : ["0002", "李先生"];
  const staff = await personPage(browser, info, STAFF, "/admin/customers");
  await ready(staff, info);

  await staff.getByLabel("搜会员").fill("123");
  await staff.getByRole("button", { name: "搜索" }).click();
  await ready(staff, info);
  await expect(staff.locator("#q-error")).toContainText("后4位");

  await staff.getByLabel("搜会员").fill(tail);
  await staff.getByRole("button", { name: "搜索" }).click();
  await ready(staff, info);
  await staff.locator(".customer-row", { hasText: name }).click();
  await ready(staff, info);
  await expect(staff.locator("h1")).toContainText(name);
  const before = (await staff.getByTestId("balance").textContent())!.trim();

  // A bad amount keeps what was typed and changes nothing.
  await staff.getByLabel("收到的金额").fill("12.345");
  await staff.getByRole("button", { name: "确认充值" }).click();
  await ready(staff, info);
  await expect(staff.locator("#amount-error")).toBeVisible();
  await expect(staff.getByLabel("收到的金额")).toHaveValue("12.345");
  await expect(staff.getByTestId("balance")).toHaveText(before);

  // ¥500 typed for ¥50: a receipt, then a reversal with its own receipt.
  await staff.getByLabel("收到的金额").fill("500");
  await staff.getByRole("button", { name: "确认充值" }).click();
  await ready(staff, info);
  await expect(staff.getByTestId("receipt")).toContainText("充值小票");
  await expect(staff.getByTestId("receipt")).toContainText("+¥500");
  await staff.screenshot({ path: `test-results/customer-${info.project.name}.png`, fullPage: true });
  staff.once("dialog", (d) => d.accept()); // 确认冲正这笔充值？
  await staff.locator(".ledger-row", { hasText: "+¥500" }).getByRole("button", { name: "冲正" }).click();
  await ready(staff, info);
  await expect(staff.getByTestId("receipt")).toContainText("冲正凭证");
  await expect(staff.getByTestId("balance")).toHaveText(before);
  await expect(staff.locator(".ledger-row", { hasText: "+¥500" })).toContainText("已冲正");
  await expect(staff.locator(".ledger-row", { hasText: "+¥500" }).getByRole("button", { name: "冲正" })).toHaveCount(0);
});
