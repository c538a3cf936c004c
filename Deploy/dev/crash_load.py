"""The load and the crashes of `make crash-test` (standard library only).

Each family adds the fixture's dates to its basket and submits it with an Idempotency-Key,
retrying both until it gets an answer: while the server is down or PostgreSQL restarts,
requests fail and are sent again, as a phone would. Meanwhile the server is killed with
SIGKILL and restarted, then PostgreSQL is stopped in immediate mode and restarted. Every
answer that was a 2xx is recorded; afterwards the database must hold all of them.
"""
import argparse
import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid

HOST = "crash.localhost"


def request(port, method, path, token, body, key=None, timeout=10):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Host": HOST, "Authorization": "Bearer " + token, "Content-Type": "application/json"}
    if key:
        headers["Idempotency-Key"] = key
    try:
        conn.request(method, path, body=json.dumps(body), headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


class Server:
    def __init__(self, binary, workdir):
        self.binary, self.workdir, self.process = binary, workdir, None

    def start(self):
        log = open(os.path.join(self.workdir, "server.log"), "ab")
        self.process = subprocess.Popen([self.binary, "serve"], stdout=log, stderr=log)
        with open(os.path.join(self.workdir, "server.pid"), "w") as f:
            f.write(str(self.process.pid))

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()


def main():
    parser = argparse.ArgumentParser()
    for name in ("--bin", "--fixture", "--workdir", "--pg-cluster", "--pg-dir"):
        parser.add_argument(name, required=True)
    args = parser.parse_args()
    port = int(os.environ["MARELLE_HTTP_PORT"])
    lines = open(args.fixture).read().split("\n")
    activity = int(lines[0].split()[1])
    dates = lines[1].split()[1:]
    families = [line.split() for line in lines[2:] if line.strip()]

    server = Server(args.bin, args.workdir)
    server.start()
    accepted = {}          # token -> answer of the 2xx submission
    errors = {"5xx": 0, "refused connections": 0, "other": 0}
    lock = threading.Lock()
    deadline = time.time() + 240

    def family_worker(queue):
        while queue:
            with lock:
                if not queue:
                    return
                token, child = queue.pop()
            key = str(uuid.uuid4())
            added = False
            while time.time() < deadline:
                try:
                    if not added:
                        status, _ = request(port, "POST", "/api/v1/basket/lines", token,
                                            {"childId": int(child), "activityId": activity, "days": dates})
                        if status == 201:
                            added = True
                        elif status >= 500:
                            with lock:
                                errors["5xx"] += 1
                        continue
                    status, body = request(port, "POST", "/api/v1/basket/submit", token, {}, key)
                    if 200 <= status < 300:
                        with lock:
                            accepted[token] = json.loads(body)
                        break
                    with lock:
                        errors["5xx" if status >= 500 else "other"] += 1
                    if status < 500:
                        print("refused submission:", status, body[:200], file=sys.stderr)
                        break
                except (ConnectionError, OSError, http.client.HTTPException):
                    with lock:
                        errors["refused connections"] += 1
                    time.sleep(0.05)

    queue = list(families)
    wait_for_server(port, families[0][0])
    workers = [threading.Thread(target=family_worker, args=(queue,)) for _ in range(16)]
    for w in workers:
        w.start()

    def progress():
        with lock:
            return len(accepted)

    def wait_until(share):
        while progress() < len(families) * share and any(w.is_alive() for w in workers):
            time.sleep(0.01)
        return progress()

    at_kill = wait_until(0.25)
    server.kill()                      # the process dies with requests in flight
    time.sleep(0.3)
    server.start()
    at_crash = wait_until(0.6)
    subprocess.run([args.pg_cluster, "crash", args.pg_dir], check=True)   # a power cut
    time.sleep(0.3)
    subprocess.run([args.pg_cluster, "start", args.pg_dir, "marelle_crash"], check=True, stdout=subprocess.DEVNULL)
    for w in workers:
        w.join()
    server.kill()
    print(f"server killed after {at_kill} accepted submissions, PostgreSQL crashed after {at_crash}")

    print(f"{len(accepted)} of {len(families)} families got their submission accepted; retried failures: {errors}")
    problems = check(args, accepted, activity, dates)
    if at_crash >= len(families):
        problems.append("the load ended before the crashes: raise CRASH_FAMILIES")
    if len(accepted) != len(families):
        problems.append(f"{len(families) - len(accepted)} families never got an answer")
    if problems:
        print("CRASH TEST FAILED:\n" + "\n".join(problems), file=sys.stderr)
        sys.exit(1)
    print("crash test passed: every accepted submission is stored, no date over capacity, one mail per submission")


def wait_for_server(port, token):
    for _ in range(300):
        try:
            request(port, "GET", "/api/v1/basket", token, None, timeout=2)
            return
        except (ConnectionError, OSError):
            time.sleep(0.1)
    raise SystemExit("the server did not start")


def psql(args, sql):
    conninfo = subprocess.run([args.pg_cluster, "conninfo", args.pg_dir, "marelle_crash"], check=True,
                              capture_output=True, text=True).stdout.strip()
    out = subprocess.run(["psql", conninfo, "-X", "-tA", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True,
                         capture_output=True, text=True).stdout
    return [line for line in out.split("\n") if line]


def check(args, accepted, activity, dates):
    problems = []
    schema = psql(args, "SELECT schema_name FROM marelle.tenants WHERE slug = 'crash'")[0]
    ids = sorted(answer["submissionId"] for answer in accepted.values())
    booking_ids = sorted(line["bookingId"] for answer in accepted.values() for line in answer["lines"] if line.get("bookingId"))
    id_list = ",".join(map(str, ids)) or "0"
    stored = psql(args, f'SELECT count(*) FROM "{schema}".submissions WHERE id IN ({id_list})')[0]
    if int(stored) != len(ids):
        problems.append(f"{len(ids) - int(stored)} accepted submissions are missing")
    booking_list = ",".join(map(str, booking_ids)) or "0"
    found = psql(args, f'SELECT count(*) FROM "{schema}".bookings WHERE id IN ({booking_list})')[0]
    if int(found) != len(booking_ids):
        problems.append(f"{len(booking_ids) - int(found)} accepted booking lines are missing")
    for row in psql(args, f"""
        SELECT d.day, d.held, a.capacity,
               (SELECT count(*) FROM "{schema}".bookings b WHERE b.activity_id = d.activity_id AND b.day = d.day
                  AND b.status IN ('requested', 'validated', 'cancel_requested'))
        FROM "{schema}".activity_days d JOIN "{schema}".activities a ON a.id = d.activity_id WHERE d.activity_id = {activity}"""):
        day, held, capacity, holding = row.split("|")
        if int(held) > int(capacity) or int(held) != int(holding):
            problems.append(f"{day}: held {held}, capacity {capacity}, holding lines {holding}")
    mails = psql(args, f"""SELECT count(*), count(DISTINCT body_text) FROM "{schema}".outbox WHERE kind = 'request-received'""")[0].split("|")
    submissions = psql(args, f'SELECT count(*) FROM "{schema}".submissions WHERE response IS NOT NULL')[0]
    if int(mails[0]) != int(submissions) or int(mails[0]) != int(mails[1]):
        problems.append(f"{mails[0]} request mails ({mails[1]} distinct) for {submissions} submissions")
    return problems


if __name__ == "__main__":
    main()
