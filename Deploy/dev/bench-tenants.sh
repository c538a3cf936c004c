#!/usr/bin/env bash
# `make bench-tenants`: migrate time, server start and memory, and one association's home
# page, with one association then with BENCH_TENANTS (default 1000), on a private cluster;
# the report goes to Benchmarks/results/tenants-<date>.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=$(mktemp -d /tmp/marelle-tenants.XXXXXX)
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
export MARELLE_DATABASE_URL=$("$root/Deploy/dev/pg-cluster.sh" start "$dir/pg" marelle_tenants)
export MARELLE_PATHS_SQL=$root/sql MARELLE_BASE_DOMAIN=localhost MARELLE_DEVELOPMENT=true MARELLE_MAIL_MODE=capture
export MARELLE_LOG_LEVEL=error MARELLE_HTTP_HOST=127.0.0.1
export MARELLE_HTTP_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin" migrate >/dev/null
mkdir -p "$root/Benchmarks/results"
python3 "$root/Benchmarks/tenants.py" --bin "$bin" --workdir "$dir" --out "$root/Benchmarks/results/tenants-$(date -u +%F).md" \
    --tenants "${BENCH_TENANTS:-1000}"
