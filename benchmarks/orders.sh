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
scripts/setup.sh --release
command -v wrk >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null; }; }
scripts/build.sh --release >/dev/null 2>&1
bin="${CARGO_TARGET_DIR:-target}/release/linli"
port=3210
dir=$(mktemp -d)
if [ "$pg" = 1 ]; then
  db="linli_bench_$$"
  psql -h 127.0.0.1 -U postgres -qc "create database $db"
  export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db"
else
  export DATABASE_URL="sqlite://$dir/bench.db"
fi
export LEPTOS_SITE_ROOT=target/site LINLI_ADDR=127.0.0.1:$port RUST_LOG=warn
"$bin" seed-demo >/dev/null
"$bin" serve & pid=$!
cleanup() {
  kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true
  [ "$pg" = 1 ] && psql -h 127.0.0.1 -U postgres -qc "drop database if exists $db with (force)"
  rm -rf "$dir"
}
trap cleanup EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
base="http://127.0.0.1:$port"

# A resident with a session; the hot product gets stock for every order wrk can send.
curl -s -c "$dir/jar" -H 'x-requested-with: linli' -H 'content-type: application/json' \
  -d '{"phone":"13800000001","password":"linli1234"}' "$base/api/v1/auth/login" >/dev/null
sid=$(awk '$6 == "linli_sid" {print $7}' "$dir/jar")
sql() {
  if [ "$pg" = 1 ]; then psql -h 127.0.0.1 -U postgres -d "$db" -tAqc "$1"
  else python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); r=c.execute(sys.argv[2]).fetchall(); c.commit(); print(r[0][0] if r else '')" "$dir/bench.db" "$1"; fi
}
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
