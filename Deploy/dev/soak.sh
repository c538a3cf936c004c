#!/usr/bin/env bash
# `make soak`: mixed traffic with large uploads and downloads for SOAK_MINUTES (default 30)
# against the demo association, on a build of its own (SOAK_BUILD, default release) and a
# private PostgreSQL cluster; the server's RSS over time goes to
# Benchmarks/results/soak-<date>.md. Not in CI: it is long on purpose.
set -euo pipefail
. "$(dirname "$0")/local-server-env.sh" soak "${SOAK_BUILD:-release}"
export MARELLE_LOG_LEVEL=warning
serve_demo
mkdir -p "$root/Benchmarks/results"
python3 "$root/Benchmarks/soak.py" --bin "$bin" --workdir "$dir" --build "${SOAK_BUILD:-release}" \
    --out "${SOAK_OUT:-$root/Benchmarks/results/soak-$(date -u +%F).md}" \
    --minutes "${SOAK_MINUTES:-30}" --idle-minutes "${SOAK_IDLE_MINUTES:-3}"
