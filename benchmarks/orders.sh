#!/usr/bin/env bash
# Orders per second on one hot product: many residents' checkouts hitting the same stock row,
# each a full transaction (idempotency key, conditional reservation, order, lines, event).
# Release build, demo chain on a fresh SQLite file — or, with --pg, a fresh PostgreSQL
# database on 127.0.0.1:5432 (dropped afterwards). wrk on loopback, bounded in time.
#   benchmarks/orders.sh [--pg] [seconds, default 10] [connections, default 8]
set -euo pipefail
cd "$(dirname "$0")/.."
pg=0
if [ "${1:-}" = "--pg" ]; then pg=1; shift; fi
secs=${1:-10}
conns=${2:-8}
. benchmarks/serve.sh
bench_serve 3210

# A resident with a session; the hot product gets stock for every order wrk can send.
sid=$(login 13800000001)
product=$(sql "select id from products where name = '寿光西红柿'")
sql "update stock set on_hand = 10000000, reserved = 0 where product_id = $product and store_id = 1" >/dev/null
tomorrow=$(TZ=Asia/Shanghai date -d tomorrow +%F)
cat > "$dir/order.lua" <<LUA
local n = 0
local body = '{"store_id":1,"items":[{"product_id":$product,"qty":1}],"fulfillment":{"type":"pickup","pickup_date":"$tomorrow","window":"17:00-18:00"},"payment":"on_pickup"}'
function setup(thread) thread:set("tid", tostring(math.random(1, 1000000000))) end
function request()
  n = n + 1
  return wrk.format("POST", "/api/v1/orders", {
    ["Content-Type"] = "application/json", ["X-Requested-With"] = "linli",
    ["Cookie"] = "linli_sid=$sid", ["Idempotency-Key"] = tid .. "-" .. n }, body)
end
LUA
echo "== backend: ${DATABASE_URL%%:*}; wrk -t2 -c$conns -d${secs}s POST /api/v1/orders (one hot product)"
wrk -t2 -c"$conns" -d"${secs}s" -s "$dir/order.lua" "$base" | grep -E 'Requests/sec|Latency|requests in|Non-2xx'
echo "== orders in the database: $(sql "select count(*) from orders"); units reserved on the hot product: $(sql "select reserved from stock where product_id = $product and store_id = 1")"
echo "== server memory after the run: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status) RSS"
