#!/usr/bin/env bash
# Installs the Debian packages Marelle builds and tests with, when they are missing.
# Usage: install-deps.sh [extra-package ...]
set -euo pipefail
packages=(libpq-dev libcurl4-openssl-dev libxml2-dev libxml2-utils libssl-dev libargon2-dev libicu-dev libqrencode-dev libpango1.0-dev libcairo2-dev fonts-dejavu-core poppler-utils pkg-config openssl postgresql postgresql-contrib "$@")
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
