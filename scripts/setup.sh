#!/usr/bin/env bash
# Installs whatever Linli needs that this machine lacks, and skips what is present.
#   scripts/setup.sh            build tools (WASM target, cargo-leptos, wasm-bindgen-cli)
#   scripts/setup.sh --browser  also Chromium, CJK fonts and the end2end npm packages
#   scripts/setup.sh --release  also binaryen (wasm-opt) for release builds
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=0; want_release=0
for a in "$@"; do
  case "$a" in
    --browser) want_browser=1 ;;
    --release) want_release=1 ;;
    *) echo "unknown option $a" >&2; exit 2 ;;
  esac
done

say() { printf '\033[1;32m==>\033[0m %s\n' "$*"; }

apt_install() {
  # Debian packages; the index is refreshed only when a package is not found.
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing ${missing[*]} (apt)"
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 || {
    $sudo apt-get update -q >/dev/null
    $sudo apt-get install -y -q "${missing[@]}" >/dev/null
  }
}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# cargo-leptos 0.3.10 is the last release that builds with Rust 1.95; no_downloads keeps it
# from fetching tools from the internet (closed here).
if ! cargo leptos --version 2>/dev/null | grep -q '0\.3\.10'; then
  say "installing cargo-leptos 0.3.10 (about 15 minutes, once per machine)"
  cargo install cargo-leptos@0.3.10 --locked --features no_downloads
fi

# The wasm-bindgen CLI must match the library version in Cargo.lock exactly.
wb_version=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -q " ${wb_version}\$"; then
  say "installing wasm-bindgen-cli ${wb_version} (about 5 minutes, once per machine)"
  # No --locked: its own lock names a webpki-roots the registry no longer serves.
  cargo install wasm-bindgen-cli@"${wb_version}" --force
fi

# Release builds run wasm-opt. Debian's (108) mangles wasm-bindgen 0.2.130's output, so a
# current binaryen comes from npm into tools/ and scripts put tools/node_modules/.bin first.
# tools/ also holds jsQR, the desk's QR decoder where the browser has no BarcodeDetector, and
# hls.js, the live room's player where the browser does not play HLS itself; both are served
# from public/vendor/ (not committed: they come from npm like everything else).
if { [ "$want_release" -eq 1 ] && [ ! -x tools/node_modules/.bin/wasm-opt ]; } || [ ! -f tools/node_modules/jsqr/dist/jsQR.js ] \
  || [ ! -f tools/node_modules/hls.js/dist/hls.light.min.js ]; then
  say "installing npm build tools (binaryen, jsQR, hls.js)"
  (cd tools && npm ci --no-audit --no-fund)
fi
mkdir -p public/vendor
cp -u tools/node_modules/jsqr/dist/jsQR.js public/vendor/jsQR.js
cp -u tools/node_modules/hls.js/dist/hls.light.min.js public/vendor/hls.light.min.js
# Release assets are served precompressed (scripts/precompress.sh).
[ "$want_release" -eq 1 ] && apt_install brotli

if [ "$want_browser" -eq 1 ]; then
  apt_install chromium fonts-noto-cjk
  if [ ! -d end2end/node_modules/@playwright/test ] || [ ! -d end2end/node_modules/@axe-core/playwright ]; then
    say "installing the end2end npm packages"
    # The browser is Debian's Chromium; Playwright must not download one.
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  fi
fi
say "tools ready"
