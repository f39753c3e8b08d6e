#!/usr/bin/env bash
# N instances of linli (release build) on one PostgreSQL database, behind nginx on loopback —
# how a chain runs several stateless app servers, on one machine.
#   scripts/cluster.sh up N [--fresh]   start N instances (ports 3301…) and nginx on :8080;
#                                       --fresh drops the database and loads the demo chain
#   scripts/cluster.sh restart          rolling restart: each instance drained (SIGTERM) and
#                                       started again in turn while the others serve
#   scripts/cluster.sh status           each instance's /readyz and which jobs it holds
#   scripts/cluster.sh down             drain every instance, stop nginx
# Settings: CLUSTER_DB (default linli_cluster), CLUSTER_PORT (8080), PGHOST/PGPORT/PGUSER
# (127.0.0.1, 5432, postgres), any LINLI_* in the environment (passed to every instance).
# State (pids, nginx config, logs) is kept in .cluster/.
set -euo pipefail
cd "$(dirname "$0")/.."
state=.cluster
db=${CLUSTER_DB:-linli_cluster}
front=${CLUSTER_PORT:-8080}
pghost=${PGHOST:-127.0.0.1} pgport=${PGPORT:-5432} pguser=${PGUSER:-postgres}
bin="${CARGO_TARGET_DIR:-target}/release/linli"
url="postgres://$pguser@$pghost:$pgport/$db"

say() { printf '\033[1;32m==>\033[0m %s\n' "$*"; }
psql_admin() { psql -h "$pghost" -p "$pgport" -U "$pguser" -d postgres -tAqc "$1"; }

build() {
  if [ ! -x "$bin" ] || [ ! -f target/site/pkg/linli.wasm ]; then
    say "release build (scripts/build.sh --release)"
    scripts/setup.sh --release
    scripts/build.sh --release
  fi
  command -v nginx >/dev/null || {
    say "installing nginx-light (apt)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx-light >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q nginx-light >/dev/null; }
  }
}

# start_instance I: instance I on port 3300+I, its log in .cluster/linli-I.log.
start_instance() {
  local i=$1 port=$((3300 + $1))
  DATABASE_URL="$url" LINLI_ADDR="127.0.0.1:$port" LINLI_INSTANCE_URL="http://127.0.0.1:$port" \
    LINLI_TRUST_PROXY=1 LINLI_PUBLIC_URL="${LINLI_PUBLIC_URL:-http://127.0.0.1:$front}" \
    LEPTOS_SITE_ROOT=target/site RUST_LOG="${RUST_LOG:-info}" \
    setsid "$bin" serve >>"$state/linli-$i.log" 2>&1 < /dev/null &
  echo $! > "$state/linli-$i.pid"
}

wait_ready() {
  local port=$((3300 + $1))
  for _ in $(seq 300); do
    curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && return 0
    sleep 0.1
  done
  echo "instance $1 (port $port) did not become ready; see $state/linli-$1.log" >&2
  return 1
}

# stop_instance I: SIGTERM (the instance drains) and wait for it to exit.
stop_instance() {
  local f="$state/linli-$1.pid"
  [ -f "$f" ] || return 0
  local pid; pid=$(cat "$f")
  if kill -TERM "$pid" 2>/dev/null; then
    for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

instances() { ls "$state"/linli-*.pid 2>/dev/null | sed -E 's/.*linli-([0-9]+)\.pid/\1/' | sort -n; }

nginx_conf() {
  local n=$1 servers=""
  for i in $(seq "$n"); do servers+="    server 127.0.0.1:$((3300 + i)) max_fails=1 fail_timeout=2s;"$'\n'; done
  cat > "$state/nginx.conf" <<CONF
daemon off;
worker_processes 1;
# Every open event stream is two descriptors in nginx (the browser's and the instance's).
worker_rlimit_nofile 65536;
pid $PWD/$state/nginx.pid;
error_log $PWD/$state/nginx-error.log warn;
events { worker_connections 16384; }
http {
  access_log off;
  client_body_temp_path $PWD/$state; proxy_temp_path $PWD/$state; fastcgi_temp_path $PWD/$state; uwsgi_temp_path $PWD/$state; scgi_temp_path $PWD/$state;
  client_max_body_size 32m;
  upstream linli {
$servers    keepalive 128;
  }
  server {
    listen 127.0.0.1:$front;
    location / {
      proxy_pass http://linli;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$http_host;
      proxy_set_header X-Forwarded-For \$remote_addr;
      proxy_set_header X-Forwarded-Proto \$scheme;
      # Event streams pass through as they are written, and may stay open for hours.
      proxy_buffering off;
      proxy_read_timeout 1h;
      # An instance that is draining (it stops accepting at once) or gone: the request goes to
      # the next one. nginx resends a POST only when it could not be sent at all, never one an
      # instance may have run. (Open-source nginx has no active health checks: what it notices
      # is the refused connection, which is what a draining instance gives it.)
      proxy_next_upstream error timeout;
      proxy_next_upstream_tries 3;
    }
  }
}
CONF
}

start_nginx() {
  nginx -p "$PWD/$state" -c "$PWD/$state/nginx.conf" >>"$state/nginx-error.log" 2>&1 < /dev/null &
  echo $! > "$state/nginx.main"
  for _ in $(seq 50); do curl -fs "http://127.0.0.1:$front/readyz" >/dev/null && return 0; sleep 0.1; done
  echo "nginx did not answer on :$front; see $state/nginx-error.log" >&2
  return 1
}

stop_nginx() {
  [ -f "$state/nginx.main" ] || return 0
  kill -QUIT "$(cat "$state/nginx.main")" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$(cat "$state/nginx.main")" 2>/dev/null || break; sleep 0.1; done
  rm -f "$state/nginx.main"
}

status() {
  for i in $(instances); do
    local port=$((3300 + i)) ready
    ready=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz" || true)
    echo "instance $i  http://127.0.0.1:$port  pid $(cat "$state/linli-$i.pid")  readyz $ready"
  done
  echo "front        http://127.0.0.1:$front  readyz $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$front/readyz" || true)"
  psql -h "$pghost" -p "$pgport" -U "$pguser" -d "$db" -tAqc \
    "select job || '  ' || holder || '  ' || case when expires_at_ms > cast(extract(epoch from clock_timestamp()) * 1000 as bigint) then 'held' else 'free' end || '  generation ' || generation from job_leases order by job" 2>/dev/null || true
}

cmd=${1:-}
case "$cmd" in
  up)
    n=${2:?usage: scripts/cluster.sh up N [--fresh]}
    [ -n "$(instances)" ] && { echo "already up: scripts/cluster.sh down first" >&2; exit 1; }
    mkdir -p "$state"
    build
    if [ "${3:-}" = --fresh ]; then
      psql_admin "drop database if exists $db with (force)" >/dev/null
    fi
    if [ -z "$(psql_admin "select 1 from pg_database where datname = '$db'")" ]; then
      psql_admin "create database $db" >/dev/null
      DATABASE_URL="$url" "$bin" migrate >/dev/null
      DATABASE_URL="$url" "$bin" seed-demo >/dev/null
      say "database $db created with the demo chain"
    fi
    # The first instance migrates; the others then start on an up-to-date schema.
    for i in $(seq "$n"); do start_instance "$i"; if [ "$i" = 1 ]; then wait_ready 1; fi; done
    for i in $(seq "$n"); do wait_ready "$i"; done
    nginx_conf "$n"
    start_nginx
    say "$n instances on $db behind http://127.0.0.1:$front"
    status
    ;;
  restart)
    for i in $(instances); do
      say "draining instance $i"
      stop_instance "$i"
      start_instance "$i"
      wait_ready "$i"
    done
    status
    ;;
  status) status ;;
  down)
    for i in $(instances); do stop_instance "$i"; done
    stop_nginx
    say "cluster down (database $db kept; up --fresh starts over)"
    ;;
  *) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
