# Sourced by crash-test.sh, bench.sh, bench-tenants.sh, api-contract.sh and browser-walk.sh:
#   . local-server-env.sh NAME debug|release
# builds `marelle` (debug or release) into $bin, makes a temporary folder $dir (removed on
# exit, with the cluster stopped and a server whose pid is in $dir/server.pid killed), starts a
# private PostgreSQL cluster in it (database marelle_NAME) and exports the MARELLE_* settings
# of a local development server on a free loopback port.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
dir=$(mktemp -d "/tmp/marelle-$1.XXXXXX")
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
swift build -c "$2" --product marelle
bin=$(swift build -c "$2" --show-bin-path)/marelle
export MARELLE_DATABASE_URL=$("$root/Deploy/dev/pg-cluster.sh" start "$dir/pg" "marelle_$1")
export MARELLE_PATHS_SQL=$root/sql MARELLE_BASE_DOMAIN=localhost MARELLE_DEVELOPMENT=true MARELLE_MAIL_MODE=capture
export MARELLE_LOG_LEVEL=error MARELLE_HTTP_HOST=127.0.0.1
export MARELLE_SECOND_FACTOR_KEY=$(openssl rand -base64 32) MARELLE_PAYMENTS_KEY=$(openssl rand -base64 32)
export MARELLE_HTTP_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# A virtualenv at $dir/venv with the given PyPI packages.
python_tools() {
    python3 -m venv "$dir/venv" >/dev/null
    "$dir/venv/bin/pip" install -q --disable-pip-version-check "$@"
}

# Migrates, fills the demo association (slug `demo`) and starts `marelle serve` in the
# background (killed on exit); returns once it answers /healthz.
serve_demo() {
    "$bin" migrate >/dev/null
    "$bin" tenant create demo --name "Les Petits Malins" >/dev/null
    "$bin" demo --tenant demo >/dev/null
    "$bin" serve >"$dir/server.log" 2>&1 &
    echo $! >"$dir/server.pid"
    for _ in $(seq 1 100); do  # the process starting, not work: a bounded poll of its health
        curl -sf -o /dev/null "http://127.0.0.1:$MARELLE_HTTP_PORT/healthz" && return 0
        sleep 0.2
    done
    echo "marelle serve did not start" >&2
    return 1
}
