#!/usr/bin/env bash
# Group buys under load: joins per second on one campaign (each a full transaction: idempotency
# key, the conditional update on the campaign, the household's conditional upsert, the order,
# its line, the wallet payment, the progress event), then how fast the deadline job settles
# them when the group misses its threshold (every join cancelled and refunded, one transaction
# each). Release build, demo chain on a fresh SQLite file — or, with --pg, a fresh PostgreSQL
# database on 127.0.0.1:5432 (dropped afterwards). wrk on loopback, bounded in time.
#   benchmarks/group_buy.sh [--pg] [seconds, default 10] [connections, default 8] [households, default 200]
set -euo pipefail
cd "$(dirname "$0")/.."
pg=0
if [ "${1:-}" = "--pg" ]; then pg=1; shift; fi
secs=${1:-10}
conns=${2:-8}
households=${3:-200}
# The deadline job looks every 200 ms, so the settling below is timed, not waited for.
export LINLI_DEADLINE_TICK_MS=200
. benchmarks/serve.sh
bench_serve 3211

# A campaign nobody can fill: 100,000 households needed, 99 units a household.
api -c "$dir/manager" -d '{"phone":"13900000011","password":"linli1234"}' "$base/api/v1/auth/login" >/dev/null
deadline=$(TZ=Asia/Shanghai date -d '+2 days' +%FT20:00)
pickup=$(TZ=Asia/Shanghai date -d '+3 days' +%F)
product=$(sql "select id from products where name = '洛川红富士'")
gb=$(api -b "$dir/manager" -d "{\"store_id\":1,\"product_id\":$product,\"price_fen\":990,\"min_households\":10000,\"per_household_limit\":99,\"deadline\":\"$deadline\",\"pickup_date\":\"$pickup\"}" "$base/api/v1/group-buys" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')

# Households with a wallet to pay from (the demo resident's password), each signed in.
sql "insert into users (phone, name, password_hash, wallet_fen, created_at_ms) select '1350' || (1000000 + n), '邻居' || n, (select password_hash from users where phone = '13800000001'), 10000000, 0 from (with recursive k(n) as (select 1 union all select n + 1 from k where n < $households) select n from k) as k" >/dev/null
sql "insert into wallet_entries (user_id, amount_fen, balance_after_fen, kind, created_at_ms) select id, 10000000, 10000000, 'top_up', 0 from users where phone like '1350%'" >/dev/null
: > "$dir/sids"
for n in $(seq "$households"); do
  phone=1350$((1000000 + n))
  curl -s -c "$dir/jar$n" -H 'x-requested-with: linli' -H 'content-type: application/json' \
    -d "{\"phone\":\"$phone\",\"password\":\"linli1234\"}" "$base/api/v1/auth/login" >/dev/null
  awk '$6 == "linli_sid" {print $7}' "$dir/jar$n" >> "$dir/sids"
done
{
  echo "local sids = {"; sed 's/.*/"&",/' "$dir/sids"; echo "}"
  cat <<LUA
local n = 0
local body = '{"qty":1,"payment":"wallet"}'
function setup(thread) thread:set("tid", tostring(math.random(1, 1000000000))) end
function request()
  n = n + 1
  return wrk.format("POST", "/api/v1/group-buys/$gb/join", {
    ["Content-Type"] = "application/json", ["X-Requested-With"] = "linli",
    ["Cookie"] = "linli_sid=" .. sids[(n % #sids) + 1], ["Idempotency-Key"] = tid .. "-" .. n }, body)
end
LUA
} > "$dir/join.lua"
echo "== backend: ${DATABASE_URL%%:*}; wrk -t2 -c$conns -d${secs}s POST /api/v1/group-buys/$gb/join ($households households, wallet payments)"
wrk -t2 -c"$conns" -d"${secs}s" -s "$dir/join.lua" "$base" | grep -E 'Requests/sec|Latency|requests in|Non-2xx'
joins=$(sql "select count(*) from orders where group_buy_id = $gb")
echo "== joins in the database: $joins; campaign units: $(sql "select units_sold from group_buys where id = $gb"); households: $(sql "select households from group_buys where id = $gb")"

# The deadline passes: the job decides (failed) and refunds every join.
start=$(date +%s.%N)
sql "update group_buys set deadline_ms = 0 where id = $gb" >/dev/null
until [ -n "$(sql "select settled_at_ms from group_buys where id = $gb and settled_at_ms is not null")" ]; do sleep 0.2; done
end=$(date +%s.%N)
refunds=$(sql "select count(*) from wallet_entries where kind = 'refund'")
python3 -c "import sys; s=float(sys.argv[2])-float(sys.argv[1]); n=int(sys.argv[3]); print(f'== settled {n} joins (cancelled + refunded, one transaction each) in {s:.1f} s: {n/s:.0f} joins/s; refunds booked: {sys.argv[4]}')" "$start" "$end" "$joins" "$refunds"
echo "== wallets that differ from their ledger: $(sql "select count(*) from users u where u.wallet_fen <> coalesce((select sum(e.amount_fen) from wallet_entries e where e.user_id = u.id), 0)")"
echo "== server memory after the run: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status) RSS"
