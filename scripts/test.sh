#!/usr/bin/env bash
# Every test: unit and integration on SQLite; the integration suite again on PostgreSQL when
# LINLI_TEST_PG_URL is set (e.g. postgres://postgres@127.0.0.1:5432; each test creates and
# drops its own database); then the browser tests in Chromium at a phone viewport.
# Ends with one line "tests: N passed, 0 failed"; any failure stops it with a non-zero exit.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --browser
say() { printf '\033[1;32m==>\033[0m %s\n' "$*"; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
run() { "$@" 2>&1 | tee -a "$log"; }

say "unit tests (domain rules)"
run cargo test -p linli-app --features ssr --lib
say "unit + integration tests on SQLite"
run cargo test -p linli
if [ -n "${LINLI_TEST_PG_URL:-}" ]; then
  say "integration tests on PostgreSQL"
  run cargo test -p linli --test api
else
  say "LINLI_TEST_PG_URL not set: PostgreSQL run skipped"
fi

say "browser tests"
run scripts/build.sh
(cd end2end && run npx playwright test) || {
  say "the server's warnings and errors during the browser tests (end2end/.state/server.log)"
  grep -aE ' (WARN|ERROR) ' end2end/.state/server.log | tail -60 || true
  exit 1
}

cargo_passed=$(grep -oE '^test result: ok\. [0-9]+ passed' "$log" | awk '{s += $4} END {print s + 0}')
browser_passed=$(grep -oE '^ +[0-9]+ passed \(' "$log" | awk '{s += $1} END {print s + 0}')
echo "tests: $((cargo_passed + browser_passed)) passed, 0 failed"
