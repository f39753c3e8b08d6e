import { expect } from "@playwright/test";
import { freshPhone, jsOn, newPerson, personPage, ready, test } from "./helpers";

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

test("a locked-out resident gets a one-time reset code at the counter and sets a new password; other phones are signed out", async ({ browser }, info) => {
  const phone = freshPhone();
  const name = `重置${info.project.name}${phone.slice(-4)}`;
  // Her old phone, signed in.
  const oldPhone = await newPerson(browser, info);
  const made = await oldPhone.request.post("/api/v1/auth/register", { headers: { "x-requested-with": "linli" }, data: { phone, password: "old-password-1", name } });
  expect(made.status()).toBe(201);
  // Someone guessed until the number locked.
  const stranger = await newPerson(browser, info);
  for (let i = 0; i < 6; i++) {
    await stranger.request.post("/api/v1/auth/login", { headers: { "x-requested-with": "linli" }, data: { phone, password: "guess-guess-1" } });
  }

  const staff = await personPage(browser, info, STAFF, "/admin/customers");
  await staff.getByLabel("搜会员").fill(phone.slice(-4));
  await staff.getByRole("button", { name: "搜索" }).click();
  await ready(staff, info);
  await staff.locator(".customer-row", { hasText: name }).click();
  await ready(staff, info);
  // The first tap asks the clerk to check who is asking; the second makes the code.
  await staff.locator("summary", { hasText: "生成重置码" }).click();
  await expect(staff.locator(".ask-first-question")).toContainText("先核对是本人");
  await staff.getByRole("button", { name: "核对过了，生成重置码" }).click();
  await expect(staff.locator(".reset-code")).toBeVisible();
  await ready(staff, info);
  const code = (await staff.locator(".reset-code").textContent())!.replace(/\s/g, "");
  expect(code).toMatch(/^\d{8}$/);
  await expect(staff.locator(".password-reset")).toContainText("只显示这一次");
  await staff.screenshot({ path: `test-results/reset-code-${info.project.name}.png`, fullPage: true });
  // Shown once: a reload does not show it again.
  await staff.reload();
  await expect(staff.locator(".reset-code")).toHaveCount(0);

  // At home, on a new phone: 忘记密码 from the login page.
  const newPhone = await newPerson(browser, info);
  await newPhone.goto("/login");
  await ready(newPhone, info);
  await newPhone.getByRole("link", { name: "忘记密码？" }).click();
  await expect(newPhone).toHaveURL(/\/reset$/);
  await ready(newPhone, info);
  await expect(newPhone.locator(".reset-steps")).toContainText("门店收银台");
  await newPhone.getByLabel("手机号").fill(phone);
  await newPhone.getByLabel("重置码").fill(code === "00000000" ? "11111111" : "00000000");
  await newPhone.getByLabel("新密码").fill("new-password-2");
  await newPhone.getByRole("button", { name: "设置新密码并登录" }).click();
  await expect(newPhone.locator("#code-error")).toContainText("重置码不对或已过期");
  await expect(newPhone.getByLabel("手机号")).toHaveValue(phone);
  await ready(newPhone, info);
  await newPhone.getByLabel("重置码").fill(`${code.slice(0, 4)} ${code.slice(4)}`);
  await newPhone.getByLabel("新密码").fill("new-password-2");
  await newPhone.getByRole("button", { name: "设置新密码并登录" }).click();
  await expect(newPhone).toHaveURL(/\/me\?reset=1$/);
  await ready(newPhone, info);
  await expect(newPhone.getByRole("status")).toContainText("新密码设好了");
  await expect(newPhone.locator(".profile-name")).toHaveText(name);
  await newPhone.screenshot({ path: `test-results/reset-done-${info.project.name}.png`, fullPage: true });

  // The old phone is signed out.
  await oldPhone.goto("/me");
  await ready(oldPhone, info);
  await expect(oldPhone.getByRole("link", { name: "登录" })).toBeVisible();
});
