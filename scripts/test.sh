#!/usr/bin/env bash
# Every test: unit and integration on SQLite; the integration suite again on PostgreSQL when
# LINLI_TEST_PG_URL is set (e.g. postgres://postgres@127.0.0.1:5432; each test creates and
# drops its own database); then the browser tests in Chromium at a phone viewport.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --browser
say() { printf '\033[1;32m==>\033[0m %s\n' "$*"; }

say "unit tests (domain rules)"
cargo test -p linli-app --features ssr --lib
say "unit + integration tests on SQLite"
cargo test -p linli
if [ -n "${LINLI_TEST_PG_URL:-}" ]; then
  say "integration tests on PostgreSQL"
  cargo test -p linli --test api
else
  say "LINLI_TEST_PG_URL not set: PostgreSQL run skipped"
fi

say "browser tests"
cargo leptos build
(cd end2end && npx playwright test)
