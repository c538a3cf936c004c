#!/usr/bin/env bash
# `make cpu-per-request [PAGE=calendar|api|planning|login]`: where one request's CPU goes.
# Starts a private cluster (with pg_stat_statements) and the release server, loads the bench's
# showcase family, runs wrk on one route for 8 s after a 3 s warm-up, and prints the requests
# per second, the CPU time the server and the PostgreSQL processes spent per request (utime +
# stime from /proc), and the statements PostgreSQL ran, with their mean time. Nothing is
# written to Benchmarks/results: this is the tool for finding the next thing to speed up.
# PERF=1 adds a sampled profile of the server (perf) during the measured run.
set -euo pipefail
. "$(dirname "$0")/local-server-env.sh" cpu release
echo "shared_preload_libraries = 'pg_stat_statements'" >>"$(readlink -f "$dir/pg")/data/postgresql.conf"
"$root/Deploy/dev/pg-cluster.sh" restart "$dir/pg" >/dev/null
admin="${MARELLE_DATABASE_URL/user=marelle/user=postgres}"
"$bin" migrate >/dev/null
"$bin" tenant create pages --name "Banc" >/dev/null
password="motdepasse-bench-123"
"$bin" load-fixture --tenant pages --families 1 --places 300 --dates 10 --showcase-password "$password" >"$dir/fixture.txt"
read -r _ email token child _ < <(grep "^showcase " "$dir/fixture.txt" | head -1)
activity=$(awk '/^showcase-activity / {print $2}' "$dir/fixture.txt")
"$bin" serve >"$dir/server.log" 2>&1 &
echo $! >"$dir/server.pid"
for _ in $(seq 1 100); do curl -sf -o /dev/null "http://127.0.0.1:$MARELLE_HTTP_PORT/healthz" && break; sleep 0.2; done
month=$(date +%Y-%m)
port=$MARELLE_HTTP_PORT
cookie() {
    python3 - "$port" "$email" "$password" <<'PY'
import http.client, re, sys, urllib.parse
port, email, password = int(sys.argv[1]), sys.argv[2], sys.argv[3]
def call(method, path, body=None, headers={}):
    c = http.client.HTTPConnection("127.0.0.1", port); c.request(method, path, body=body, headers={"Host": "pages.localhost", **headers})
    r = c.getresponse(); return r, r.read().decode()
r, page = call("GET", "/login")
csrf = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
jar = {h.split("=")[0]: h.split(";")[0].split("=", 1)[1] for n, h in r.getheaders() if n.lower() == "set-cookie"}
form = urllib.parse.urlencode({"_csrf": csrf, "email": email, "password": password, "suite": "/"})
r, _ = call("POST", "/login", form, {"Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-origin",
                                      "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())})
jar.update({h.split("=")[0]: h.split(";")[0].split("=", 1)[1] for n, h in r.getheaders() if n.lower() == "set-cookie"})
print("; ".join(f"{k}={v}" for k, v in jar.items()))
PY
}
export BENCH_DIR="$root/Benchmarks" BENCH_HOST=pages.localhost
case "${PAGE:-calendar}" in
calendar) export BENCH_PATH="/mon-calendrier?mois=$month" BENCH_COOKIE="$(cookie)" ;;
planning) export BENCH_PATH="/inscription/planning?choix=$child-$activity&mois=$month" BENCH_COOKIE="$(cookie)" ;;
api) export BENCH_PATH="/api/v1/children/$child/calendar?month=$month" BENCH_TOKEN="$token" ;;
login) export BENCH_PATH="/login" ;;
*) echo "PAGE is calendar, planning, api or login" >&2; exit 2 ;;
esac
echo "GET $BENCH_PATH: $(curl -s -o /dev/null -w '%{http_code}' -H "Host: $BENCH_HOST" -H "Cookie: ${BENCH_COOKIE:-}" \
    -H "Authorization: Bearer ${BENCH_TOKEN:-}" "http://127.0.0.1:$port$BENCH_PATH")"
wrk -t2 -c64 -d3s -s "$root/Benchmarks/get.lua" "http://127.0.0.1:$port" >/dev/null
ticks() { local t=0; for p in "$@"; do [ -r "/proc/$p/stat" ] && t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo "$t"; }
server=$(cat "$dir/server.pid")
postgres=$(pgrep -x postgres | tr '\n' ' ')
psql "$admin" -qAtc "CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset()" >/dev/null
s0=$(ticks "$server"); p0=$(ticks $postgres)
# PERF=1: also sample the server's stacks during the run (kept in /tmp/marelle-perf.data,
# its flat report in /tmp/marelle-perf.txt: the run's own directory goes when the script ends).
if [ -n "${PERF:-}" ]; then perf record -F 999 -g -p "$server" -o /tmp/marelle-perf.data -- sleep 8 >/dev/null 2>&1 & perf=$!; fi
out=$(wrk -t2 -c64 -d8s -s "$root/Benchmarks/get.lua" "http://127.0.0.1:$port")
s1=$(ticks "$server"); p1=$(ticks $postgres)
requests=$(echo "$out" | awk '/requests in/ {print $1}')
hz=$(getconf CLK_TCK)
echo "$out" | grep -E "Requests/sec|Latency"
python3 -c "n=$requests; hz=$hz; print(f'CPU per request: server {($s1-$s0)/hz/n*1e6:.0f} us, PostgreSQL {($p1-$p0)/hz/n*1e6:.0f} us')"
if [ -n "${PERF:-}" ]; then
    wait "$perf"
    perf report -i /tmp/marelle-perf.data --no-children --sort dso,symbol -g none --stdio >/tmp/marelle-perf.txt 2>/dev/null || true
    echo "server profile: /tmp/marelle-perf.txt"
fi
psql "$admin" -c "SELECT calls, round(mean_exec_time::numeric * 1000) AS mean_us, rows,
    left(regexp_replace(query, '\s+', ' ', 'g'), 100) AS statement
    FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%' ORDER BY total_exec_time DESC LIMIT 15"
