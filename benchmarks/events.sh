#!/usr/bin/env bash
# How many open event streams one instance holds, and how fast a status change reaches them:
# STREAMS tracking pages (server-sent events) spread over 20 orders, then every order moved
# three steps by staff; prints the delivery time (staff request → event on each stream) and
# the server's memory. Release build, demo chain on SQLite — or, with --pg, PostgreSQL, where
# events travel through LISTEN/NOTIFY as they would between several instances.
#   benchmarks/events.sh [--pg] [streams, default 2000]
set -euo pipefail
cd "$(dirname "$0")/.."
pg=0
if [ "${1:-}" = "--pg" ]; then pg=1; shift; fi
streams=${1:-2000}
scripts/setup.sh --release
scripts/build.sh --release >/dev/null 2>&1
bin="${CARGO_TARGET_DIR:-target}/release/linli"
port=3211
dir=$(mktemp -d)
# Every stream is a socket on both ends.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
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
login() {
  curl -s -c "$dir/jar-$1" -H 'x-requested-with: linli' -H 'content-type: application/json' \
    -d "{\"phone\":\"$1\",\"password\":\"linli1234\"}" "$base/api/v1/auth/login" >/dev/null
  awk '$6 == "linli_sid" {print $7}' "$dir/jar-$1"
}
resident=$(login 13800000001)
staff=$(login 13900000021)
tomorrow=$(TZ=Asia/Shanghai date -d tomorrow +%F)
product=$(curl -s "$base/api/v1/stores/1/products" | python3 -c "import json,sys; print(next(p['id'] for p in json.load(sys.stdin) if p['available'] >= 20))")
orders=()
for i in $(seq 20); do
  id=$(curl -s -H 'content-type: application/json' -H 'x-requested-with: linli' -H "cookie: linli_sid=$resident" -H "idempotency-key: ev-$i" \
    -d "{\"store_id\":1,\"items\":[{\"product_id\":$product,\"qty\":1}],\"fulfillment\":{\"type\":\"pickup\",\"pickup_date\":\"$tomorrow\",\"window\":\"17:00-18:00\"},\"payment\":\"on_pickup\"}" \
    "$base/api/v1/orders" | python3 -c "import json,sys; print(json.load(sys.stdin)['id'])")
  orders+=("$id")
done
echo "== backend: ${DATABASE_URL%%:*}; $streams streams over ${#orders[@]} orders"
SERVER_PID=$pid node benchmarks/events.mjs "$base" "$resident" "$staff" "$streams" "${orders[@]}"
