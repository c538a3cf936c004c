"""`make bench`: the opening-morning rush, its ceiling, pages and logins under load.

Run by Deploy/dev/bench.sh, which builds the release binary, starts a private PostgreSQL
cluster and exports the MARELLE_* settings. Standard library only. Every figure of the
report comes from this run; ratios compare runs of the same command on the same machine.
"""
import argparse
import datetime
import json
import math
import os
import re
import secrets
import subprocess
import sys
import threading
import time
import urllib.parse
import http.client

from rush_ceiling import prepare_ceiling, pgbench_figures
from rush_report import write_report

HERE = os.path.dirname(os.path.abspath(__file__))
HOLDING = "('requested', 'validated', 'cancel_requested')"


class Bench:
    def __init__(self, args):
        self.args = args
        self.port = int(os.environ["MARELLE_HTTP_PORT"])
        self.conninfo = os.environ["MARELLE_DATABASE_URL"]
        self.commands = []   # every load command of the run, for the report

    # --- tools -----------------------------------------------------------------------
    def marelle(self, *arguments):
        return subprocess.run([self.args.bin, *arguments], check=True, capture_output=True, text=True).stdout

    def sql(self, query, schema=None, admin=False):
        env = dict(os.environ, PGOPTIONS=f"-c search_path={schema}" if schema else "")
        conninfo = self.conninfo.replace("user=marelle", "user=postgres") if admin else self.conninfo
        out = subprocess.run(["psql", conninfo, "-X", "-v", "ON_ERROR_STOP=1", "-At", "-F", "\t", "-c", query],
                             check=True, capture_output=True, text=True, env=env).stdout
        return [line.split("\t") for line in out.strip().split("\n") if line]

    def tenant(self, slug, families, showcase_password=None):
        created = self.marelle("tenant", "create", slug, "--name", f"Banc {slug}")
        schema = re.search(r"in schema (\S+)", created).group(1)
        extra = ["--showcase-password", showcase_password] if showcase_password else []
        fixture = os.path.join(self.args.workdir, f"{slug}.txt")
        with open(fixture, "w") as f:
            f.write(self.marelle("load-fixture", "--tenant", slug, "--families", str(families), "--places", "300", "--dates", "10", *extra))
        return schema, fixture

    def wrk(self, script, connections, seconds, env, background=False):
        command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", os.path.join(HERE, script),
                   f"http://127.0.0.1:{self.port}"]
        self.commands.append(" ".join(f"{k}=…" if k in ("BENCH_COOKIE", "BENCH_TOKEN", "BENCH_PASSWORD") else f"{k}={v}"
                                      for k, v in sorted(env.items())) + " " + " ".join(command))
        full_env = dict(os.environ, BENCH_DIR=HERE, BENCH_THREADS="2", **env)
        process = subprocess.Popen(command, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if background:
            return process
        return self.wrk_result(process)

    @staticmethod
    def wrk_result(process):
        out, err = process.communicate()
        for line in out.split("\n"):
            if line.startswith("BENCH "):
                return json.loads(line[6:])
        raise RuntimeError(f"wrk gave no result: {out}\n{err}")

    def request(self, method, path, host, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.request(method, path, body=body, headers={"Host": host, **(headers or {})})
        response = conn.getresponse()
        data = response.read()
        conn.close()
        return response, data

    def session_cookie(self, host, email, password):
        """Logs in through the page, as a browser does; returns the Cookie header."""
        response, page = self.request("GET", "/login", host)
        cookies = {}

        def keep(resp):
            for name, value in resp.getheaders():
                if name.lower() == "set-cookie":
                    pair = value.split(";")[0]
                    cookies[pair.split("=")[0]] = pair.split("=", 1)[1]
        keep(response)
        csrf = re.search(r'name="_csrf" value="([^"]+)"', page.decode()).group(1)
        form = urllib.parse.urlencode({"_csrf": csrf, "email": email, "password": password, "suite": "/"})
        response, _ = self.request("POST", "/login", host, form, {
            "Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-origin",
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())})
        if response.status != 303:
            raise RuntimeError(f"login answered {response.status}")
        keep(response)
        return "; ".join(f"{k}={v}" for k, v in cookies.items())

    # --- checks ----------------------------------------------------------------------
    def invariant(self, schema, ok_answers):
        row = self.sql(f"""
            SELECT (SELECT count(*) FROM activity_days d JOIN activities a ON a.id = d.activity_id WHERE d.held > a.capacity),
                   (SELECT count(*) FROM activity_days d WHERE d.held <> (SELECT count(*) FROM bookings b
                        WHERE b.activity_id = d.activity_id AND b.day = d.day AND b.status IN {HOLDING})),
                   (SELECT count(*) FROM bookings w WHERE w.status = 'waiting' AND EXISTS (SELECT 1 FROM bookings h
                        WHERE h.activity_id = w.activity_id AND h.day = w.day AND h.status IN {HOLDING} AND h.requested_at > w.requested_at)),
                   (SELECT count(*) FROM submissions WHERE response IS NOT NULL),
                   (SELECT count(*) FROM outbox WHERE subject LIKE '%demande reçue%'),
                   (SELECT count(*) FROM bookings),
                   (SELECT count(*) FROM bookings WHERE status = 'waiting')""", schema)[0]
        over, drift, disorder, submissions, mails, bookings, waiting = map(int, row)
        first = self.sql("""
            SELECT count(*), coalesce(extract(epoch FROM max(first) - min(first)), 0)
            FROM (SELECT min(submitted_at) AS first FROM submissions GROUP BY family_id) f""", schema)[0]
        result = {"over_capacity": over, "counter_drift": drift, "waiting_out_of_order": disorder,
                  "submissions": submissions, "answers_2xx": ok_answers, "request_mails": mails,
                  "bookings": bookings, "waiting": waiting, "first_pass_families": int(first[0]),
                  "first_pass_seconds": float(first[1])}
        result["ok"] = (over == 0 and drift == 0 and disorder == 0 and submissions >= ok_answers and mails == submissions)
        return result

    # --- the run ---------------------------------------------------------------------
    def run(self):
        server = subprocess.Popen([self.args.bin, "serve"], stdout=open(os.path.join(self.args.workdir, "server.log"), "ab"),
                                  stderr=subprocess.STDOUT)
        try:
            self.wait_healthy()
            sampler = RSSSampler(server.pid)
            sampler.start()
            report = {"machine": machine(), "families": self.args.families, "seconds": self.args.seconds,
                      "rss_idle_kib": sampler.current()}
            report["rush"] = {}
            # BENCH_ONLY=pages: the page runs alone, for a quick look while working on them.
            pages_only = self.args.only == "pages"
            for connections in () if pages_only else (64, 256):
                report["rush"][connections] = self.rush(connections)
            report["pages"] = self.pages()
            report["storm"] = None if pages_only else self.storm()
            sampler.stop()
            report["rss_max_kib"], report["rss_hwm_kib"] = sampler.maximum, sampler.high_water_mark()
            report["commands"] = self.commands
            return report
        finally:
            server.kill()
            server.wait()

    def wait_healthy(self):
        for _ in range(300):
            try:
                response, _ = self.request("GET", "/healthz", "localhost")
                if response.status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)  # polling a starting process, not waiting for work
        raise RuntimeError("the server did not start")

    def rush(self, connections):
        slug = f"rush{connections}"
        schema, fixture = self.tenant(slug, self.args.families)
        self.sql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset();", admin=True)
        self.checkpoint()
        http = self.wrk("rush.lua", connections, self.args.seconds, {"BENCH_HOST": f"{slug}.localhost", "BENCH_FIXTURE": fixture})
        ok = sum(n for s, n in http["statuses"].items() if s.startswith("2"))
        checks = self.invariant(schema, ok)
        statements = self.sql("""
            SELECT calls, round(total_exec_time::numeric, 1), regexp_replace(left(query, 110), '\\s+', ' ', 'g')
            FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%' ORDER BY total_exec_time DESC LIMIT 12""", admin=True)
        totals = self.sql("SELECT sum(calls), round(sum(total_exec_time)::numeric, 1) FROM pg_stat_statements", admin=True)[0]
        # The ceiling: the same SQL work straight from pgbench, one fresh family per transaction.
        ceiling_slug = f"plafond{connections}"
        transactions = math.ceil(self.args.families / connections)
        ceiling_schema, ceiling_fixture = self.tenant(ceiling_slug, transactions * connections)
        script = os.path.join(self.args.workdir, f"ceiling-{connections}.sql")
        prepare_ceiling(self.sql, ceiling_schema, ceiling_fixture, script)
        command = ["pgbench", "-n", "-c", str(connections), "-j", "2", "-t", str(transactions), "-f", script, "-l",
                   "--log-prefix", f"pgbench-{connections}", self.conninfo]
        self.commands.append(f"PGOPTIONS='-c search_path=<tenant>' " + " ".join(command[:-1]) + " '<conninfo>'")
        self.checkpoint()
        done = subprocess.run(command, capture_output=True, text=True, cwd=self.args.workdir,
                              env=dict(os.environ, PGOPTIONS=f"-c search_path={ceiling_schema}"))
        if done.returncode != 0:
            raise RuntimeError(f"pgbench failed: {done.stdout}\n{done.stderr}")
        ceiling = pgbench_figures(done.stdout, self.args.workdir, f"pgbench-{connections}")
        ceiling["checks"] = self.invariant(ceiling_schema, 0)
        return {"http": http, "checks": checks, "ceiling": ceiling,
                "statements": {"top": statements, "calls": int(totals[0]), "ms": float(totals[1])}}

    def pages(self):
        slug = "pages"
        password = secrets.token_urlsafe(16)
        _, fixture = self.tenant(slug, 1, showcase_password=password)
        lines = open(fixture).read().split("\n")
        email, token, *children = lines[0].split()[1:]
        activity = next(line.split()[1] for line in lines if line.startswith("showcase-activity "))
        host = f"{slug}.localhost"
        cookie = self.session_cookie(host, email, password)
        month = datetime.date.today().strftime("%Y-%m")
        choices = "&".join(f"choix={child}-{activity}" for child in children)
        targets = {"floor": ("/static/marelle.css", {}),
                   "login_page": ("/login", {}),
                   "calendar_page": (f"/mon-calendrier?mois={month}", {"BENCH_COOKIE": cookie}),
                   "calendar_api": (f"/api/v1/children/{children[0]}/calendar?month={month}", {"BENCH_TOKEN": token}),
                   "planning_page": (f"/inscription/planning?{choices}&mois={month}", {"BENCH_COOKIE": cookie})}
        results = {}
        for name, (path, extra) in targets.items():
            headers = {"Cookie": cookie} if "BENCH_COOKIE" in extra else {"Authorization": "Bearer " + token} if extra else {}
            response, body = self.request("GET", path, host, headers=headers)
            if response.status != 200:
                raise RuntimeError(f"{path} answered {response.status} before the load")
            self.checkpoint()
            results[name] = self.wrk("get.lua", 64, self.args.page_seconds, {"BENCH_HOST": host, "BENCH_PATH": path, **extra})
            results[name]["bytes"] = len(body)
        return results

    def storm(self):
        """The rush twice on twin associations made now, alone then with the login storm:
        the baseline is measured next to the figure it is compared with."""
        password = secrets.token_urlsafe(16)
        runs = {}
        for slug, storm in (("calme", False), ("orage", True)):
            schema, fixture = self.tenant(slug, self.args.families, showcase_password=password)
            email = open(fixture).readline().split()[1]
            host = f"{slug}.localhost"
            self.checkpoint()
            logins = self.wrk("login.lua", 32, self.args.seconds, {"BENCH_HOST": host, "BENCH_EMAIL": email, "BENCH_PASSWORD": password},
                              background=True) if storm else None
            http = self.wrk("rush.lua", 64, self.args.seconds, {"BENCH_HOST": host, "BENCH_FIXTURE": fixture})
            ok = sum(n for s, n in http["statuses"].items() if s.startswith("2"))
            runs[slug] = {"http": http, "checks": self.invariant(schema, ok), "logins": self.wrk_result(logins) if logins else None}
        alone, storm = runs["calme"], runs["orage"]
        return {"alone": alone["http"], "http": storm["http"], "logins": storm["logins"],
                "checks": storm["checks"],
                "alone_ok": alone["checks"]["ok"], "p99_ratio": storm["http"]["p99_us"] / max(1, alone["http"]["p99_us"])}

    def checkpoint(self):
        """Dirty pages written out before each measured run, so that no run pays for the
        previous one's checkpoint."""
        self.sql("CHECKPOINT", admin=True)


class RSSSampler(threading.Thread):
    """The server's resident memory, read from /proc every 200 ms for the whole run."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.maximum, self.stopping = pid, 0, threading.Event()

    def field(self, name):
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                if line.startswith(name + ":"):
                    return int(line.split()[1])
        return 0

    def current(self):
        return self.field("VmRSS")

    def high_water_mark(self):
        return self.field("VmHWM")

    def run(self):
        while not self.stopping.wait(0.2):
            self.maximum = max(self.maximum, self.current())

    def stop(self):
        self.stopping.set()
        self.join()


def machine():
    model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    memory = next((int(line.split()[1]) // 1024 for line in open("/proc/meminfo") if line.startswith("MemTotal")), 0)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=HERE).stdout.strip()
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("\n")[0]
    return {"cpus": os.cpu_count(), "model": model, "memory_mib": memory, "commit": commit, "wrk": wrk_version,
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--families", type=int, default=2000)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--page-seconds", type=int, default=10)
    parser.add_argument("--only", choices=["pages"], default=None)
    args = parser.parse_args()
    report = Bench(args).run()
    with open(os.path.join(args.workdir, "report.json"), "w") as f:
        json.dump(report, f, indent=1)
    write_report(report, args.out)
    print(f"report: {args.out}")
    storm = report["storm"]
    failed = [c for c, r in report["rush"].items() if not r["checks"]["ok"]] + ([] if storm is None or (storm["checks"]["ok"] and storm["alone_ok"]) else ["storm"])
    if failed:
        print(f"invariant broken in: {failed}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
