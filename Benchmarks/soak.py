"""`make soak`: mixed traffic for a long while, with uploads and downloads of large documents,
and the server's memory (RSS) over time, during the load and after it.

The question it answers: does the server give memory back once the load is over, or does it
grow in steps and stay there? The report (Benchmarks/results/soak-<date>.md) shows RSS every
SOAK_SAMPLE seconds, its start, peak and end, and the end as a ratio to the start. Not in CI:
30 minutes by default (SOAK_MINUTES). Run by Deploy/dev/soak.sh. Standard library only.
"""
import argparse
import datetime
import http.client
import json
import os
import random
import threading
import time

from rush import Bench, machine

DEMO_PARENT = ("famille.martin@exemple.fr", "vive les vacances de printemps")
DEMO_DIRECTION = ("direction@lespetitsmalins.fr", "un soleil sur la marelle")
HOST = "demo.localhost"
BOUNDARY = "----MarelleSoakBoundary"


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class Traffic:
    """Workers that repeat a mix of requests until `stop` is set; counts answers by kind."""

    def __init__(self, port, parent_token, staff_token, upload_every, child_id):
        self.port = port
        self.child_id = child_id
        self.parent_token = parent_token
        self.staff_token = staff_token
        self.upload_every = upload_every
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.counts = {}
        self.failures = {}
        self.document_ids = []
        self.uploaded_bytes = 0

    def call(self, kind, method, path, body=None, headers=None, token=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        all_headers = {"Host": HOST, **(headers or {})}
        if token:
            all_headers["Authorization"] = f"Bearer {token}"
        conn.request(method, path, body=body, headers=all_headers)
        response = conn.getresponse()
        data = response.read()
        conn.close()
        with self.lock:
            self.counts[kind] = self.counts.get(kind, 0) + 1
            if response.status >= 400:
                key = f"{kind} {response.status}"
                self.failures[key] = self.failures.get(key, 0) + 1
        return response.status, data

    def upload(self):
        size = random.randint(1, 10) * 1_000_000 - 200
        payload = b"%PDF-1.4\n% soak\n" + os.urandom(size)
        body = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nother\r\n"
                f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"document\"; filename=\"soak.pdf\"\r\n"
                "Content-Type: application/pdf\r\n\r\n").encode() + payload + f"\r\n--{BOUNDARY}--\r\n".encode()
        status, data = self.call("upload", "POST", "/api/v1/family/documents", body,
                                 {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}, self.parent_token)
        if status == 201:
            with self.lock:
                self.document_ids.append(json.loads(data)["id"])
                self.uploaded_bytes += len(payload)

    def download(self):
        with self.lock:
            ids = list(self.document_ids)
        if ids:
            self.call("download", "GET", f"/api/v1/documents/{random.choice(ids)}/content", token=self.staff_token)

    def pages(self):
        today = datetime.date.today()
        self.call("calendar", "GET", f"/api/v1/children/{self.child_id}/calendar?month={today:%Y-%m}",
                  token=self.parent_token)
        self.call("family", "GET", "/api/v1/family", token=self.parent_token)
        self.call("documents", "GET", "/api/v1/family/documents", token=self.parent_token)
        self.call("home", "GET", "/")

    def uploader(self):
        while not self.stop.wait(self.upload_every):
            self.upload()
            self.download()

    def reader(self):
        while not self.stop.is_set():
            self.pages()
            if random.random() < 0.2:
                self.download()

    def start(self, readers):
        threads = [threading.Thread(target=self.uploader, daemon=True) for _ in range(2)]
        threads += [threading.Thread(target=self.reader, daemon=True) for _ in range(readers)]
        for thread in threads:
            thread.start()
        return threads


def token(bench, email, password):
    response, data = bench.request("POST", "/api/v1/auth/login", HOST, json.dumps({"email": email, "password": password}),
                                   {"Content-Type": "application/json"})
    assert response.status in (200, 201), (response.status, data)
    return json.loads(data)["token"]


def chart(samples, width=50):
    """One line per sample: minute, RSS in MiB and a bar."""
    top = max(kib for _, kib, _ in samples)
    lines = []
    for seconds, kib, phase in samples:
        bar = "#" * max(1, round(width * kib / top))
        lines.append(f"{seconds / 60:6.1f} min  {kib / 1024:7.1f} MiB  {phase:<5} {bar}")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--idle-minutes", type=float, default=3)
    parser.add_argument("--sample", type=float, default=15)
    parser.add_argument("--upload-every", type=float, default=4)
    parser.add_argument("--readers", type=int, default=6)
    parser.add_argument("--build", default="release")
    args = parser.parse_args()
    bench = Bench(args)
    pid = int(open(os.path.join(args.workdir, "server.pid")).read())
    parent_token = token(bench, *DEMO_PARENT)
    staff_token = token(bench, *DEMO_DIRECTION)
    response, data = bench.request("GET", "/api/v1/family", HOST, headers={"Authorization": f"Bearer {parent_token}"})
    child_id = json.loads(data)["children"][0]["id"]
    traffic = Traffic(bench.port, parent_token, staff_token, args.upload_every, child_id)
    began = time.monotonic()
    samples = [(0.0, rss_kib(pid), "start")]
    threads = traffic.start(args.readers)
    load_end = began + args.minutes * 60
    end = load_end + args.idle_minutes * 60
    # Sampling memory at a fixed pace is what this measures: the waits are the clock, not
    # waiting for work to finish.
    while time.monotonic() < end:
        time.sleep(args.sample)
        now = time.monotonic()
        if now >= load_end and not traffic.stop.is_set():
            traffic.stop.set()
            for thread in threads:
                thread.join()
            samples.append((now - began, rss_kib(pid), "end"))
            continue
        samples.append((now - began, rss_kib(pid), "load" if now < load_end else "idle"))
    start_kib = samples[0][1]
    peak_kib = max(kib for _, kib, _ in samples)
    end_kib = samples[-1][1]
    total = sum(traffic.counts.values())
    report = f"""# Soak: {args.minutes:g} minutes of mixed traffic with uploads, then {args.idle_minutes:g} idle

Machine: {", ".join(f"{k} {v}" for k, v in machine().items())}.

Command: `make soak` (SOAK_MINUTES={args.minutes:g}, {args.build} build): {args.readers} readers (the
calendar, the family file, the documents list, the home page, a download one time in five) and two
uploaders (a PDF of 1 to 10 MB every {args.upload_every:g} s each, then a download), all against the
demo association; RSS of `marelle serve` from /proc every {args.sample:g} s.

| | RSS |
|---|---|
| start | {start_kib / 1024:.1f} MiB |
| peak | {peak_kib / 1024:.1f} MiB |
| end (after {args.idle_minutes:g} idle minutes) | {end_kib / 1024:.1f} MiB |
| end / start | {end_kib / start_kib:.2f} |
| peak / start | {peak_kib / start_kib:.2f} |

Requests: {total} ({", ".join(f"{k} {v}" for k, v in sorted(traffic.counts.items()))}); uploaded
{traffic.uploaded_bytes / 1e6:.0f} MB in {len(traffic.document_ids)} documents. Answers of 4xx/5xx:
{", ".join(f"{k}: {v}" for k, v in sorted(traffic.failures.items())) or "none"}.

```
{chart(samples)}
```
"""
    with open(args.out, "w") as out:
        out.write(report)
    print(report)
    if any(key.split()[-1].startswith("5") for key in traffic.failures):
        raise SystemExit("the server answered 5xx during the soak")


if __name__ == "__main__":
    main()
