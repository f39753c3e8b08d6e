#!/usr/bin/env bash
# Restore drill for PostgreSQL: back up a chain's database with pg_dump while residents are
# checking out, restore it into a new database, start linli on the copy, and check the copy is
# whole — every wallet equals its ledger, every stock row equals its ledger — then back up
# again at rest and check every table came back with every row. Prints the time and size of
# each step (README, Operating).
#   benchmarks/restore_drill.sh [seconds of checkout load before the backup, default 20]
# Release build; databases on 127.0.0.1:5432, dropped afterwards.
set -euo pipefail
secs=${1:-20}
source "$(dirname "$0")/harness.sh"
pgc() { psql -h 127.0.0.1 -U postgres "$@"; }
src="linli_drill_src_$$" copy="linli_drill_copy_$$"
dir=$(mktemp -d)
cleanup() {
  [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null || true
  [ -n "${pid2:-}" ] && kill "$pid2" 2>/dev/null || true
  pgc -qc "drop database if exists $src with (force)" || true
  pgc -qc "drop database if exists $copy with (force)" || true
  rm -rf "$dir"
}
trap cleanup EXIT
export LEPTOS_SITE_ROOT=target/site RUST_LOG=warn LINLI_STREAMS_PER_CLIENT=100000
secs() { echo "$(date +%s.%N) - $1" | bc -l | xargs printf '%.1f'; }

pgc -qc "create database $src"
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$src"
"$bin" seed-demo >/dev/null
LINLI_ADDR=127.0.0.1:3281 "$bin" serve & pid=$!
for _ in $(seq 100); do curl -fs http://127.0.0.1:3281/readyz >/dev/null && break; sleep 0.2; done
# Orders to back up: residents checking out for a while (the harness checks its own books).
"$load" checkout --base http://127.0.0.1:3281 --seconds "$secs" --buyers 50 > "$dir/before.txt" 2>&1 || { cat "$dir/before.txt"; exit 1; }
echo "== source: the demo chain and $(pgc -d "$src" -tAc "select count(*) from orders") orders, $(pgc -d "$src" -tAc "select pg_size_pretty(pg_database_size('$src'))")"

# 1. A backup taken while residents check out: one consistent snapshot (pg_dump runs in one
#    repeatable-read transaction), so the copy is whole even though the source kept moving.
"$load" checkout --base http://127.0.0.1:3281 --seconds 12 --buyers 50 > "$dir/load.txt" 2>&1 & loadpid=$!
sleep 5
t=$(date +%s.%N); pg_dump -h 127.0.0.1 -U postgres -Fc -f "$dir/live.dump" "$src"
echo "== pg_dump -Fc during checkout load: $(secs "$t") s, $(du -h "$dir/live.dump" | cut -f1)"
wait "$loadpid" || { cat "$dir/load.txt"; echo "the load during the backup failed" >&2; exit 1; }
grep -E "^checkout:" "$dir/load.txt" | sed 's/^/   /'
pgc -qc "create database $copy"
t=$(date +%s.%N); pg_restore -h 127.0.0.1 -U postgres -d "$copy" --no-owner "$dir/live.dump"
echo "== pg_restore into a new database: $(secs "$t") s"

check() { # check DB: the copy's own books agree
  local db=$1 bad=0 n
  n=$(pgc -d "$db" -tAc "select count(*) from users u where u.wallet_fen <> coalesce((select sum(e.amount_fen) from wallet_entries e where e.user_id = u.id), 0)")
  echo "   wallets differing from their ledgers: $n"; [ "$n" = 0 ] || bad=1
  n=$(pgc -d "$db" -tAc "select count(*) from stock s where s.on_hand <> coalesce((select sum(m.delta) from stock_movements m where m.store_id = s.store_id and m.product_id = s.product_id), 0)")
  echo "   stock rows differing from their ledgers: $n"; [ "$n" = 0 ] || bad=1
  return $bad
}
echo "== the copy taken under load:"
check "$copy"
echo "   orders: source now $(pgc -d "$src" -tAc "select count(*) from orders"), copy $(pgc -d "$copy" -tAc "select count(*) from orders") (the copy is the moment of the dump)"

# linli serves the copy: migrations already applied, the owner signs in, the shelf renders.
DATABASE_URL="postgres://postgres@127.0.0.1:5432/$copy" LINLI_ADDR=127.0.0.1:3282 LINLI_JOBS=off "$bin" serve & pid2=$!
for _ in $(seq 100); do curl -fs http://127.0.0.1:3282/readyz >/dev/null && break; sleep 0.2; done
curl -fs -o /dev/null http://127.0.0.1:3282/ || { echo "the copy's shelf did not render" >&2; exit 1; }
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'x-requested-with: linli' -H 'content-type: application/json' \
  -d '{"phone":"13900000000","password":"linli1234"}' http://127.0.0.1:3282/api/v1/auth/login)
[ "$code" = 200 ] || { echo "the owner could not sign in on the copy ($code)" >&2; exit 1; }
echo "== linli serves the copy: /readyz 200, the shelf 200, the owner signs in"
kill "$pid2"; wait "$pid2" 2>/dev/null || true; pid2=

# 2. At rest: every table, every row.
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
pgc -qc "drop database $copy with (force)"; pgc -qc "create database $copy"
pg_dump -h 127.0.0.1 -U postgres -Fc -f "$dir/rest.dump" "$src"
pg_restore -h 127.0.0.1 -U postgres -d "$copy" --no-owner "$dir/rest.dump"
tables=$(pgc -d "$src" -tAc "select tablename from pg_tables where schemaname = 'public' order by 1")
diffs=0
for tb in $tables; do
  a=$(pgc -d "$src" -tAc "select count(*) from \"$tb\""); b=$(pgc -d "$copy" -tAc "select count(*) from \"$tb\"")
  [ "$a" = "$b" ] || { echo "   $tb: $a rows in the source, $b in the copy"; diffs=$((diffs + 1)); }
done
echo "== at rest: $(echo "$tables" | wc -w) tables compared, $diffs differ"
check "$copy"
[ "$diffs" = 0 ] && echo "restore drill: passed"
