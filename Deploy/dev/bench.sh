#!/usr/bin/env bash
# `make bench`: the opening-morning rush (Benchmarks/rush.py) on a release build and a
# private PostgreSQL cluster of its own; the report goes to Benchmarks/results/rush-<date>.md.
# BENCH_FAMILIES (default 2000) and BENCH_SECONDS (default 20) size it.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=$(mktemp -d /tmp/marelle-bench.XXXXXX)
chmod 755 "$dir"
cleanup() {
    "$root/Deploy/dev/pg-cluster.sh" stop "$dir/pg" || true
    rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

cd "$root"
swift build -c release --product marelle
bin=$(swift build -c release --show-bin-path)/marelle
export MARELLE_DATABASE_URL=$("$root/Deploy/dev/pg-cluster.sh" start "$dir/pg" marelle_bench)
# pg_stat_statements: the report shows which statements the rush spends its database time on.
echo "shared_preload_libraries = 'pg_stat_statements'" >>"$(readlink -f "$dir/pg")/data/postgresql.conf"
"$root/Deploy/dev/pg-cluster.sh" restart "$dir/pg"
export MARELLE_PATHS_SQL=$root/sql MARELLE_BASE_DOMAIN=localhost MARELLE_DEVELOPMENT=true MARELLE_MAIL_MODE=capture
export MARELLE_LOG_LEVEL=error MARELLE_HTTP_HOST=127.0.0.1
export MARELLE_HTTP_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin" migrate >/dev/null
mkdir -p "$root/Benchmarks/results"
python3 "$root/Benchmarks/rush.py" --bin "$bin" --workdir "$dir" --out "$root/Benchmarks/results/rush-$(date -u +%F).md" \
    --families "${BENCH_FAMILIES:-2000}" --seconds "${BENCH_SECONDS:-20}"
