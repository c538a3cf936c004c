"""`make bench-tenants`: one association, then a thousand, on the same cluster and binary.

For each: `marelle migrate` (every schema checked, nothing to apply), the server's start time
(until it logs that it listens) and memory, and the home page of one association under wrk.
The report gives each figure at 1,000 associations as a ratio to the same figure at one.
Run by Deploy/dev/bench-tenants.sh. Standard library only.
"""
import argparse
import datetime
import os
import statistics
import subprocess
import sys
import threading
import time

from rush import Bench, machine

HERE = os.path.dirname(os.path.abspath(__file__))


def timed(command):
    start = time.monotonic()
    subprocess.run(command, check=True, capture_output=True)
    return time.monotonic() - start


def start(binary, log):
    """Starts `marelle serve`; returns it and the seconds until its log said it listens."""
    begin = time.monotonic()
    server = subprocess.Popen([binary, "serve"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              env=dict(os.environ, MARELLE_LOG_LEVEL="info"))
    for line in server.stdout:
        log.write(line)
        if b"listening" in line:
            break
    seconds = time.monotonic() - begin
    # The server logs a line per request from here on: keep reading, or it blocks on a full pipe.
    threading.Thread(target=lambda: [log.write(line) for line in server.stdout], daemon=True).start()
    return server, seconds


def measure(bench, binary, seconds, spread_hosts=None):
    migrate = statistics.median(timed([binary, "migrate"]) for _ in range(3))
    log = open(os.path.join(bench.args.workdir, "server.log"), "ab")
    starts = []
    for _ in range(4):
        server, seconds_to_listen = start(binary, log)
        starts.append(seconds_to_listen)
        server.kill()
        server.wait()
    server, seconds_to_listen = start(binary, log)
    started = statistics.median(starts + [seconds_to_listen])
    try:
        rss_start = rss(server.pid)
        host = "solo-1.localhost"
        response, _ = bench.request("GET", "/", host)
        assert response.status == 200, response.status
        page = bench.wrk("get.lua", 16, seconds, {"BENCH_HOST": host, "BENCH_PATH": "/"})
        spread = None
        if spread_hosts:
            for other in (spread_hosts[0], spread_hosts[-1]):
                response, _ = bench.request("GET", "/", other)
                assert response.status == 200, (other, response.status)
            path = os.path.join(bench.args.workdir, "hosts.txt")
            with open(path, "w") as f:
                f.write("\n".join(spread_hosts) + "\n")
            # The first pass is each PostgreSQL backend meeting each schema for the first time
            # (its catalog and plan caches fill); the second is the steady state.
            first = bench.wrk("spread.lua", 16, seconds, {"BENCH_HOSTS": path, "BENCH_PATH": "/"})
            spread = bench.wrk("spread.lua", 16, seconds, {"BENCH_HOSTS": path, "BENCH_PATH": "/"})
            spread["first_pass"] = first
        return {"migrate_s": migrate, "start_s": started, "rss_start_kib": rss_start, "rss_after_kib": rss(server.pid),
                "hwm_kib": rss(server.pid, "VmHWM"), "page": page, "spread": spread}
    finally:
        server.kill()
        server.wait()


def rss(pid, field="VmRSS"):
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(field + ":"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--tenants", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    bench = Bench(args)
    subprocess.run([args.bin, "tenant", "create-many", "solo", "--count", "1", "--name", "Seule"], check=True, capture_output=True)
    one = measure(bench, args.bin, args.seconds)
    creation = timed([args.bin, "tenant", "create-many", "lot", "--count", str(args.tenants - 1), "--name", "Association"])
    listed = subprocess.run([args.bin, "tenant", "list"], check=True, capture_output=True, text=True).stdout
    slugs = [line.split()[0] for line in listed.splitlines() if line.strip() and (line.startswith("solo-") or line.startswith("lot-"))]
    many = measure(bench, args.bin, args.seconds, [f"{slug}.localhost" for slug in slugs])
    write(args, machine(), one, many, creation, bench.commands)
    print(f"report: {args.out}")


def write(args, m, one, many, creation, commands):
    def ratio(key):
        return many[key] / one[key] if one[key] else 0

    def page(r, key):
        return r["page"][key] / 1000

    rows = [
        ("`marelle migrate` (every schema checked; median of 3)", f"{one['migrate_s']:.2f} s", f"{many['migrate_s']:.2f} s", ratio("migrate_s")),
        ("server start, until it listens (median of 5)", f"{one['start_s']:.2f} s", f"{many['start_s']:.2f} s", ratio("start_s")),
        ("RSS right after start", f"{one['rss_start_kib'] // 1024} MiB", f"{many['rss_start_kib'] // 1024} MiB", ratio("rss_start_kib")),
        ("RSS after the page run", f"{one['rss_after_kib'] // 1024} MiB", f"{many['rss_after_kib'] // 1024} MiB", ratio("rss_after_kib")),
        ("home page p50 (16 connections)", f"{page(one, 'p50_us'):.1f} ms", f"{page(many, 'p50_us'):.1f} ms",
         many["page"]["p50_us"] / max(1, one["page"]["p50_us"])),
        ("home page p99", f"{page(one, 'p99_us'):.1f} ms", f"{page(many, 'p99_us'):.1f} ms",
         many["page"]["p99_us"] / max(1, one["page"]["p99_us"])),
        ("home page req/s", f"{one['page']['requests'] / one['page']['duration_us'] * 1e6:.0f}",
         f"{many['page']['requests'] / many['page']['duration_us'] * 1e6:.0f}",
         (many['page']['requests'] / many['page']['duration_us']) / (one['page']['requests'] / one['page']['duration_us'])),
    ]
    spread = many["spread"]
    spread_rate = spread["requests"] / spread["duration_us"] * 1e6
    one_rate = one["page"]["requests"] / one["page"]["duration_us"] * 1e6
    first = spread["first_pass"]
    first_rate = first["requests"] / first["duration_us"] * 1e6
    rows.append((f"home page req/s, spread over all {args.tenants} associations, first pass (cold caches)",
                 f"{one_rate:.0f} (one alone)", f"{first_rate:.0f}", first_rate / one_rate))
    rows.append((f"home page req/s, spread over all {args.tenants} associations, second pass",
                 f"{one_rate:.0f} (one alone)", f"{spread_rate:.0f}", spread_rate / one_rate))
    rows.append(("home page p99, spread, second pass", f"{page(one, 'p99_us'):.1f} ms", f"{spread['p99_us'] / 1000:.1f} ms",
                 spread["p99_us"] / max(1, one["page"]["p99_us"])))
    out = [f"# A thousand associations: {m['date']}", "",
           f"Produced by `make bench-tenants` (Deploy/dev/bench-tenants.sh, Benchmarks/tenants.py) on commit `{m['commit']}`: "
           f"{m['cpus']} CPUs ({m['model']}), {m['memory_mib']} MiB, release build, PostgreSQL 15 on the same machine. One "
           f"association, then {args.tenants} on the same cluster ({args.tenants - 1} created by `marelle tenant create-many` in "
           f"{creation:.0f} s, {creation / max(1, args.tenants - 1) * 1000:.0f} ms each: schema, role, migrations). Aim: start "
           f"time and RSS within 1.2x.", "",
           "| figure | 1 association | " + f"{args.tenants} associations | ratio |", "|---|---|---|---|"]
    out += [f"| {name} | {a} | {b} | **{r:.2f}** |" for name, a, b, r in rows]
    aim = spread_rate / one_rate
    out += ["", f"Answers: one: {one['page']['statuses']}, many: {many['page']['statuses']}, spread: {spread['statuses']}.", "",
            f"- {'met' if aim >= 0.9 else '**missed**'}: home page req/s spread over {args.tenants} associations at least 0.9 of "
            f"one association alone ({aim:.2f}, second pass).", "",
            "## Prepared statements and tenants", "",
            "Each pooled connection keeps its named prepared statements by SQL text and parameter types, whatever the "
            "association: one `PREPARE` of the home page's statement serves every schema on that connection. A transaction "
            "starts with `set_config('search_path', …, true)` and `set_config('role', …, true)` (sent in the same round trip as "
            "the first statement); when `search_path` differs from the one a statement was planned under, PostgreSQL "
            "re-analyses it against the new schema's tables at the next `EXECUTE` (its plan cache is invalidated by the "
            "search path, not by the text). So spreading requests over a thousand schemas keeps the parse and the round "
            "trips that preparing saves, and pays a re-plan when a connection moves to another association: the spread "
            "row above is that cost. A cache per (text, schema) would keep a thousand copies of every statement on every "
            "connection for nothing, since PostgreSQL re-plans on the path change anyway.", "",
            "## Commands", "", "```",
            "make bench-tenants", *commands, "```", ""]
    with open(args.out, "w") as f:
        f.write("\n".join(out))


if __name__ == "__main__":
    sys.exit(main())
