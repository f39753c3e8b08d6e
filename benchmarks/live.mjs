// Opens N live rooms (the session's event stream, as guests) on one instance, then has the host
// pin the two products of the line-up in turn 20 times, and measures for every room how long
// each pin took from the host's request to arriving there.
//   node benchmarks/live.mjs BASE HOST_SID SESSION ROOMS PRODUCT_A PRODUCT_B
import http from "node:http";
import { onEvents } from "./sse.mjs";

const [base, hostSid, sessionArg, roomsArg, a, b] = process.argv.slice(2);
const session = Number(sessionArg);
const rooms = Number(roomsArg);
const products = [Number(a), Number(b)];
const url = new URL(base);
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const sent = new Map(); // pin round -> ms
let round = -1;
const latencies = [];
let connected = 0;
const open = [];

function room() {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: url.hostname, port: url.port, path: `/api/v1/live-sessions/${session}/events`, agent, headers: { accept: "text/event-stream" } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`room: ${res.statusCode}`));
      open.push(res);
      let first = true;
      let seen = -1;
      onEvents(res, (name) => {
        if (name !== "state") return;
        if (first) { first = false; connected++; resolve(); return; }
        const t0 = sent.get(round);
        if (t0 !== undefined && seen !== round) { seen = round; latencies.push(performance.now() - t0); }
      });
    });
    req.on("error", reject);
  });
}

function pin(product) {
  const body = JSON.stringify({ product_id: product });
  round++;
  sent.set(round, performance.now());
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: `/api/v1/live-sessions/${session}/pin`, method: "POST", agent,
      headers: { cookie: `linli_sid=${hostSid}`, "content-type": "application/json", "x-requested-with": "linli", "content-length": Buffer.byteLength(body) } },
      (res) => { res.resume(); res.on("end", () => (res.statusCode === 200 ? resolve() : reject(new Error(`pin: ${res.statusCode}`)))); });
    req.on("error", reject);
    req.end(body);
  });
}

const t = performance.now();
const opening = [];
for (let i = 0; i < rooms; i++) {
  opening.push(room());
  if (i % 200 === 199) await Promise.all(opening.slice(-200));
}
await Promise.all(opening);
console.log(`rooms open: ${connected} (opened in ${((performance.now() - t) / 1000).toFixed(1)} s)`);

const pins = 20;
let all = [];
for (let k = 0; k < pins; k++) {
  const before = latencies.length;
  await pin(products[k % 2]);
  const deadline = performance.now() + 10_000;
  while (latencies.length < before + rooms && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
}
all = latencies.slice().sort((x, y) => x - y);
const q = (p) => all[Math.min(all.length - 1, Math.floor(p * all.length))].toFixed(1);
console.log(`pins: ${pins}; deliveries: ${all.length} of ${pins * rooms}`);
console.log(`pin → room ms: p50 ${q(0.5)}  p99 ${q(0.99)}  max ${all[all.length - 1].toFixed(1)}`);
if (process.env.SERVER_PID) {
  const { readFileSync } = await import("node:fs");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${process.env.SERVER_PID}/status`, "utf8"))?.[1] ?? 0);
  console.log(`server memory with ${connected} rooms open: ${(kb / 1024).toFixed(1)} MB RSS (${connected ? ((kb / connected)).toFixed(1) : 0} KB a room)`);
}
for (const r of open) r.destroy();
agent.destroy();
