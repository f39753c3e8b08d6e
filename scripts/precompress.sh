#!/usr/bin/env bash
# Writes .br and .gz beside the built site's WASM, JS and CSS at the highest levels, once per
# build: the server then sends these files as they are (ServeDir's precompressed variants)
# instead of compressing a megabyte of WASM at a fast level on every request.
#   scripts/precompress.sh [site root, default target/site]
set -euo pipefail
cd "$(dirname "$0")/.."
pkg="${1:-${LEPTOS_SITE_ROOT:-target/site}}/pkg"
command -v brotli >/dev/null || { echo "brotli missing: run scripts/setup.sh --release" >&2; exit 1; }
for f in "$pkg"/*.wasm "$pkg"/*.js "$pkg"/*.css; do
  [ -f "$f" ] || continue
  brotli -f -q 11 -o "$f.br" "$f"
  gzip -f -k -9 "$f"
done
