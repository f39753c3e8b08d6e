#!/usr/bin/env bash
# The chain from 3 to 200 stores, simulated (docs/scale.md): for each size a fresh PostgreSQL
# database gets a year of history (`linli seed-history --stores N`, online orders in proportion
# to the stores, the till, group buys, live sessions, deliveries and waste beside them), one
# release instance serves it behind nginx (scripts/cluster.sh), and the load harness measures
# what a request costs: the shelf, checkout, and what crosses stores (the store finder, a
# store's day on the dashboard, the owner's chain-wide month). The summary has a row per size:
# requests/s, p99 and the CPU (linli + PostgreSQL) one request took, so the curve shows how
# the cost of a request grows with the chain.
#   benchmarks/stores.sh [seconds, default 12] [sizes, default "3 50 100 200"] [orders a store a year, default 5000]
# Ends with "stores: all invariants held" or exits 1.
set -euo pipefail
secs=${1:-12}
sizes=${2:-3 50 100 200}
per_store=${3:-5000}
source "$(dirname "$0")/harness.sh"
export CLUSTER_DB="linli_stores_$$" CLUSTER_PORT=8091
cluster_run

broken=0
for n in $sizes; do
  echo "=== $n stores: a year of history, one instance behind nginx"
  psql "$pg/postgres" -qc "drop database if exists $CLUSTER_DB with (force)"
  psql "$pg/postgres" -qc "create database $CLUSTER_DB"
  # sqlx names every large seeding INSERT a slow statement, whole: keep the log to the figures.
  DATABASE_URL="$pg/$CLUSTER_DB" RUST_LOG=error "$bin" seed-history --days 365 --orders $((n * per_store)) --stores "$n" | tee "$out/$n-seed.txt"
  psql "$pg/$CLUSTER_DB" -tAc "select 'database: ' || pg_size_pretty(pg_database_size(current_database())) || ', ' || (select count(*) from orders) || ' orders, ' || (select count(*) from stock_movements) || ' stock moves'" | tee -a "$out/$n-seed.txt"
  scripts/cluster.sh up 1 >/dev/null
  {
    "$load" shelf --seconds "$secs" --clients 32 --base "http://127.0.0.1:$CLUSTER_PORT" --db "$pg/$CLUSTER_DB"
    "$load" checkout --seconds "$secs" --buyers 200 --base "http://127.0.0.1:$CLUSTER_PORT" --db "$pg/$CLUSTER_DB"
    "$load" owner --seconds $((secs * 3)) --clients 4 --base "http://127.0.0.1:$CLUSTER_PORT" --db "$pg/$CLUSTER_DB"
  } 2>&1 | tee "$out/$n-load.txt" || broken=1
  scripts/cluster.sh down >/dev/null
done

# The curve: for each figure, req/s, p99 and CPU ms per request at every size.
echo
printf '%-20s' "stores"; for n in $sizes; do printf '%-30s' "$n"; done; echo
printf '%-20s' "history"; for n in $sizes; do printf '%-30s' "$(grep -m1 '^database:' "$out/$n-seed.txt" | sed -E 's/database: ([^,]+), ([0-9]+) orders.*/\2 orders, \1/')"; done; echo
for name in shelf checkout "store finder" "a store's day" "the chain's month"; do
  printf '%-20s' "$name"
  for n in $sizes; do
    cell=$(awk -v name="$name:" 'index($0, name) == 1 { found = 1; match($0, /= [0-9]+ req\/s/); rate = substr($0, RSTART + 2, RLENGTH - 8); match($0, /p99 [0-9.]+ ms/); p99 = substr($0, RSTART + 4, RLENGTH - 7); next }
      found && /cpu:/ { match($0, /; [0-9.]+ ms of/); cpu = substr($0, RSTART + 2, RLENGTH - 8); printf "%s/s p99 %s cpu %s ms", rate, p99, cpu; exit }' "$out/$n-load.txt")
    printf '%-30s' "$cell"
  done
  echo
done
if [ "$broken" = 0 ] && ! grep -q BROKEN "$out"/*-load.txt; then echo "stores: all invariants held"; else echo "stores: an invariant broke (see above)"; exit 1; fi
