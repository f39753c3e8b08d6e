#!/usr/bin/env bash
# Storefront throughput and page weight, on loopback only, bounded in time.
# Builds release, serves the demo chain from a fresh SQLite file (or DATABASE_URL), then
# drives it with wrk and prints requests/s, latency and the server's memory.
#   benchmarks/storefront.sh [seconds per run, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
scripts/setup.sh --release
command -v wrk >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null; }; }
scripts/build.sh --release >/dev/null 2>&1
bin="${CARGO_TARGET_DIR:-target}/release/linli"

dir=$(mktemp -d)
export DATABASE_URL=${DATABASE_URL:-sqlite://$dir/bench.db}
export LEPTOS_SITE_ROOT=target/site LINLI_ADDR=127.0.0.1:3200 RUST_LOG=warn
"$bin" seed-demo >/dev/null
"$bin" serve & pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 50); do curl -fs http://127.0.0.1:3200/healthz >/dev/null && break; sleep 0.2; done

echo "== page weight a phone downloads for the home page (bytes)"
for f in linli.wasm linli.js linli.css; do
  raw=$(stat -c %s "target/site/pkg/$f")
  gz=$(curl -s -H 'accept-encoding: gzip' http://127.0.0.1:3200/pkg/$f | wc -c)
  br=$(curl -s -H 'accept-encoding: br' http://127.0.0.1:3200/pkg/$f | wc -c)
  printf '%-12s raw %8d  gzip %8d  br %8d\n' "$f" "$raw" "$gz" "$br"
done
html=$(curl -s -H 'accept-encoding: br' http://127.0.0.1:3200/ | wc -c)
printf '%-12s br %8d\n' "home html" "$html"

for path in /healthz "/" "/api/v1/stores/1/products" "/api/v1/stores?lat=30.28&lng=120.13"; do
  echo "== wrk -t2 -c8 -d${secs}s http://127.0.0.1:3200$path"
  wrk -t2 -c8 -d"${secs}s" -H 'accept-encoding: br' "http://127.0.0.1:3200$path" | grep -E 'Requests/sec|Latency|requests in|Non-2xx'
done
# The same shelf with an all-day 晚市特惠 on 蔬菜 and 水果 at the first store: every price
# then goes through the markdown join too.
jar="$dir/cookies"
curl -fs -c "$jar" -H 'content-type: application/json' -H 'x-requested-with: linli' \
  -d '{"phone":"13900000011","password":"linli1234"}' http://127.0.0.1:3200/api/v1/auth/login >/dev/null
cats=$(curl -fs -b "$jar" http://127.0.0.1:3200/api/v1/staff/categories \
  | python3 -c 'import json,sys; print(json.dumps([c["id"] for c in json.load(sys.stdin) if c["slug"] in ("vegetables","fruit")]))')
curl -fs -b "$jar" -H 'content-type: application/json' -H 'x-requested-with: linli' \
  -d "{\"name\":\"晚市特惠\",\"category_ids\":$cats,\"tiers\":[{\"from\":\"00:00\",\"percent_off\":20}],\"until\":\"24:00\"}" \
  http://127.0.0.1:3200/api/v1/staff/stores/1/markdowns >/dev/null
for path in "/" "/api/v1/stores/1/products"; do
  echo "== with a markdown in force: wrk -t2 -c8 -d${secs}s http://127.0.0.1:3200$path"
  wrk -t2 -c8 -d"${secs}s" -H 'accept-encoding: br' "http://127.0.0.1:3200$path" | grep -E 'Requests/sec|Latency|requests in|Non-2xx'
done
echo "== server memory after the runs: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status) RSS"
