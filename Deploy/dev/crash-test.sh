#!/usr/bin/env bash
# `make crash-test`: submissions under load while the server is killed (-9) and restarted,
# then PostgreSQL is stopped in "immediate" mode (as by a power cut) and restarted. Every
# submission that got a 2xx must be in the database afterwards, no date over capacity, and
# exactly one "request received" mail per submission. Size: CRASH_FAMILIES (default 80).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=$(mktemp -d /tmp/marelle-crash.XXXXXX)
chmod 755 "$dir"
cleanup() {
    [ -f "$dir/server.pid" ] && kill -9 "$(cat "$dir/server.pid")" 2>/dev/null || true
    "$root/Deploy/dev/pg-cluster.sh" stop "$dir/pg" || true
    rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

cd "$root"
swift build --product marelle
bin=$(swift build --show-bin-path)/marelle
export MARELLE_DATABASE_URL=$("$root/Deploy/dev/pg-cluster.sh" start "$dir/pg" marelle_crash)
export MARELLE_PATHS_SQL=$root/sql MARELLE_BASE_DOMAIN=localhost MARELLE_DEVELOPMENT=true MARELLE_MAIL_MODE=capture
export MARELLE_LOG_LEVEL=error MARELLE_HTTP_HOST=127.0.0.1
export MARELLE_HTTP_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin" migrate >/dev/null
"$bin" tenant create crash --name "Crash" >/dev/null
"$bin" load-fixture --tenant crash --families "${CRASH_FAMILIES:-80}" --places 20 --dates 5 >"$dir/fixture.txt"
python3 "$root/Deploy/dev/crash_load.py" --bin "$bin" --fixture "$dir/fixture.txt" --workdir "$dir" \
    --pg-cluster "$root/Deploy/dev/pg-cluster.sh" --pg-dir "$dir/pg"
