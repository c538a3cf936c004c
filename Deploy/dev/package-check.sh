#!/usr/bin/env bash
# CI's check of `make package`: builds the tarball, unpacks it in a scratch folder as an
# operator would, checks with ldd that the binary needs no Swift library, then runs `migrate`,
# `tenant create` and `serve` from the unpacked tree (its own SQL and resources, no toolchain
# on the library path) against a scratch cluster until /healthz and an association's home page
# answer.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
tarball=$(Deploy/package.sh | tail -n 1)
dir=$(mktemp -d /tmp/marelle-package.XXXXXX)
chmod 755 "$dir"
cleanup() {
    [ -f "$dir/server.pid" ] && kill -9 "$(cat "$dir/server.pid")" 2>/dev/null || true
    "$root/Deploy/dev/pg-cluster.sh" stop "$dir/pg" || true
    rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

tar -C "$dir" -xzf "$tarball"
tree=$(ls -d "$dir"/marelle-*)
bin=$tree/lib/marelle/marelle
for f in share/marelle/sql/tenant share/doc/marelle/INSTALL.md share/doc/marelle/README.md \
    share/doc/marelle/docs/OPERATIONS.md share/doc/marelle/systemd/marelle.service share/doc/marelle/nginx/marelle.conf; do
    [ -e "$tree/$f" ] || { echo "package-check: $f is missing from $tarball" >&2; exit 1; }
done
if ldd "$bin" | grep -i swift; then
    echo "package-check: the binary still needs the Swift libraries above" >&2
    exit 1
fi
conninfo=$("$root/Deploy/dev/pg-cluster.sh" start "$dir/pg" marelle_package)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# What an operator's server has: no toolchain, no build folder, nothing of the checkout. Run
# in a subshell: it becomes the server process.
run() {
    exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$dir" \
        MARELLE_DATABASE_URL="$conninfo" MARELLE_PATHS_SQL="$tree/share/marelle/sql" \
        MARELLE_BASE_DOMAIN=localhost MARELLE_HTTP_HOST=127.0.0.1 MARELLE_HTTP_PORT="$port" \
        MARELLE_MAIL_SMTP_HOST=127.0.0.1 MARELLE_MAIL_DELIVER=false MARELLE_LOG_LEVEL=warning \
        "$bin" "$@"
}
(cd "$dir" && run migrate >/dev/null)
(cd "$dir" && run tenant create verif --name "Association du paquet" >/dev/null)
(cd "$dir" && run serve >"$dir/server.log" 2>&1) &
echo $! >"$dir/server.pid"
disown
for _ in $(seq 1 100); do  # the process starting, not work: a bounded poll of its health
    curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" && break
    sleep 0.2
done
curl -sf "http://127.0.0.1:$port/healthz" >/dev/null || { cat "$dir/server.log" >&2; echo "package-check: serve did not answer /healthz" >&2; exit 1; }
home=$(curl -sf -H "Host: verif.localhost" "http://127.0.0.1:$port/")
grep -q "Association du paquet" <<<"$home" || { echo "package-check: the home page did not render from the package's templates" >&2; exit 1; }
echo "package-check: $tarball unpacks, needs no Swift library ($(du -h "$bin" | cut -f1) binary), migrates and serves"
