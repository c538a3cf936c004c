#!/usr/bin/env bash
# `make bench`: the opening-morning rush (Benchmarks/rush.py) on a release build and a
# private PostgreSQL cluster of its own; the report goes to Benchmarks/results/rush-<date>.md.
# BENCH_FAMILIES (default 2000) and BENCH_SECONDS (default 20) size it; BENCH_ONLY=pages runs
# the page section alone (report under Benchmarks/results/pages-<date>.md).
set -euo pipefail
. "$(dirname "$0")/local-server-env.sh" bench release
# pg_stat_statements: the report shows which statements the rush spends its database time on.
echo "shared_preload_libraries = 'pg_stat_statements'" >>"$(readlink -f "$dir/pg")/data/postgresql.conf"
"$root/Deploy/dev/pg-cluster.sh" restart "$dir/pg"
"$bin" migrate >/dev/null
mkdir -p "$root/Benchmarks/results"
python3 "$root/Benchmarks/rush.py" --bin "$bin" --workdir "$dir" --out "$root/Benchmarks/results/${BENCH_ONLY:-rush}-$(date -u +%F).md" \
    --families "${BENCH_FAMILIES:-2000}" --seconds "${BENCH_SECONDS:-20}" ${BENCH_ONLY:+--only "$BENCH_ONLY"}
