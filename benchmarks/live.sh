#!/usr/bin/env bash
# The live room under load, on one instance (release build, demo chain, a fresh SQLite file —
# or, with --pg, a fresh PostgreSQL database on 127.0.0.1:5432, where every event goes through
# LISTEN/NOTIFY as between instances):
#  1. viewers: for each count in VIEWERS (default "1 1000 5000"), that many rooms open on a live
#     session's stream, then the host pins 20 times; prints how long each pin took from the
#     host's request to arriving in every room (p50/p99/max) and the server's memory.
#  2. live orders/s: wrk fires 抢购 (qty 1, wallet, an Idempotency-Key each) at one hot line for
#     SECONDS from HOUSEHOLDS residents; prints orders/s and checks the sold count against the
#     orders in the database and the allotment (never oversold).
#   benchmarks/live.sh [--pg] [seconds, default 10] [households, default 200]
set -euo pipefail
cd "$(dirname "$0")/.."
pg=0
if [ "${1:-}" = "--pg" ]; then pg=1; shift; fi
secs=${1:-10}
households=${2:-200}
viewers=${VIEWERS:-"1 1000 5000"}
# The rooms all come from one address: lift the per-client stream allowance and the in-flight
# cap for the run (both stay at their defaults in production).
export LINLI_STREAMS_PER_CLIENT=100000 LINLI_MAX_IN_FLIGHT=100000
. benchmarks/serve.sh
bench_serve 3212

# The host: two products with plenty on the shelf, a session with both, live now.
host=$(login 13900000011)
read -r p1 p2 <<<"$(curl -s "$base/api/v1/stores/1/products" | python3 -c "import json,sys; ps=[p for p in json.load(sys.stdin) if p['price_fen'] > 200 and p.get('components') in (None, [])]; print(ps[0]['id'], ps[1]['id'])")"
for p in $p1 $p2; do
  api -b "$dir/jar-13900000011" -d "{\"product_id\":$p,\"reason\":\"receive\",\"delta\":100000}" "$base/api/v1/staff/stores/1/stock" >/dev/null
done
starts=$(TZ=Asia/Shanghai date -d '+1 hour' +%FT%H:%M)
session=$(api -b "$dir/jar-13900000011" -d "{\"store_id\":1,\"title\":\"压测直播\",\"starts_at\":\"$starts\",\"items\":[{\"product_id\":$p1,\"live_price_fen\":100,\"stock\":10000,\"per_user_limit\":99},{\"product_id\":$p2,\"live_price_fen\":100,\"stock\":100,\"per_user_limit\":1}]}" "$base/api/v1/live-sessions" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
api -b "$dir/jar-13900000011" -d '{}' "$base/api/v1/live-sessions/$session/start" >/dev/null

for n in $viewers; do
  echo "== backend: ${DATABASE_URL%%:*}; $n rooms on session $session, 20 pins"
  SERVER_PID=$pid node benchmarks/live.mjs "$base" "$host" "$session" "$n" "$p1" "$p2"
done

# 抢购 from many households, each with a wallet (the demo resident's password), each signed in.
sql "insert into users (phone, name, password_hash, wallet_fen, created_at_ms) select '1351' || (1000000 + n), '邻居' || n, (select password_hash from users where phone = '13800000001'), 10000000, 0 from (with recursive k(n) as (select 1 union all select n + 1 from k where n < $households) select n from k) as k" >/dev/null
sql "insert into wallet_entries (user_id, amount_fen, balance_after_fen, kind, created_at_ms) select id, 10000000, 10000000, 'top_up', 0 from users where phone like '1351%'" >/dev/null
: > "$dir/sids"
for n in $(seq "$households"); do
  curl -s -c "$dir/jar$n" -H 'x-requested-with: linli' -H 'content-type: application/json' \
    -d "{\"phone\":\"1351$((1000000 + n))\",\"password\":\"linli1234\"}" "$base/api/v1/auth/login" >/dev/null
  awk '$6 == "linli_sid" {print $7}' "$dir/jar$n" >> "$dir/sids"
done
pickup=$(TZ=Asia/Shanghai date -d tomorrow +%F)
{
  echo "local sids = {"; sed 's/.*/"&",/' "$dir/sids"; echo "}"
  cat <<LUA
local n = 0
local body = '{"product_id":$p1,"qty":1,"payment":"wallet","fulfillment":{"type":"pickup","pickup_date":"$pickup"}}'
function setup(thread) thread:set("tid", tostring(math.random(1, 1000000000))) end
function request()
  n = n + 1
  return wrk.format("POST", "/api/v1/live-sessions/$session/orders", {
    ["Content-Type"] = "application/json", ["X-Requested-With"] = "linli",
    ["Cookie"] = "linli_sid=" .. sids[(n % #sids) + 1], ["Idempotency-Key"] = tid .. "-" .. n }, body)
end
LUA
} > "$dir/buy.lua"
echo "== backend: ${DATABASE_URL%%:*}; wrk -t2 -c8 -d${secs}s POST /api/v1/live-sessions/$session/orders ($households residents, one hot line, wallet)"
wrk -t2 -c8 -d"${secs}s" -s "$dir/buy.lua" "$base" | grep -E 'Requests/sec|Latency|requests in|Non-2xx'
orders=$(sql "select count(*) from orders where live_session_id = $session and status <> 'cancelled'")
sold=$(sql "select sold from live_items where session_id = $session and product_id = $p1")
bought=$(sql "select coalesce(sum(units), 0) from live_buyers where session_id = $session and product_id = $p1")
echo "== orders in the database: $orders; the line's sold count: $sold; residents' bought units: $bought; allotted: $(sql "select allotted from live_items where session_id = $session and product_id = $p1")"
[ "$orders" = "$sold" ] && [ "$sold" = "$bought" ] || { echo "MISMATCH: sold count is not the orders" >&2; exit 1; }
echo "== server memory after the run: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status) RSS"
