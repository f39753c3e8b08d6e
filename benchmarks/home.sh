#!/usr/bin/env bash
# The home shelf against nginx serving the same bytes, measured in one run, and the server's
# memory over a million page requests.
#  1. a guest's `/` (brotli, as a phone asks) from linli, and the very bytes it answered from
#     nginx (same headers that matter: text/html, content-encoding br);
#  2. a signed-in resident with three things in the cart (her own page: cart bar, quantities);
#  3. memory: RSS after 10,000 page requests and after 1,000,000 (guests of every store, both
#     languages, every category, and the resident), each a ratio to the other.
# Release build, demo chain on a fresh SQLite file; wrk on loopback, both servers on the same
# 2 cores, one after the other.
#   benchmarks/home.sh [seconds per run, default 10] [connections, default 8] [total requests for the memory run, default 1000000]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
conns=${2:-8}
total=${3:-1000000}
pg=0
. benchmarks/serve.sh
bench_serve 3212
command -v nginx >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx-light >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q nginx-light >/dev/null; }; }

rate() { awk '/Requests\/sec/ {print $2}'; }
run() { # label, then wrk's arguments
  local label=$1; shift
  local out; out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency "$@")
  echo "$label:" >&2; echo "$out" | grep -E 'Requests/sec|Latency  |99%|Non-2xx|Socket errors' | sed 's/^/  /' >&2
  echo "$out" | rate
}

# nginx with the page linli answered a guest, byte for byte.
mkdir -p "$dir/www" "$dir/nginx"
# nginx's workers drop to another user when started as root: let them read the page.
chmod 755 "$dir" "$dir/www"
curl -fs -H 'accept-encoding: br' -o "$dir/www/home.br" "$base/"
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
    listen 127.0.0.1:3292;
    root $dir/www;
    location = / {
      default_type "text/html; charset=utf-8";
      add_header Content-Encoding br;
      add_header Vary "accept-encoding, cookie";
      try_files /home.br =404;
    }
  }
}
CONF
nginx -p "$dir/nginx" -c "$dir/nginx/nginx.conf" & ngx=$!
trap 'kill $ngx 2>/dev/null || true; bench_cleanup' EXIT
for _ in $(seq 50); do curl -fs http://127.0.0.1:3292/ >/dev/null && break; sleep 0.1; done
[ "$(curl -fs -H 'accept-encoding: br' http://127.0.0.1:3292/ | wc -c)" = "$(stat -c %s "$dir/www/home.br")" ] || { echo "nginx does not serve the page" >&2; exit 1; }
echo "== the guest's home page: $(stat -c %s "$dir/www/home.br") bytes brotli, $(curl -fs "$base/" | wc -c) plain"

# The resident: signed in, three products in her cart at the first store.
sid=$(login 13800000001)
uid=$(sql "select id from users where phone = '13800000001'")
sql "insert into cart_items (cart_key, store_id, product_id, qty, price_fen_at_add, updated_at_ms)
     select 'u:$uid', 1, s.product_id, 2, p.price_fen, 0 from stock s join products p on p.id = s.product_id
     where s.store_id = 1 and s.on_hand - s.reserved >= 2 order by s.product_id limit 3" >/dev/null
[ "$(curl -fs -b "linli_sid=$sid" "$base/" | grep -c 'class="cart-bar"')" -ge 1 ] || { echo "the resident's page shows no cart" >&2; exit 1; }

nginx_rate=$(run "nginx, the same bytes (wrk -c$conns)" -H 'accept-encoding: br' http://127.0.0.1:3292/)
guest=$(run "linli, a guest's / (wrk -c$conns)" -H 'accept-encoding: br' "$base/")
resident=$(run "linli, a signed-in resident's / with a cart (wrk -c$conns)" -H 'accept-encoding: br' -H "cookie: linli_sid=$sid" "$base/")
printf '== guest / nginx = %.0f / %.0f = %.3f (goal 0.25)\n' "$guest" "$nginx_rate" "$(echo "$guest / $nginx_rate" | bc -l)"
printf '== resident / nginx = %.0f / %.0f = %.4f (goal 0.05)\n' "$resident" "$nginx_rate" "$(echo "$resident / $nginx_rate" | bc -l)"

# Memory: every store × language × category as guests, and one in 50 requests the resident.
cats=$(sql "select group_concat(slug, ' ') from categories")
stores=$(sql "select group_concat(id, ' ') from stores")
cat > "$dir/mix.lua" <<LUA
local cats = {} for c in string.gmatch("$cats", "%S+") do cats[#cats + 1] = c end
local stores = {} for s in string.gmatch("$stores", "%S+") do stores[#stores + 1] = s end
local n, limit = 0, tonumber(os.getenv("LIMIT"))
function request()
  n = n + 1
  -- wrk runs for a time, not a count (it waits out -d even when its threads stop): one thread
  -- sends exactly LIMIT requests and then ends the process.
  if n > limit then os.exit(0) end
  if n % 50 == 0 then
    return wrk.format("GET", "/", { ["Accept-Encoding"] = "br", ["Cookie"] = "linli_sid=$sid" })
  end
  local path = "/"
  if n % 3 ~= 0 then path = "/?category=" .. cats[(n % #cats) + 1] end
  local cookie = "linli_store=" .. stores[(n % #stores) + 1]
  if n % 2 == 0 then cookie = cookie .. "; linli_lang=en" end
  return wrk.format("GET", path, { ["Accept-Encoding"] = "br", ["Cookie"] = cookie })
end
LUA
rss() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
LIMIT=10000 wrk -t1 -c"$conns" -d3600s -s "$dir/mix.lua" "$base" >/dev/null
after10k=$(rss)
start=$(date +%s)
LIMIT=$total wrk -t1 -c"$conns" -d3600s -s "$dir/mix.lua" "$base" >/dev/null
after=$(rss)
printf '== memory: RSS %d KB after 10,000 page requests, %d KB after %d more (%d s): ratio %.3f (goal within 10%%)\n' \
  "$after10k" "$after" "$total" "$(( $(date +%s) - start ))" "$(echo "$after / $after10k" | bc -l)"
