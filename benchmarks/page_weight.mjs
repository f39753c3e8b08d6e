// What a phone transfers to open each page cold (a new browser profile, brotli accepted):
// HTML, CSS, JS and WASM as sent over the wire, including the WASM chunks a page fetches
// after it starts (lazy routes). Run by benchmarks/page_weight.sh against a release build.
//   node benchmarks/page_weight.mjs http://127.0.0.1:3200
import { createRequire } from "node:module";

// Playwright lives in end2end/node_modules (scripts/setup.sh --browser installs it).
const { chromium } = createRequire(new URL("../end2end/package.json", import.meta.url))("@playwright/test");

const base = process.argv[2] ?? "http://127.0.0.1:3200";
const RESIDENT = "13800000003";
const OWNER = "13900000000";
const MANAGER = "13900000011";
const PASSWORD = "linli1234";

async function signIn(context, phone) {
  const r = await context.request.post(`${base}/api/v1/auth/login`, {
    headers: { "x-requested-with": "linli" },
    data: { phone, password: PASSWORD },
  });
  if (!r.ok()) throw new Error(`login ${phone}: ${r.status()}`);
}

/** China's calendar day (UTC+8), `days` from now, as "2026-12-02". */
function chinaDay(days) {
  return new Date(Date.now() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

/** An order of the resident and an open group buy, so their pages have something to show. */
async function ids(browser) {
  const context = await browser.newContext();
  const headers = { "x-requested-with": "linli" };
  await signIn(context, RESIDENT);
  const placed = await context.request.post(`${base}/api/v1/orders`, {
    headers: { ...headers, "idempotency-key": `weight-${Date.now()}` },
    data: { store_id: 1, items: [{ product_id: 1, qty: 1 }], fulfillment: { type: "pickup", pickup_date: chinaDay(1), window: "17:00-18:00" }, payment: "wallet" },
  });
  const placedBody = placed.ok() ? await placed.json() : {};
  const order = placedBody.id;
  // The group price: a little under what the order paid for the same product.
  const price = placedBody.items?.[0]?.price_fen ?? 1000;
  await context.clearCookies();
  await signIn(context, MANAGER);
  const made = await context.request.post(`${base}/api/v1/group-buys`, {
    headers,
    data: {
      store_id: 1, product_id: 1, price_fen: Math.max(1, price - 100), min_households: 10, max_units: null, per_household_limit: 2,
      deadline: new Date(Date.now() + 8 * 3600_000 + 86_400_000).toISOString().slice(0, 16), pickup_date: chinaDay(2),
      title: "赣南脐橙产地直发", story: "果园直采",
    },
  });
  const groupBuy = made.ok() ? (await made.json()).id : undefined;
  if (!order || !groupBuy) console.error(`note: order ${placed.status()} ${await placed.text()}; group buy ${made.status()} ${await made.text()}`);
  await context.close();
  return { order, groupBuy };
}

function kind(url, type) {
  const path = new URL(url).pathname;
  if (path.endsWith(".wasm")) return "wasm";
  if (path.endsWith(".js")) return "js";
  if (path.endsWith(".css")) return "css";
  if (type === "document") return "html";
  return "other";
}

async function weigh(browser, path, who) {
  const context = await browser.newContext({ viewport: { width: 360, height: 780 }, isMobile: true, hasTouch: true });
  if (who) await signIn(context, who);
  const page = await context.newPage();
  const sizes = { html: 0, css: 0, js: 0, wasm: 0, other: 0 };
  const pending = [];
  let chunks = 0;
  page.on("requestfinished", (request) => {
    pending.push(
      request.sizes().then((s) => {
        const k = kind(request.url(), request.resourceType());
        sizes[k] += s.responseBodySize;
        if (k === "wasm") chunks += 1;
      }),
    );
  });
  await page.goto(base + path, { waitUntil: "networkidle" });
  await page.waitForSelector("body[data-hydrated=true]", { timeout: 30_000 });
  await page.waitForLoadState("networkidle");
  await Promise.all(pending);
  await context.close();
  const total = sizes.html + sizes.css + sizes.js + sizes.wasm;
  return { path, who: who ? (who === OWNER ? "owner" : "resident") : "guest", ...sizes, chunks, total };
}

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-quic"] });
const { order, groupBuy } = await ids(browser);
const pages = [
  ["/", null],
  ["/p/1", null],
  ["/group-buys", null],
  groupBuy ? [`/g/${groupBuy}`, null] : null,
  ["/cart", RESIDENT],
  ["/checkout", RESIDENT],
  ["/orders", RESIDENT],
  order ? [`/orders/${order}`, RESIDENT] : null,
  ["/me", RESIDENT],
  ["/admin/orders", OWNER],
  ["/admin/products/1", OWNER],
].filter(Boolean);

const kb = (n) => (n / 1024).toFixed(1).padStart(7);
console.log("page                    who        html     css      js    wasm  (files)   total KB (as transferred)");
for (const [path, who] of pages) {
  const w = await weigh(browser, path, who);
  console.log(`${w.path.padEnd(22)}  ${w.who.padEnd(8)} ${kb(w.html)} ${kb(w.css)} ${kb(w.js)} ${kb(w.wasm)}  (${String(w.chunks).padStart(2)})  ${kb(w.total)}`);
}
await browser.close();
