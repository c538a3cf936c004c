# Sourced by crash-test.sh, bench.sh and bench-tenants.sh:
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
export MARELLE_HTTP_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
