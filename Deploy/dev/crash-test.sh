#!/usr/bin/env bash
# `make crash-test`: submissions under load while the server is killed (-9) and restarted,
# then PostgreSQL is stopped in "immediate" mode (as by a power cut) and restarted. Every
# submission that got a 2xx must be in the database afterwards, no date over capacity, and
# exactly one "request received" mail per submission. Size: CRASH_FAMILIES (default 80).
set -euo pipefail
. "$(dirname "$0")/local-server-env.sh" crash debug
"$bin" migrate >/dev/null
"$bin" tenant create crash --name "Crash" >/dev/null
"$bin" load-fixture --tenant crash --families "${CRASH_FAMILIES:-80}" --places 20 --dates 5 >"$dir/fixture.txt"
python3 "$root/Deploy/dev/crash_load.py" --bin "$bin" --fixture "$dir/fixture.txt" --workdir "$dir" \
    --pg-cluster "$root/Deploy/dev/pg-cluster.sh" --pg-dir "$dir/pg"
