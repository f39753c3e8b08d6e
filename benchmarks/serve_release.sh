# Sourced by the page benchmarks: builds release and serves the demo chain from a fresh SQLite
# file on 127.0.0.1:$1 with the precompressed site; stops it and removes the file on exit.
# Leaves $dir (a scratch folder) and $base (the server's address) for the caller.
scripts/setup.sh --release --browser
scripts/build.sh --release >/dev/null 2>&1
bin="${CARGO_TARGET_DIR:-target}/release/linli"
dir=$(mktemp -d)
base="http://127.0.0.1:$1"
export DATABASE_URL=sqlite://$dir/bench.db
export LEPTOS_SITE_ROOT=target/site LINLI_ADDR=127.0.0.1:$1 RUST_LOG=warn
"$bin" seed-demo >/dev/null
"$bin" serve & pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 50); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.2; done
