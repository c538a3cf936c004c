#!/usr/bin/env bash
# `make walk`: headless chromium (Debian) driven by Selenium (PyPI) walks the parents' manual on
# the demo association, checking button words, legend colours and accessibility, with
# screenshots at 360 and 1280 px in WALK_SHOTS (default artifacts/walk, not committed).
set -euo pipefail
. "$(dirname "$0")/local-server-env.sh" walk debug
shots=${WALK_SHOTS:-$root/artifacts/walk}
rm -rf "$shots" && mkdir -p "$shots"
python3 -m venv "$dir/venv" >/dev/null
"$dir/venv/bin/pip" install -q --disable-pip-version-check "selenium==4.*"
"$bin" migrate >/dev/null
"$bin" tenant create demo --name "Les Petits Malins" >/dev/null
"$bin" demo --tenant demo >/dev/null
"$bin" serve >"$dir/server.log" 2>&1 &
echo $! >"$dir/server.pid"
for _ in $(seq 1 100); do curl -sf -o /dev/null "http://127.0.0.1:$MARELLE_HTTP_PORT/healthz" && break; sleep 0.2; done  # the process starting
WALK_BASE="http://demo.localhost:$MARELLE_HTTP_PORT" WALK_SHOTS="$shots" "$dir/venv/bin/python" "$root/Deploy/dev/browser_walk.py" \
    || { tail -n 20 "$dir/server.log" >&2; exit 1; }
