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
# Every stream is one resident's: lift the per-account stream allowance and the in-flight cap
# for the run (both stay at their defaults in production).
export LINLI_STREAMS_PER_CLIENT=100000 LINLI_MAX_IN_FLIGHT=100000
. benchmarks/serve.sh
bench_serve 3211
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
