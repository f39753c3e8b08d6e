#!/usr/bin/env bash
# Starts the built linli on a fresh SQLite database with the demo chain, for the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${CARGO_TARGET_DIR:-target}/debug/linli"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export DATABASE_URL="sqlite://$dir/e2e.db"
export LEPTOS_SITE_ROOT=target/site
export LINLI_ADDR=127.0.0.1:${E2E_PORT:-3100}
"$bin" seed-demo >/dev/null
"$bin" serve
