#!/usr/bin/env python3
"""Load check for issue 15, item 2: a burst of sign-ins against one account.

Point it at a freshly started server with the demo workspace (`cosell serve` on a new file database,
release build, `COSELL_TRUST_FORWARDED_FOR=1` for the second burst: failed sign-ins are remembered
for 15 minutes). While a reader (Halyard Security's admin, another company) keeps asking
`GET /api/v1/me`, it sends two bursts of BURST concurrent `POST /api/v1/sessions`:

1. one account: a wrong password for Quarry Data's admin, all from one address; then the right
   password. At most the account's limit (5) may be checked; once five are counted, the right
   password must wait too.
2. spread: a different unknown e-mail from a different `X-Forwarded-For` address each, so that every
   attempt passes the limits and needs a bcrypt check (what starved the server before): the hasher
   checks a few, refuses the rest at once with 503 and `Retry-After`.

It prints each burst's answers by status and the reader's latencies, and exits 1 when any answer was
a 500, when more than the limit were checked, when the right password got in after five counted
failures, or when the reader saw anything but 200.

    python3 scripts/load_signin.py http://127.0.0.1:8080 [--burst 100]

Standard library only; a benchmark, not a test: its figures go in BENCHMARKS.md.
"""

import argparse
import collections
import json
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request

EMAIL = "maya.okafor@quarrydata.example"  # Quarry Data's admin
PASSWORD = "cosell-demo-password"
HOST_TOKEN = "cosell_demo_host_admin"
OTHER_TOKEN = "cosell_demo_partner_admin"  # Halyard Security's admin: another company
ACCOUNT_LIMIT = 5


def call(
    base: str, method: str, path: str, body: dict | None = None, token: str | None = None, forwarded: str = ""
):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method)
    if forwarded:
        req.add_header("X-Forwarded-For", forwarded)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return r.status, r.read(), r.headers
    except urllib.error.HTTPError as e:
        return e.code, e.read(), e.headers


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(p * (len(s) - 1) + 0.5))] if s else float("nan")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("base")
    ap.add_argument("--burst", type=int, default=100)
    args = ap.parse_args()

    status, _, _ = call(args.base, "GET", "/api/v1/me", token=OTHER_TOKEN)
    if status != 200:
        sys.exit(f"the demo tokens do not work here ({status}): start `cosell serve` with the demo")

    stop = threading.Event()
    reads: list[tuple[float, int]] = []

    def reader() -> None:
        while not stop.is_set():
            t = time.perf_counter()
            s, _, _ = call(args.base, "GET", "/api/v1/me", token=OTHER_TOKEN)
            reads.append(((time.perf_counter() - t) * 1000, s))
            time.sleep(0.02)

    rt = threading.Thread(target=reader, daemon=True)
    rt.start()
    time.sleep(0.5)

    def burst(spread: bool) -> tuple[list[tuple[int, str, float]], float]:
        answers: list[tuple[int, str, float]] = []
        lock = threading.Lock()
        go = threading.Barrier(args.burst)

        def attempt(i: int) -> None:
            email = f"nobody{i}@unknown-{int(started)}.example" if spread else EMAIL
            forwarded = f"198.51.{i // 250}.{i % 250 + 1}" if spread else ""
            go.wait()
            t = time.perf_counter()
            s, _, headers = call(
                args.base, "POST", "/api/v1/sessions", {"email": email, "password": "not-the-password"},
                forwarded=forwarded,
            )
            with lock:
                answers.append((s, headers.get("Retry-After") or "", (time.perf_counter() - t) * 1000))

        started = time.time()
        t0 = time.perf_counter()
        threads = [threading.Thread(target=attempt, args=(i,)) for i in range(args.burst)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return answers, time.perf_counter() - t0

    def report(name: str, answers: list[tuple[int, str, float]], took: float) -> collections.Counter:
        by_status = collections.Counter(s for s, _, _ in answers)
        retry = sum(1 for s, r, _ in answers if s == 503 and r)
        slowest = max(m for _, _, m in answers)
        print(f"{name}: {args.burst} wrong passwords at once, all answered in {took:.2f} s (slowest {slowest:.0f} ms)")
        print("  answers:", ", ".join(f"{n} x {s}" for s, n in sorted(by_status.items())), f"(503 with Retry-After: {retry})")
        return by_status

    def failures_audited() -> int:
        status, body, _ = call(args.base, "GET", "/api/v1/audit?limit=500", token=HOST_TOKEN)
        items = json.loads(body).get("items", []) if status == 200 else []
        return sum(1 for e in items if e.get("kind") == "sign_in_failed")

    answers, took = burst(spread=False)
    one = report("one account", answers, took)
    checked = failures_audited()
    right, _, _ = call(args.base, "POST", "/api/v1/sessions", {"email": EMAIL, "password": PASSWORD})
    print(f"  checked and counted as failures (audit sign_in_failed): {checked}; the account's limit: {ACCOUNT_LIMIT}")
    print(f"  then the right password: {right}")
    answers, took = burst(spread=True)
    spread = report("spread over addresses and unknown e-mails", answers, took)
    time.sleep(0.3)
    stop.set()
    rt.join()

    ms = [m for m, _ in reads]
    bad = [s for _, s in reads if s != 200]
    print(
        f"another company's GET /api/v1/me meanwhile: {len(ms)} requests, p50 {statistics.median(ms):.1f} ms, "
        f"p95 {pct(ms, 0.95):.1f} ms, max {max(ms):.1f} ms, not 200: {len(bad)}"
    )
    failed = (
        500 in one or 500 in spread or checked > ACCOUNT_LIMIT or (checked == ACCOUNT_LIMIT and right == 201) or bad
    )
    print("MISSES" if failed else "meets", "the bar: no 500, at most the limit checked, the reader always answered")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
