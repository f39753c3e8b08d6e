#!/usr/bin/env bash
# Page weight: what a phone transfers to open each resident page cold, and one back-office
# page, on a release build served with its precompressed brotli files (see page_weight.mjs).
#   benchmarks/page_weight.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. benchmarks/serve_release.sh 3201
node benchmarks/page_weight.mjs "$base"
