#!/usr/bin/env bash
# Builds the server and the site: `scripts/build.sh` (debug) or `scripts/build.sh --release`
# (optimised, wasm-opt from tools/, then precompressed). Every build splits the WASM (--split):
# the route table (app/src/app.rs) puts the pages in a few chunks, each fetched when first needed.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = --release ]; then
  PATH="$PWD/tools/node_modules/.bin:$PATH" cargo leptos build --release --split
  scripts/precompress.sh
else
  cargo leptos build --split
fi
