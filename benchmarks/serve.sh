# Sourced by the load scripts: a release build of linli serving the demo chain on a fresh
# SQLite file, or with pg=1 a fresh PostgreSQL database on 127.0.0.1:5432 (dropped afterwards).
#   pg=0|1; bench_serve PORT   → $base, $dir (a scratch folder), $pid; sql "…" and api … helpers
# Extra settings for the server (LINLI_*) are exported by the caller before bench_serve.
bench_serve() {
  local port=$1
  scripts/setup.sh --release
  command -v wrk >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null; }; }
  scripts/build.sh --release >/dev/null 2>&1
  local bin="${CARGO_TARGET_DIR:-target}/release/linli"
  dir=$(mktemp -d)
  # Every open stream is a socket on both ends.
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
  trap bench_cleanup EXIT
  for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
  base="http://127.0.0.1:$port"
}

bench_cleanup() {
  kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
  if [ "$pg" = 1 ]; then psql -h 127.0.0.1 -U postgres -qc "drop database if exists $db with (force)"; fi
  rm -rf "$dir"
}

# One value from the database.
sql() {
  if [ "$pg" = 1 ]; then psql -h 127.0.0.1 -U postgres -d "$db" -tAqc "$1"
  else python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); r=c.execute(sys.argv[2]).fetchall(); c.commit(); print(r[0][0] if r else '')" "$dir/bench.db" "$1"; fi
}

# A JSON API call as a form page would make it (the CSRF header set).
api() { curl -s -H 'x-requested-with: linli' -H 'content-type: application/json' "$@"; }

# Signs `phone` in (demo password) with a cookie jar in $dir; prints the session id.
login() {
  api -c "$dir/jar-$1" -d "{\"phone\":\"$1\",\"password\":\"linli1234\"}" "$base/api/v1/auth/login" >/dev/null
  awk '$6 == "linli_sid" {print $7}' "$dir/jar-$1"
}
