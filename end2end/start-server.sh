#!/usr/bin/env bash
# Starts the built linli on a fresh SQLite database with the demo chain, for the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
# E2E_BIN: another build of linli (a release build with its release site, for figures).
bin="${E2E_BIN:-${CARGO_TARGET_DIR:-target}/debug/linli}"
# A fixed place, fresh each run: the rider spec edits one order there with sqlite3.
dir=end2end/.state
rm -rf "$dir"
mkdir -p "$dir"
export DATABASE_URL="sqlite://$dir/e2e.db"
export LEPTOS_SITE_ROOT=target/site
export LINLI_ADDR=127.0.0.1:${E2E_PORT:-3100}
# Deadlines are looked at every half second, so a group buy's outcome shows within the test.
export LINLI_DEADLINE_TICK_MS=500
"$bin" seed-demo >/dev/null
# The server's log stays beside the database: a failed test's story is in it (scripts/test.sh
# prints its warnings and errors when the browser tests fail).
exec "$bin" serve >"$dir/server.log" 2>&1
