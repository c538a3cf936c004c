#!/usr/bin/env bash
# `make package`: builds the release binary with the Swift runtime linked in
# (--static-swift-stdlib, so the server needs only Debian's libpq, libargon2, ICU, libqrencode, cairo, pango and OpenSSL) and
# assembles dist/marelle-<commit>.tar.gz for a server that has no Swift toolchain: the binary
# and its resource bundles, the SQL migrations, the systemd and nginx files, the production
# configuration and the docs (Deploy/README.md becomes share/doc/marelle/INSTALL.md).
# Usage (on a Debian 12 build machine with the toolchain): make package
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
Deploy/dev/install-deps.sh
swift build -c release --static-swift-stdlib --product marelle
bin=$(swift build -c release --static-swift-stdlib --show-bin-path)
name="marelle-$(git rev-parse --short HEAD)"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/$name/lib/marelle" "$stage/$name/share/marelle" "$stage/$name/share/doc/marelle"
cp "$bin/marelle" "$stage/$name/lib/marelle/"
cp -R "$bin"/*.resources "$stage/$name/lib/marelle/"
# Linked statically, the binary needs no library outside the system's: say so if one slips in.
if ldd "$bin/marelle" | awk '/=>/ { print $3 }' | grep -Ev '^(/lib/|/usr/lib/)'; then
    echo "package.sh: the binary needs the libraries above, which are not the system's" >&2
    exit 1
fi
cp -R sql "$stage/$name/share/marelle/sql"
cp -R Deploy/systemd Deploy/nginx Deploy/config.production.json Deploy/SCALE.md README.md docs config.example.json \
    "$stage/$name/share/doc/marelle/"
cp Deploy/README.md "$stage/$name/share/doc/marelle/INSTALL.md"
mkdir -p dist
tar -C "$stage" -czf "dist/$name.tar.gz" "$name"
echo "dist/$name.tar.gz"
