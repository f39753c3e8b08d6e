#!/usr/bin/env bash
# Checkout on one hot product against the database's own rate, measured in one run:
#  1. raw: N clients committing a conditional UPDATE of the product's stock row + one INSERT,
#     one transaction each, through linli's own connection settings (the ceiling);
#  2. checkout: wrk posting whole orders (POST /api/v1/orders: session, idempotency key,
#     conditional reservation, order, lines, event) at the same N connections;
#  3. burst: 1,000 signed-in households arriving within one second for 100 units, 20 runs —
#     exactly 100 must be sold each time (checked against the stock row and the order lines).
# Release build, demo chain on a fresh SQLite file, or with --pg a fresh PostgreSQL database.
#   benchmarks/checkout.sh [--pg] [seconds per rate run, default 10] [runs of the burst, default 20]
set -euo pipefail
cd "$(dirname "$0")/.."
pg=0
if [ "${1:-}" = "--pg" ]; then pg=1; shift; fi
secs=${1:-10}
runs=${2:-20}
. benchmarks/serve.sh
bench_serve 3211
# The same flags as cargo-leptos's release build, so the tool reuses its compiled crates.
RUSTFLAGS="--cfg erase_components" cargo build -q --release -p linli --example checkout_load
load="${CARGO_TARGET_DIR:-target}/release/examples/checkout_load"

product=$(sql "select id from products where name = '寿光西红柿'")
sid=$(login 13800000001)
tomorrow=$(TZ=Asia/Shanghai date -d tomorrow +%F)
cat > "$dir/order.lua" <<LUA
local n = 0
local body = '{"store_id":1,"items":[{"product_id":$product,"qty":1}],"fulfillment":{"type":"pickup","pickup_date":"$tomorrow","window":"17:00-18:00"},"payment":"on_pickup"}'
-- Keys unique to this run (each connection count is a run of its own): a repeated key is a replay.
function setup(thread) thread:set("tid", os.getenv("RUN") .. "-" .. tostring(math.random(1, 1000000000))) end
function request()
  n = n + 1
  return wrk.format("POST", "/api/v1/orders", {
    ["Content-Type"] = "application/json", ["X-Requested-With"] = "linli",
    ["Cookie"] = "linli_sid=$sid", ["Idempotency-Key"] = tid .. "-" .. n }, body)
end
LUA

echo "== backend: ${DATABASE_URL%%:*}"
# The ceiling: the best raw rate, whether one client commits back to back or many contend.
ceiling=0
for clients in 1 8 64; do
  raw=$("$load" raw --db "$DATABASE_URL" --store 1 --product "$product" --clients "$clients" --seconds "$secs")
  echo "$raw"
  r=$(echo "$raw" | awk '{print $NF}' | tr -d '/s')
  [ "$r" -gt "$ceiling" ] && ceiling=$r
done
for conns in 8 64; do
  sql "update stock set on_hand = reserved + 10000000 where product_id = $product and store_id = 1" >/dev/null
  before=$(sql "select count(*) from orders")
  out=$(RUN=$conns wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$dir/order.lua" "$base/api/v1/orders")
  echo "checkout (wrk, $conns connections):"; echo "$out" | grep -E 'Requests/sec|Latency  |99%|requests in|Non-2xx' | sed 's/^/  /'
  made=$(( $(sql "select count(*) from orders") - before ))
  rate=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  printf '  orders made %d; checkout / best raw = %.0f / %s = %.2f\n' "$made" "$rate" "$ceiling" "$(echo "$rate / $ceiling" | bc -l)"
done
echo "== reserved on the hot product = units on open orders: $(sql "select reserved from stock where product_id = $product and store_id = 1") = $(sql "select coalesce(sum(qty), 0) from order_items i join orders o on o.id = i.order_id where i.product_id = $product and o.status not in ('completed', 'cancelled', 'no_show')")"

echo "== burst: 1000 households within 1 s for 100 units, $runs runs"
"$load" burst --db "$DATABASE_URL" --base "$base" --store 1 --product "$product" --buyers 1000 --units 100 --runs "$runs" --window-ms 1000
echo "== server memory after the runs: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status) RSS"
