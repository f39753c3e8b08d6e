#!/usr/bin/env bash
# The owner's dashboard as history grows: p95 of the whole chain's month view (the page, with
# its charts, and the JSON API) on a year of history with a small and a large number of orders,
# each on a fresh database, one after the other in one run. Release build; SQLite by default,
# PostgreSQL with --pg. The goal (issue 22): p95 at the large size ≤ 3 × p95 at the small one.
#   benchmarks/insights.sh [--pg] [small orders, default 1000] [large orders, default 1000000] [seconds, default 15] [connections, default 2]
set -euo pipefail
cd "$(dirname "$0")/.."
pg=0
if [ "${1:-}" = --pg ]; then pg=1; shift; fi
small=${1:-1000}
large=${2:-1000000}
secs=${3:-15}
conns=${4:-2}
. benchmarks/serve.sh
scripts/setup.sh --release
command -v wrk >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null; }; }
scripts/build.sh --release >/dev/null 2>&1
bin="${CARGO_TARGET_DIR:-target}/release/linli"
# wrk prints p50/p75/p90/p99; the goal is about p95.
p95_lua=$(mktemp --suffix .lua)
echo 'done = function(s, latency, r) io.write(string.format("p95_ms %.2f\n", latency:percentile(95) / 1000)) end' > "$p95_lua"

# Serves a fresh database holding a year of history with $1 orders; sets $base, $sid.
serve_history() {
  local orders=$1 port=$2
  bench_database "$port"
  echo "== seeding a year with $orders orders" >&2
  "$bin" seed-history --days 365 --orders "$orders" >&2
  "$bin" serve & pid=$!
  trap bench_cleanup EXIT
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
  base="http://127.0.0.1:$port"
  sid=$(login 13900000000)
}

# p95 in ms of one address for the owner: p95 LABEL URL
p95() {
  local out; out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$p95_lua" -H "cookie: linli_sid=$sid" -H 'accept-encoding: br' "$2")
  echo "$1:" >&2; echo "$out" | grep -E 'Requests/sec|Latency  |99%|Non-2xx|Socket errors|p95_ms' | sed 's/^/  /' >&2
  echo "$out" | awk '/^p95_ms/ {print $2}'
}

measure() {
  local page="$base/admin/insights?span=month" api="$base/api/v1/insights?span=month"
  curl -fs -b "linli_sid=$sid" -o "$dir/page.html" "$page"
  grep -q 'class="kpi-card"' "$dir/page.html" || { echo "the dashboard did not render" >&2; exit 1; }
  echo "== $(sql "select count(*) from orders") orders, $(sql "select count(*) from insight_days") rollup rows" >&2
  # Warm the caches (the page's first render, the database's pages).
  wrk -t1 -c1 -d3s -H "cookie: linli_sid=$sid" "$page" >/dev/null
  page_p95=$(p95 "the chain's month, page" "$page")
  api_p95=$(p95 "the chain's month, GET /api/v1/insights" "$api")
}

serve_history "$small" 3221
measure; small_page=$page_p95; small_api=$api_p95
bench_cleanup; trap - EXIT
serve_history "$large" 3222
measure; large_page=$page_p95; large_api=$api_p95
printf '== page p95: %s orders %.1f ms, %s orders %.1f ms: ratio %.2f (goal ≤ 3)\n' "$small" "$small_page" "$large" "$large_page" "$(echo "$large_page / $small_page" | bc -l)"
printf '== API p95:  %s orders %.1f ms, %s orders %.1f ms: ratio %.2f (goal ≤ 3)\n' "$small" "$small_api" "$large" "$large_api" "$(echo "$large_api / $small_api" | bc -l)"
