#!/usr/bin/env bash
# `make walk`: headless chromium (Debian) driven by Selenium (PyPI) walks the parents' manual on
# the demo association, checking button words, legend colours and accessibility (axe-core on
# every page: no serious or critical violation), with
# screenshots at 360 and 1280 px in WALK_SHOTS (default artifacts/walk, not committed).
set -euo pipefail
. "$(dirname "$0")/local-server-env.sh" walk debug
shots=${WALK_SHOTS:-$root/artifacts/walk}
rm -rf "$shots" && mkdir -p "$shots"
python_tools "selenium==4.*" "axe-selenium-python==2.1.6"
serve_demo
WALK_BASE="http://demo.localhost:$MARELLE_HTTP_PORT" WALK_SHOTS="$shots" "$dir/venv/bin/python" "$root/Deploy/dev/browser_walk.py" \
    || { tail -n 20 "$dir/server.log" >&2; exit 1; }
