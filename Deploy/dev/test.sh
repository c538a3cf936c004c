#!/usr/bin/env bash
# `make test`: a throwaway PostgreSQL cluster and a loopback SMTP server, the whole test
# suite against them, and both stopped and removed afterwards, also when a test fails.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=$(mktemp -d /tmp/marelle-test.XXXXXX)
chmod 755 "$dir"
sink_pid=""
tls_sink_pid=""
cleanup() {
    [ -n "$sink_pid" ] && kill "$sink_pid" 2>/dev/null || true
    [ -n "$tls_sink_pid" ] && kill "$tls_sink_pid" 2>/dev/null || true
    "$root/Deploy/dev/pg-cluster.sh" stop "$dir/pg" || true
    rm -rf "$dir"
}
trap cleanup EXIT
# Bash skips the EXIT trap when killed by a signal: turn INT and TERM into an exit, so an
# interrupted run still stops its cluster and SMTP servers.
trap 'exit 130' INT
trap 'exit 143' TERM

python3 -c "import aiosmtpd" 2>/dev/null || python3 -m pip install -q --disable-pip-version-check "aiosmtpd==1.4.6"
python3 "$root/Deploy/dev/smtp-sink.py" "$dir/maildir" "$dir/smtp.port" >"$dir/smtp.log" 2>&1 &
sink_pid=$!
# A second relay as production has them: STARTTLS required (a certificate made for the run,
# trusted through MARELLE_TEST_SMTP_CA) and AUTH.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost" \
    -keyout "$dir/smtp.key" -out "$dir/smtp.crt" >/dev/null 2>&1
python3 "$root/Deploy/dev/smtp-sink.py" "$dir/maildir-tls" "$dir/smtp-tls.port" "$dir/smtp.crt" "$dir/smtp.key" \
    marelle "relay secret" >"$dir/smtp-tls.log" 2>&1 &
tls_sink_pid=$!

export MARELLE_TEST_DATABASE_URL=$("$root/Deploy/dev/pg-cluster.sh" start "$dir/pg" marelle_test)
export MARELLE_TEST_WORKDIR=$dir
export MARELLE_REPO_ROOT=$root
export MARELLE_TEST_MAILDIR=$dir/maildir

cd "$root"
swift build --build-tests 2>&1 | tee "$dir/build.log"
# Zero warnings in our own code (the packages' are theirs). An incremental build only
# recompiles what changed, so the full check is CI's clean build.
if grep -E "^$root/(Sources|Tests)/.*: warning:" "$dir/build.log" >&2; then
    echo "the build has warnings in Sources/ or Tests/ (above): fix them" >&2
    exit 1
fi
# The sink writes its port once it accepts connections (long before the build ends).
for _ in $(seq 1 300); do [ -s "$dir/smtp.port" ] && break; sleep 0.1; done
[ -s "$dir/smtp.port" ] || { cat "$dir/smtp.log" >&2; echo "the SMTP sink did not start" >&2; exit 1; }
for _ in $(seq 1 100); do [ -s "$dir/smtp-tls.port" ] && break; sleep 0.1; done
[ -s "$dir/smtp-tls.port" ] || { cat "$dir/smtp-tls.log" >&2; echo "the TLS SMTP sink did not start" >&2; exit 1; }
export MARELLE_TEST_SMTP_PORT=$(cat "$dir/smtp.port")
export MARELLE_TEST_SMTP_TLS_PORT=$(cat "$dir/smtp-tls.port")
export MARELLE_TEST_SMTP_CA=$dir/smtp.crt
export MARELLE_TEST_MAILDIR_TLS=$dir/maildir-tls
# MARELLE_TEST_WRAP runs the tests under a tool, e.g. "perf record -g --" to profile one test.
${MARELLE_TEST_WRAP:-} swift test --skip-build "$@"
