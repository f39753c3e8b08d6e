#!/usr/bin/env bash
# The live video relay under load on one instance (release build, demo chain, fresh SQLite):
# one publisher sends a synthetic 1 Mbps VP8 stream through WHIP (the session's stream key),
# then for each count in VIEWERS (default "10 100 500") that many WHEP viewers watch for
# SECONDS; prints what reached them (frames per viewer, loss), the bandwidth delivered, and
# linli's CPU (share of one core) and memory (RSS). Viewers run on this machine too
# (server/examples/whep_load.rs, str0m like the relay): their cost shares the 2 cores.
#   benchmarks/video.sh [seconds, default 20] [kbps, default 1000]
set -euo pipefail
cd "$(dirname "$0")/.."
pg=0
secs=${1:-20}
kbps=${2:-1000}
viewers=${VIEWERS:-"10 100 500"}
export LINLI_RTC_MAX_VIEWERS=100000
. benchmarks/serve.sh
bench_serve 3214
# The same flags as cargo-leptos's release build (always-erase-components), so the tool reuses
# the server's compiled crates instead of building them all again.
RUSTFLAGS="--cfg erase_components" cargo build -q --release -p linli --example whep_load
tool="${CARGO_TARGET_DIR:-target}/release/examples/whep_load"

login 13900000011 >/dev/null
p1=$(curl -s "$base/api/v1/stores/1/products" | python3 -c "import json,sys; ps=[p for p in json.load(sys.stdin) if p.get('components') in (None, [])]; print(ps[0]['id'])")
api -b "$dir/jar-13900000011" -d "{\"product_id\":$p1,\"reason\":\"receive\",\"delta\":100}" "$base/api/v1/staff/stores/1/stock" >/dev/null
starts=$(TZ=Asia/Shanghai date -d '+1 hour' +%FT%H:%M)
for n in $viewers; do
  session=$(api -b "$dir/jar-13900000011" -d "{\"store_id\":1,\"title\":\"画面压测\",\"starts_at\":\"$starts\",\"items\":[{\"product_id\":$p1,\"live_price_fen\":1,\"stock\":1,\"per_user_limit\":1}]}" "$base/api/v1/live-sessions" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  api -b "$dir/jar-13900000011" -d '{}' "$base/api/v1/live-sessions/$session/start" >/dev/null
  key=$(api -b "$dir/jar-13900000011" -d '{}' "$base/api/v1/live-sessions/$session/stream-key" | python3 -c 'import json,sys; print(json.load(sys.stdin)["stream_key"])')
  echo "== $n viewers, ${kbps} kbps, ${secs} s (session $session)"
  "$tool" --base "$base" --session "$session" --key "$key" --viewers "$n" --seconds "$secs" --kbps "$kbps" --pid "$pid"
  api -b "$dir/jar-13900000011" -d '{}' "$base/api/v1/live-sessions/$session/end" >/dev/null
  sleep 3
done
