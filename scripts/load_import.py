#!/usr/bin/env python3
"""Load check for issue 15, item 3 and issue 16: a large account import, and other requests meanwhile.

Point it at a running server with the demo workspace (`cosell serve` on a file database, release
build), or let it start one (`--serve .build-release/release/cosell`, on a fresh SQLite file, or on
PostgreSQL with `--postgres URL` of an empty database). It writes a CSV of ROWS accounts, uploads it
as the demo host's admin (Quarry Data), and while the job runs keeps READERS clients busy with GETs:
half poll the import (as the importer's page does), half list deals as another company's admin
(Halyard Security). It prints, per phase of the job (upload and parse, writing, matching), the count,
p50, p95 and max of the GET latencies and every answer that was not 200; then the totals, and exits 1
when the p95 of all GETs during the import is over the target or the job took longer than
`--target-s`. With `--serve` it also prints the server's own timing of each step of the import (its
log) and its peak resident memory (VmHWM).

    python3 scripts/load_import.py http://127.0.0.1:8080 [--rows 1000000] [--readers 4] [--target-ms 200]
    python3 scripts/load_import.py --serve .build-release/release/cosell [--postgres URL] [--port 8098]

Only the Python standard library is used. Nothing is asserted on a clock inside the test suite:
this is a benchmark, its figures go in BENCHMARKS.md.
"""

import argparse
import json
import os
import re
import subprocess
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

HOST_TOKEN = "cosell_demo_host_admin"  # Maya Okafor, admin of Quarry Data (the importer)
OTHER_TOKEN = "cosell_demo_partner_admin"  # an admin of Halyard Security, the other company
HOST_ORG = "00000000-0000-4000-8000-000000000001"

INDUSTRIES = ["Software", "Financial services", "Retail", "Healthcare", "Manufacturing", "Logistics"]
POPULATIONS = ["customer", "prospect", "open_opportunity"]


def write_csv(path: str, rows: int, again: bool = False) -> int:
    """The accounts; `again`: next week's export of them, every tenth renamed, the last 1% gone
    (retired by a full import) and as many new ones."""
    with open(path, "w", encoding="utf-8") as f:
        f.write("account_id,name,website,country,industry,employees,status\n")
        kept = rows - rows // 100 if again else rows
        for i in list(range(kept)) + (list(range(rows, rows + rows // 100)) if again else []):
            renamed = " (renamed)" if again and i % 10 == 0 else ""
            f.write(
                f"L{i:07d},Loadcheck Company {i:07d}{renamed},loadcheck{i:07d}.example,US,"
                f"{INDUSTRIES[i % len(INDUSTRIES)]},{(i * 37) % 20000 + 10},{POPULATIONS[i % 3]}\n"
            )
    return os.path.getsize(path)


def request(base: str, path: str, token: str, method: str = "GET", data: bytes | None = None, ctype: str = ""):
    req = urllib.request.Request(base + path, data=data, method=method)
    req.add_header("Authorization", "Bearer " + token)
    if ctype:
        req.add_header("Content-Type", ctype)
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


class Log:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.samples: list[tuple[str, str, float, int]] = []  # (phase, kind, ms, status)
        self.phase = "upload and parse"
        self.done = threading.Event()

    def add(self, kind: str, ms: float, status: int) -> None:
        with self.lock:
            self.samples.append((self.phase, kind, ms, status))


def reader(base: str, log: Log, kind: str, job: dict) -> None:
    while not log.done.is_set():
        if kind == "import status":
            jid = job.get("id")
            if jid is None:
                time.sleep(0.05)
                continue
            path, token = f"/api/v1/account-imports/{jid}", HOST_TOKEN
        else:
            path, token = "/api/v1/deals?limit=20", OTHER_TOKEN
        t = time.perf_counter()
        status, _ = request(base, path, token)
        log.add(kind, (time.perf_counter() - t) * 1000, status)
        time.sleep(0.05)  # about 15 requests a second per reader, as a few people's pages would


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(p * (len(s) - 1) + 0.5))] if s else float("nan")


class Server:
    """A `cosell serve` this script starts on a fresh database, its log in a file, and stops."""

    def __init__(self, binary: str, port: int, postgres: str | None) -> None:
        self.dir = tempfile.mkdtemp(prefix="cosell-load-server-")
        self.log_path = os.path.join(self.dir, "server.log")
        env = dict(os.environ)
        env.pop("DATABASE_URL", None)
        if postgres:
            env["DATABASE_URL"] = postgres
        self.kind = "PostgreSQL" if postgres else "SQLite"
        self.base = f"http://127.0.0.1:{port}"
        args = [binary, "serve", "--port", str(port), "--db", os.path.join(self.dir, "load.sqlite")]
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(args, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 120
        while time.time() < deadline:
            if self.proc.poll() is not None:
                sys.exit(f"the server stopped at once: see {self.log_path}")
            try:
                if request(self.base, "/api/v1/me", HOST_TOKEN)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        self.stop()
        sys.exit(f"the server did not answer within 120 s: see {self.log_path}")

    def peak_rss_mb(self) -> float | None:
        try:
            with open(f"/proc/{self.proc.pid}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) / 1024
        except OSError:
            return None
        return None

    def reset_peak_rss(self) -> None:
        """Starts the next peak from the current resident memory (Linux: clear_refs 5)."""
        try:
            with open(f"/proc/{self.proc.pid}/clear_refs", "w") as f:
                f.write("5")
        except OSError as e:
            print(f"the peak RSS could not be reset ({e}): the next figure includes the first import")

    def steps(self, job_id: str) -> list[tuple[str, float]]:
        """The server's log lines timing the steps of import `job_id` and of the matching after it."""
        self.log.flush()
        found = []
        pattern = re.compile(r"(import|overlaps of partnership) [0-9A-Fa-f-]+: (.*) in ([0-9.e-]+) seconds")
        with open(self.log_path) as f:
            ours = False
            for line in f:
                ours = ours or job_id.lower() in line.lower()  # the demo's own imports come first
                m = pattern.search(line) if ours else None
                if m:
                    found.append((("" if m.group(1) == "import" else "matching: ") + m.group(2), float(m.group(3))))
        return found

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("base", nargs="?", help="a running server's address (without --serve)")
    ap.add_argument("--serve", metavar="COSELL", help="start this cosell binary on a fresh database")
    ap.add_argument("--postgres", metavar="URL", help="with --serve: an empty PostgreSQL database instead of SQLite")
    ap.add_argument("--port", type=int, default=8098)
    ap.add_argument("--target-s", type=float, default=20, help="the import's target, seconds")
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--readers", type=int, default=4)
    ap.add_argument("--target-ms", type=float, default=200)
    ap.add_argument(
        "--again", action="store_true",
        help="then import next week's export of the same accounts (10%% renamed, 1%% gone, 1%% new), measured the same way",
    )
    args = ap.parse_args()
    server = None
    if args.serve:
        server = Server(args.serve, args.port, args.postgres)
        args.base = server.base
        print(f"server: {args.serve} on {server.kind}, log {server.log_path}")
    elif not args.base:
        ap.error("give a server's address, or --serve")
    try:
        run(args, server)
    finally:
        if server:
            server.stop()


def run(args, server: "Server | None") -> None:
    status, body = request(args.base, "/api/v1/me", HOST_TOKEN)
    if status != 200:
        sys.exit(f"the demo host admin's token does not work here ({status}): start `cosell serve` with the demo")
    met = measure(args, server, again=False)
    if args.again:
        if server:
            server.reset_peak_rss()
        print("\n--- next week's export of the same accounts ---")
        met = measure(args, server, again=True) and met
    sys.exit(0 if met else 1)


def measure(args, server: "Server | None", again: bool) -> bool:
    path = os.path.join(tempfile.mkdtemp(prefix="cosell-load-"), "loadcheck.csv")
    size = write_csv(path, args.rows, again=again)
    print(f"file: {args.rows:,} rows{' (next week)' if again else ''}, {size / 1e6:.1f} MB")
    with open(path, "rb") as f:
        data = f.read()

    log = Log()
    job: dict = {}
    kinds = ["import status", "deals of another company"]
    threads = [
        threading.Thread(target=reader, args=(args.base, log, kinds[i % 2], job), daemon=True)
        for i in range(args.readers)
    ]
    for t in threads:
        t.start()
    time.sleep(1.0)  # a second of the quiet server first
    with log.lock:
        quiet = [ms for (_, _, ms, _) in log.samples]
        log.samples.clear()

    started = time.perf_counter()
    status, body = request(
        args.base, f"/api/v1/organizations/{HOST_ORG}/account-imports?file_name=loadcheck.csv&confirm_retirements=true", HOST_TOKEN,
        method="POST", data=data, ctype="text/csv",
    )
    accepted = time.perf_counter() - started
    if status != 202:
        log.done.set()
        sys.exit(f"the upload answered {status}: {body[:300]!r}")
    answer = json.loads(body)["job"]
    job["id"] = answer["id"]
    print(f"upload accepted after {accepted:.1f} s (job {answer['id']})")

    result = {}
    phase_started = {"upload and parse": 0.0}
    while True:
        status, body = request(args.base, f"/api/v1/account-imports/{job['id']}", HOST_TOKEN)
        if status == 200:
            view = json.loads(body)
            result = view["job"]
            if result.get("status") != "running":
                break
            pct_done = view.get("percent", 0)
            with log.lock:
                # The page's percentage: 0-64 while the accounts are written, 80 while matching.
                log.phase = "writing accounts" if pct_done < 80 else "matching partners"
                phase_started.setdefault(log.phase, time.perf_counter() - started)
        time.sleep(0.25)
    took = time.perf_counter() - started
    log.done.set()
    for t in threads:
        t.join(timeout=130)

    print(
        f"job {result.get('status')} after {took:.1f} s: added {result.get('added')}, "
        f"updated {result.get('updated')}, retired {result.get('retired')}"
    )
    if result.get("message"):
        print("message:", result["message"])
    names = list(phase_started)
    ends = [phase_started[n] for n in names[1:]] + [took]
    print("phases as the import's page shows them: " + ", ".join(
        f"{n} {e - phase_started[n]:.1f} s" for n, e in zip(names, ends)))
    peak = None
    if server:
        for step, seconds in server.steps(job["id"]):
            print(f"  server: {step}: {seconds:.2f} s")
        peak = server.peak_rss_mb()
        print(f"server's peak RSS: {peak:,.0f} MB" if peak else "server's peak RSS: not read")
    print(f"\nquiet server before the import: {len(quiet)} GETs, p95 {pct(quiet, 0.95):.1f} ms")
    print(f"{'phase':22} {'kind':26} {'GETs':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  not 200")
    samples = log.samples
    for phase in ["upload and parse", "writing accounts", "matching partners"]:
        for kind in kinds:
            ms = [m for (p, k, m, _) in samples if p == phase and k == kind]
            bad = [s for (p, k, _, s) in samples if p == phase and k == kind and s != 200]
            if ms:
                print(
                    f"{phase:22} {kind:26} {len(ms):>6} {statistics.median(ms):>8.1f} {pct(ms, 0.95):>8.1f} "
                    f"{max(ms):>8.1f}  {len(bad)} {sorted(set(bad)) if bad else ''}"
                )
    every = [m for (_, _, m, _) in samples]
    bad = [s for (_, _, _, s) in samples if s != 200]
    if every:
        p95 = pct(every, 0.95)
        print(
            f"\nall GETs during the import: {len(every)}, p50 {statistics.median(every):.1f} ms, p95 {p95:.1f} ms, "
            f"max {max(every):.1f} ms, not 200: {len(bad)}"
        )
    else:
        p95 = None
        print("\nno GETs during the import (--readers 0): their latency was not measured")
    met = (p95 is None or p95 <= args.target_ms) and not bad
    met = met and result.get("status") == "succeeded" and took <= args.target_s
    if peak is not None:
        met = met and peak < 1024
    verdict = "meets" if met else "MISSES"
    print(
        f"{verdict} the target: the import succeeded within {args.target_s:.0f} s (took {took:.1f} s), "
        + (f"p95 under {args.target_ms:.0f} ms, every GET answered" if p95 is not None else "no GETs measured")
        + (f", server under 1 GB ({peak:,.0f} MB)" if peak is not None else "")
    )
    return met


if __name__ == "__main__":
    main()
