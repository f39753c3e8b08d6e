#!/usr/bin/env bash
# Scale-out on this machine: the load harness (server/examples/load.rs) through 1, 2 and 3
# instances on one PostgreSQL behind nginx (scripts/cluster.sh), each size on a fresh database
# with the demo chain. For every scenario: requests/s, p50/p99, errors, its invariants, and
# where the CPU went (linli instances, PostgreSQL, nginx, the harness itself) — on 2 cores
# more instances cannot add CPU, so the table shows the ratio and what the limit is.
#   benchmarks/scale.sh [seconds, default 15] [sizes, default "1 2 3"]
# Ends with "scale: all invariants held" or exits 1.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-15}
sizes=${2:-1 2 3}
scripts/setup.sh --release
scripts/build.sh --release >/dev/null 2>&1
RUSTFLAGS="--cfg erase_components" cargo build -q --release -p linli --example load
load="${CARGO_TARGET_DIR:-target}/release/examples/load"
export CLUSTER_DB="linli_scale_$$" CLUSTER_PORT=8090
pg="postgres://${PGUSER:-postgres}@${PGHOST:-127.0.0.1}:${PGPORT:-5432}"
# One address (loopback) holds every stream and request here; lift the per-address caps.
export LINLI_STREAMS_PER_CLIENT=100000 LINLI_MAX_IN_FLIGHT=100000 RUST_LOG=warn
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
out=$(mktemp -d)
cleanup() {
  scripts/cluster.sh down >/dev/null 2>&1 || true
  psql "$pg/postgres" -qc "drop database if exists $CLUSTER_DB with (force)" || true
  rm -rf "$out"
}
trap cleanup EXIT

broken=0
run() { # run SIZE NAME load-args…
  local n=$1 name=$2; shift 2
  "$load" "$@" --base "http://127.0.0.1:$CLUSTER_PORT" --db "$pg/$CLUSTER_DB" 2>&1 | tee "$out/$n-$name.txt" || broken=1
}

for n in $sizes; do
  echo "=== $n instance(s) on one PostgreSQL behind nginx"
  scripts/cluster.sh up "$n" --fresh >/dev/null
  run "$n" shelf shelf --seconds "$secs" --clients 32
  run "$n" checkout checkout --seconds "$secs" --buyers 200
  run "$n" group group --buyers 1000
  run "$n" live live --seconds "$secs" --viewers 1000 --clients 100 --buyers 1000
  run "$n" flash flash --buyers 1000 --units 100
  run "$n" burst burst --buyers 1000 --units 100
  scripts/cluster.sh down >/dev/null
done

# The summary: one row per figure, one column per size.
echo
printf '%-34s' "scenario"; for n in $sizes; do printf '%-28s' "$n instance(s)"; done; echo
for name in shelf checkout "group joins" "host's pins" comments "pins reaching the rooms" "flash orders" "burst orders"; do
  printf '%-34s' "$name"
  for n in $sizes; do
    line=$(cat "$out/$n-"*.txt | grep -m1 "^$name:" || true)
    if [ "$name" = "pins reaching the rooms" ]; then
      cell=$(echo "$line" | sed -E 's/.*p50 ([0-9.]+) ms, p99 ([0-9.]+) ms.*/p50 \1 p99 \2 ms/')
    else
      cell=$(echo "$line" | sed -E 's/.*= ([0-9]+) req\/s; p50 ([0-9.]+) ms, p99 ([0-9.]+) ms.*errors ([0-9]+).*/\1\/s p99 \3 ms e\4/')
    fi
    printf '%-28s' "$cell"
  done
  echo
done
if [ "$broken" = 0 ] && ! grep -q BROKEN "$out"/*.txt; then echo "scale: all invariants held"; else echo "scale: an invariant broke (see above)"; exit 1; fi
