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
  # Every open stream is a socket on both ends.
  ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
  bench_database "$port"
  "$bin" seed-demo >/dev/null
  "$bin" serve & pid=$!
  trap bench_cleanup EXIT
  for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
  base="http://127.0.0.1:$port"
}

# A scratch folder ($dir) and a fresh database (SQLite in it, or with pg=1 a PostgreSQL
# database $db), exported as DATABASE_URL with the server's other settings for PORT.
bench_database() {
  dir=$(mktemp -d)
  if [ "$pg" = 1 ]; then
    db="linli_bench_$$_$1"
    psql -h 127.0.0.1 -U postgres -qc "create database $db"
    export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db"
  else
    export DATABASE_URL="sqlite://$dir/bench.db"
  fi
  export LEPTOS_SITE_ROOT=target/site LINLI_ADDR=127.0.0.1:$1 RUST_LOG=warn
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

# nginx on 127.0.0.1:PORT answering every request with FILE's bytes as a brotli text/html page
# (the headers that matter: the type, content-encoding br, vary) — the baseline a page's
# figure is a ratio to. Stopped by bench_cleanup.
bench_nginx() {
  local file=$1 port=$2
  command -v nginx >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx-light >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q nginx-light >/dev/null; }; }
  mkdir -p "$dir/www" "$dir/nginx"
  # nginx's workers drop to another user when started as root: let them read the page.
  chmod 755 "$dir" "$dir/www"
  cp "$file" "$dir/www/page.br"
  cat > "$dir/nginx/nginx.conf" <<CONF
daemon off;
worker_processes auto;
pid $dir/nginx/nginx.pid;
error_log $dir/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/nginx; proxy_temp_path $dir/nginx; fastcgi_temp_path $dir/nginx; uwsgi_temp_path $dir/nginx; scgi_temp_path $dir/nginx;
  server {
    listen 127.0.0.1:$port;
    root $dir/www;
    location / {
      default_type "text/html; charset=utf-8";
      add_header Content-Encoding br;
      add_header Vary "accept-encoding, cookie";
      try_files /page.br =404;
    }
  }
}
CONF
  nginx -p "$dir/nginx" -c "$dir/nginx/nginx.conf" & ngx=$!
  trap 'kill $ngx 2>/dev/null || true; bench_cleanup' EXIT
  for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/" >/dev/null && break; sleep 0.1; done
  [ "$(curl -fs -H 'accept-encoding: br' "http://127.0.0.1:$port/" | wc -c)" = "$(stat -c %s "$file")" ] || { echo "nginx does not serve the page" >&2; exit 1; }
}

# wrk's requests per second for one run, its summary on stderr: bench_rate LABEL wrk-args…
bench_rate() {
  local label=$1; shift
  local out; out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency "$@")
  echo "$label:" >&2; echo "$out" | grep -E 'Requests/sec|Latency  |99%|Non-2xx|Socket errors' | sed 's/^/  /' >&2
  echo "$out" | awk '/Requests\/sec/ {print $2}'
}
