#!/usr/bin/env bash
# Lighthouse (mobile profile: a mid-range phone on slow 4G, 4x CPU slowdown) on a release
# build: performance and accessibility of the home page and a product page, with LCP, time to
# interactive, total blocking time and DOM size. Debian's Chromium; Lighthouse from npm.
#   benchmarks/lighthouse.sh
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x benchmarks/node_modules/.bin/lighthouse ] || (cd benchmarks && npm ci --no-audit --no-fund >/dev/null)
. benchmarks/serve_release.sh 3202

for path in / /p/1; do
  out="$dir/report.json"
  CHROME_PATH=/usr/bin/chromium benchmarks/node_modules/.bin/lighthouse "$base$path" \
    --only-categories=performance,accessibility --output=json --output-path="$out" --quiet \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu" >/dev/null 2>&1
  python3 - "$path" "$out" <<'PY'
import json, sys
path, report = sys.argv[1], json.load(open(sys.argv[2]))
cat, audit = report["categories"], report["audits"]
val = lambda k: audit[k].get("numericValue", 0)
failed = [a for a in cat["accessibility"]["auditRefs"] if audit[a["id"]].get("score") == 0]
print(f"{path:6} performance {cat['performance']['score']*100:3.0f}  accessibility {cat['accessibility']['score']*100:3.0f}"
      f"  LCP {val('largest-contentful-paint')/1000:.1f} s  TTI {val('interactive')/1000:.1f} s"
      f"  TBT {val('total-blocking-time'):.0f} ms  DOM {val('dom-size'):.0f} nodes"
      + (f"  failing: {', '.join(a['id'] for a in failed)}" if failed else ""))
PY
done
