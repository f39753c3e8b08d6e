#!/usr/bin/env bash
# Sets up what is missing, builds, migrates, loads the demo chain on first run and serves
# Linli at http://127.0.0.1:3000 on SQLite (data/linli.db). LINLI_RELEASE=1 for a release build.
set -euo pipefail
cd "$(dirname "$0")/.."
release=${LINLI_RELEASE:-0}
if [ "$release" = 1 ]; then scripts/setup.sh --release; else scripts/setup.sh; fi

target_dir=${CARGO_TARGET_DIR:-target}
if [ "$release" = 1 ]; then
  scripts/build.sh --release
  bin="$target_dir/release/linli"
else
  scripts/build.sh
  bin="$target_dir/debug/linli"
fi

export DATABASE_URL=${DATABASE_URL:-sqlite://data/linli.db}
export LEPTOS_SITE_ROOT=${LEPTOS_SITE_ROOT:-target/site}
export LINLI_ADDR=${LINLI_ADDR:-127.0.0.1:3000}
"$bin" migrate
"$bin" seed-demo
echo "Linli: http://$LINLI_ADDR  (demo accounts in README.md)"
exec "$bin" serve
