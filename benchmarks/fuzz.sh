#!/usr/bin/env bash
# OpenAPI fuzzing: schemathesis (PyPI, in a venv under ~/.cache) generates requests for every
# operation in /api/openapi.json — valid and invalid — signed in as the owner, then as a
# resident, and fails on any response >= 500. Debug build on a fresh SQLite demo chain.
#   benchmarks/fuzz.sh [max examples per operation, default 40]
# Left out: POST /api/v1/auth/logout (it would end the session the run signs in with) and the
# event streams (they stay open by design).
set -euo pipefail
cd "$(dirname "$0")/.."
examples=${1:-40}
venv="$HOME/.cache/linli-fuzz-venv"
if [ ! -x "$venv/bin/st" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "schemathesis==4.32.5"
fi
scripts/setup.sh
scripts/build.sh >/dev/null 2>&1
bin="${CARGO_TARGET_DIR:-target}/debug/linli"
port=3212
dir=$(mktemp -d)
export DATABASE_URL="sqlite://$dir/fuzz.db" LEPTOS_SITE_ROOT=target/site LINLI_ADDR=127.0.0.1:$port RUST_LOG=error
"$bin" seed-demo >/dev/null
"$bin" serve 2> "$dir/server.log" & pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 100); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.1; done
sid_of() {
  curl -s -c "$dir/jar-$1" -H 'x-requested-with: linli' -H 'content-type: application/json' \
    -d "{\"phone\":\"$1\",\"password\":\"linli1234\"}" "$base/api/v1/auth/login" >/dev/null
  awk '$6 == "linli_sid" {print $7}' "$dir/jar-$1"
}
status=0
for who in 13900000000 13800000003; do
  sid=$(sid_of "$who")
  echo "== fuzzing as $who: $examples examples per operation"
  "$venv/bin/st" run "$base/api/openapi.json" --url "$base" --checks not_a_server_error --max-examples "$examples" \
    --seed 20261201 --workers 2 --request-timeout 10 --exclude-path /api/v1/auth/logout --exclude-path-regex '.*/events$' \
    -H "Cookie: linli_sid=$sid" -H "X-Requested-With: linli" --warnings off || status=1
done
if grep -q "panicked" "$dir/server.log"; then echo "the server panicked:"; grep -m5 "panicked" "$dir/server.log"; status=1; fi
exit $status
