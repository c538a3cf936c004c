#!/usr/bin/env bash
# `make bench-tenants`: migrate time, server start and memory, and one association's home
# page, with one association then with BENCH_TENANTS (default 1000), on a private cluster;
# the report goes to Benchmarks/results/tenants-<date>.md.
set -euo pipefail
. "$(dirname "$0")/local-server-env.sh" tenants release
"$bin" migrate >/dev/null
mkdir -p "$root/Benchmarks/results"
python3 "$root/Benchmarks/tenants.py" --bin "$bin" --workdir "$dir" --out "$root/Benchmarks/results/tenants-$(date -u +%F).md" \
    --tenants "${BENCH_TENANTS:-1000}"
