#!/usr/bin/env bash
# Builds the release binary and assembles dist/marelle-<commit>.tar.gz for a server that has
# no Swift toolchain: the binary, its resource bundles, the Swift runtime libraries it links
# (found through its $ORIGIN runpath), the SQL migrations and Deploy/'s files.
# Usage (on a Debian 12 build machine with the toolchain): Deploy/package.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
Deploy/dev/install-deps.sh
swift build -c release --product marelle
bin=$(swift build -c release --show-bin-path)
name="marelle-$(git rev-parse --short HEAD)"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/$name/lib/marelle" "$stage/$name/share/marelle" "$stage/$name/share/doc/marelle"
cp "$bin/marelle" "$stage/$name/lib/marelle/"
cp -R "$bin"/*.resources "$stage/$name/lib/marelle/"
# The Swift runtime, beside the binary: its runpath ends with $ORIGIN.
ldd "$bin/marelle" | awk '/=> \// { print $3 }' | while read -r lib; do
    case "$lib" in /lib/*|/usr/lib/*) ;; *) cp "$lib" "$stage/$name/lib/marelle/" ;; esac
done
cp -R sql "$stage/$name/share/marelle/sql"
cp -R Deploy/systemd Deploy/nginx Deploy/config.production.json Deploy/README.md Deploy/SCALE.md README.md "$stage/$name/share/doc/marelle/"
mkdir -p dist
tar -C "$stage" -czf "dist/$name.tar.gz" "$name"
echo "dist/$name.tar.gz"
