// Opens N server-sent event streams on one instance, spread over the given orders, then moves
// each order through accepted → picking → ready and measures, for every stream, how long a
// status change took from the staff's request to arriving on the stream.
//   node benchmarks/events.mjs BASE RESIDENT_SID STAFF_SID STREAMS ORDER_ID...
import http from "node:http";
import { onEvents } from "./sse.mjs";

const [base, residentSid, staffSid, streamsArg, ...orderArgs] = process.argv.slice(2);
const streams = Number(streamsArg);
const orders = orderArgs.map(Number);
const url = new URL(base);
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const sent = new Map(); // "order:status" -> ms
const latencies = [];
let connected = 0;

function open(order) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: url.hostname, port: url.port, path: `/api/v1/orders/${order}/events`, agent,
      headers: { cookie: `linli_sid=${residentSid}`, accept: "text/event-stream" } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`stream ${order}: ${res.statusCode}`));
      let first = true;
      onEvents(res, (_name, data) => {
        if (first) { first = false; connected++; resolve(); return; }
        const { status } = JSON.parse(data);
        const t0 = sent.get(`${order}:${status}`);
        if (t0 !== undefined) latencies.push(performance.now() - t0);
      });
    });
    req.on("error", reject);
  });
}

async function move(order, to) {
  const body = JSON.stringify({ to });
  sent.set(`${order}:${to}`, performance.now());
  await new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: `/api/v1/staff/orders/${order}/transition`, method: "POST", agent,
      headers: { cookie: `linli_sid=${staffSid}`, "content-type": "application/json", "x-requested-with": "linli", "content-length": Buffer.byteLength(body) } },
      (res) => { res.resume(); res.on("end", () => (res.statusCode === 200 ? resolve() : reject(new Error(`move ${order} → ${to}: ${res.statusCode}`)))); });
    req.on("error", reject);
    req.end(body);
  });
}

const t = performance.now();
const opening = [];
for (let i = 0; i < streams; i++) {
  opening.push(open(orders[i % orders.length]));
  if (i % 200 === 199) await Promise.all(opening.slice(-200));
}
await Promise.all(opening);
console.log(`open streams: ${connected} (opened in ${((performance.now() - t) / 1000).toFixed(1)} s)`);

const expected = streams * 3;
for (const to of ["accepted", "picking", "ready"]) {
  for (const order of orders) await move(order, to);
}
const deadline = performance.now() + 10_000;
while (latencies.length < expected && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
latencies.sort((a, b) => a - b);
const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(1);
console.log(`status changes: ${orders.length * 3}; deliveries: ${latencies.length} of ${expected}`);
console.log(`delivery time ms: p50 ${q(0.5)}  p99 ${q(0.99)}  max ${latencies[latencies.length - 1].toFixed(1)}`);
// While the streams are still open: what the server reports, and what it holds in memory.
const metrics = await (await fetch(`${base}/metrics`)).text();
const gauge = metrics.split("\n").find((l) => l.startsWith("sse_streams_open"));
let rss = "";
if (process.env.SERVER_PID) {
  const { readFileSync } = await import("node:fs");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${process.env.SERVER_PID}/status`, "utf8"))?.[1] ?? 0);
  rss = `; server RSS ${Math.round(kb / 1024)} MB`;
}
console.log(`${gauge ?? "sse_streams_open ?"}${rss}`);
process.exit(latencies.length === expected ? 0 : 1);
