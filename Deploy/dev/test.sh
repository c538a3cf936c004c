#!/usr/bin/env bash
# `make test`: a throwaway PostgreSQL cluster, the whole test suite against it, and the
# cluster stopped and removed afterwards, also when a test fails.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=$(mktemp -d /tmp/marelle-test.XXXXXX)
chmod 755 "$dir"
cleanup() {
    "$root/Deploy/dev/pg-cluster.sh" stop "$dir/pg" || true
    rm -rf "$dir"
}
trap cleanup EXIT
export MARELLE_TEST_DATABASE_URL=$("$root/Deploy/dev/pg-cluster.sh" start "$dir/pg" marelle_test)
export MARELLE_TEST_WORKDIR=$dir
export MARELLE_REPO_ROOT=$root
cd "$root"
swift build --build-tests
swift test --skip-build "$@"
