# Sourced by the benchmarks that drive the load harness (server/examples/load.rs): set-up and
# the release build of linli and the harness. Sets $bin and $load.
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/setup.sh --release
scripts/build.sh --release >/dev/null 2>&1
RUSTFLAGS="--cfg erase_components" cargo build -q --release -p linli --example load
bin="${CARGO_TARGET_DIR:-target}/release/linli"
load="${CARGO_TARGET_DIR:-target}/release/examples/load"

# For the ones running a cluster (scripts/cluster.sh) on database $CLUSTER_DB: the admin URL
# ($pg), per-address caps lifted (one loopback address holds every stream and request here),
# a scratch directory ($out), and on exit the cluster stopped and the database dropped.
cluster_run() {
  pg="postgres://${PGUSER:-postgres}@${PGHOST:-127.0.0.1}:${PGPORT:-5432}"
  export LINLI_STREAMS_PER_CLIENT=100000 LINLI_MAX_IN_FLIGHT=100000 RUST_LOG=warn
  ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
  out=$(mktemp -d)
  trap 'scripts/cluster.sh down >/dev/null 2>&1 || true; psql "$pg/postgres" -qc "drop database if exists $CLUSTER_DB with (force)" || true; rm -rf "$out"' EXIT
}
