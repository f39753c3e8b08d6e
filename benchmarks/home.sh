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

# nginx with the page linli answered a guest, byte for byte.
curl -fs -H 'accept-encoding: br' -o "$dir/home.br" "$base/"
bench_nginx "$dir/home.br" 3292
echo "== the guest's home page: $(stat -c %s "$dir/home.br") bytes brotli, $(curl -fs "$base/" | wc -c) plain"

# The resident: signed in, three products in her cart at the first store.
sid=$(login 13800000001)
uid=$(sql "select id from users where phone = '13800000001'")
sql "insert into cart_items (cart_key, store_id, product_id, qty, price_fen_at_add, updated_at_ms)
     select 'u:$uid', 1, s.product_id, 2, p.price_fen, 0 from stock s join products p on p.id = s.product_id
     where s.store_id = 1 and s.on_hand - s.reserved >= 2 order by s.product_id limit 3" >/dev/null
[ "$(curl -fs -b "linli_sid=$sid" "$base/" | grep -c 'class="cart-bar"')" -ge 1 ] || { echo "the resident's page shows no cart" >&2; exit 1; }

nginx_rate=$(bench_rate "nginx, the same bytes (wrk -c$conns)" -H 'accept-encoding: br' http://127.0.0.1:3292/)
guest=$(bench_rate "linli, a guest's / (wrk -c$conns)" -H 'accept-encoding: br' "$base/")
resident=$(bench_rate "linli, a signed-in resident's / with a cart (wrk -c$conns)" -H 'accept-encoding: br' -H "cookie: linli_sid=$sid" "$base/")
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
