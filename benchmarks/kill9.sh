#!/usr/bin/env bash
# Reliability drill: kill -9 the server 20 times under checkout load, restart it each time,
# and check that every order the client saw as 201 is in the database with its stock held,
# and nothing else (no order without a 201, no unit held without an order).
#   benchmarks/kill9.sh [--pg] [rounds, default 20]
# Uses the debug build the test command leaves (cargo leptos build); fresh SQLite file or,
# with --pg, a fresh PostgreSQL database on 127.0.0.1:5432, dropped afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
pg=0
if [ "${1:-}" = "--pg" ]; then pg=1; shift; fi
rounds=${1:-20}
scripts/setup.sh
scripts/build.sh >/dev/null 2>&1
bin="${CARGO_TARGET_DIR:-target}/debug/linli"
port=3211
dir=$(mktemp -d)
if [ "$pg" = 1 ]; then
  db="linli_kill9_$$"
  psql -h 127.0.0.1 -U postgres -qc "create database $db"
  export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db"
else
  export DATABASE_URL="sqlite://$dir/drill.db"
fi
export LEPTOS_SITE_ROOT=target/site LINLI_ADDR=127.0.0.1:$port RUST_LOG=error
cleanup() {
  [ "$pg" = 1 ] && psql -h 127.0.0.1 -U postgres -qc "drop database if exists $db with (force)" || true
  rm -rf "$dir"
}
trap cleanup EXIT
"$bin" seed-demo >/dev/null
base="http://127.0.0.1:$port"
sql() {
  if [ "$pg" = 1 ]; then psql -h 127.0.0.1 -U postgres -d "$db" -tAqc "$1"
  else python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); r=c.execute(sys.argv[2]).fetchall(); c.commit(); print('\n'.join(str(x[0]) for x in r))" "$dir/drill.db" "$1"; fi
}
product=$(sql "select id from products where name = '寿光西红柿'")
sql "update stock set on_hand = 10000000, reserved = 0 where product_id = $product and store_id = 1" >/dev/null
# A session to order with (the server is up only for this login).
"$bin" serve & pid=$!
for _ in $(seq 100); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.1; done
curl -s -c "$dir/jar" -H 'x-requested-with: linli' -H 'content-type: application/json' \
  -d '{"phone":"13800000001","password":"linli1234"}' "$base/api/v1/auth/login" >/dev/null
kill $pid; wait $pid 2>/dev/null || true
sid=$(awk '$6 == "linli_sid" {print $7}' "$dir/jar")
tomorrow=$(TZ=Asia/Shanghai date -d tomorrow +%F)

echo "== backend ${DATABASE_URL%%:*}: $rounds × kill -9 under 8 checkout threads"
python3 benchmarks/kill9.py "$base" "$sid" "$product" "$tomorrow" "$rounds" "$bin" serve > "$dir/seen.json"
python3 - "$dir/seen.json" <<PY
import json, sys
s = json.load(open(sys.argv[1]))
print(f"kills {s['kills']}, orders answered 201: {s['created']}, refused: {s['refused']} {s['refused_statuses']}, "
      f"requests resent after no answer: {s['resent_after_no_answer']}")
PY
ids=$(python3 -c "import json,sys; print(','.join(map(str, json.load(open(sys.argv[1]))['order_ids'])) or '0')" "$dir/seen.json")
seen=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['order_ids']))" "$dir/seen.json")
in_db=$(sql "select count(*) from orders")
missing=$(sql "select $seen - count(*) from orders where id in ($ids)")
unseen=$(sql "select count(*) from orders where id not in ($ids)")
held=$(sql "select reserved from stock where product_id = $product and store_id = 1")
reserved_rows=$(sql "select coalesce(sum(qty), 0) from order_reservations where order_id in ($ids)")
echo "orders in the database: $in_db; seen as 201 but missing: $missing; in the database but never answered 201: $unseen"
echo "units held on the hot product: $held; held by the orders seen: $reserved_rows"
if [ "$missing" = 0 ] && [ "$unseen" = 0 ] && [ "$held" = "$seen" ] && [ "$reserved_rows" = "$seen" ]; then
  echo "drill passed"
else
  echo "drill FAILED"; exit 1
fi
