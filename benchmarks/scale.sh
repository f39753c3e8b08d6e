#!/usr/bin/env bash
# Scale-out on this machine: the load harness (server/examples/load.rs) through 1, 2 and 3
# instances on one PostgreSQL behind nginx (scripts/cluster.sh), each size on a fresh database
# with the demo chain. For every scenario: requests/s, p50/p99, errors, its invariants, and
# where the CPU went (linli instances, PostgreSQL, nginx, the harness itself) — on 2 cores
# more instances cannot add CPU, so the table shows the ratio and what the limit is.
#   benchmarks/scale.sh [seconds, default 15] [sizes, default "1 2 3"]
# Ends with "scale: all invariants held" or exits 1.
set -euo pipefail
secs=${1:-15}
sizes=${2:-1 2 3}
source "$(dirname "$0")/harness.sh"
export CLUSTER_DB="linli_scale_$$" CLUSTER_PORT=8090
cluster_run

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
