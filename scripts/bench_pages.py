#!/usr/bin/env python3
"""Times cosell's pages on a running server: signs in, requests each page N times and reports the
server's own time per page (the Server-Timing header) and the time seen by the client.

    python3 scripts/bench_pages.py http://127.0.0.1:8080 [--runs 30] [--email person@example]
"""

import argparse
import re
import statistics
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("base")
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--email", default="maya.okafor@quarrydata.example")
    ap.add_argument("--password", default="cosell-demo-password")
    args = ap.parse_args()
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(args.base + "/sign-in").read().decode()
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"csrf_token": csrf, "email": args.email, "password": args.password, "next": "/"})
    opener.open(args.base + "/sign-in", data=form.encode()).read()

    board = opener.open(args.base + "/deals?status=all").read().decode()
    deals = list(dict.fromkeys(re.findall(r'href="(/deals/[0-9A-F-]{36})"', board)))
    parts = opener.open(args.base + "/partnerships").read().decode()
    partnership = re.search(r'href="(/partnerships/[0-9A-F-]{36})"', parts).group(1)
    paths = ["/", "/deals", "/deals?status=all", "/partnerships", partnership, "/import", "/playbooks", "/audit"]
    # The pages of the reports, the weekly review and the lessons (issue 6's pages in the web app).
    paths += [partnership + "/reports", partnership + "/review", "/reports/revenue", "/lessons", "/exchange-rates"]
    paths += deals[:3] + deals[-2:]

    print(f"{'page':58} {'server median':>14} {'server p95':>11} {'server max':>11} {'client median':>14}")
    worst = 0.0
    for path in paths:
        try:
            opener.open(args.base + path).read()
        except urllib.error.HTTPError as e:
            # A page this person may not open (a seller at /import or /audit): said, not timed.
            print(f"{path:58} {'answers ' + str(e.code) + ', not timed':>40}")
            continue
        server, client = [], []
        for _ in range(args.runs):
            t = time.perf_counter()
            with opener.open(args.base + path) as r:
                r.read()
                timing = r.headers.get("Server-Timing", "")
            client.append((time.perf_counter() - t) * 1000)
            m = re.search(r"dur=([0-9.]+)", timing)
            server.append(float(m.group(1)) if m else float("nan"))
        server.sort()
        p95 = server[int(0.95 * (len(server) - 1))]
        worst = max(worst, p95)
        print(f"{path:58} {statistics.median(server):11.1f} ms {p95:8.1f} ms {server[-1]:8.1f} ms"
              f" {statistics.median(client):11.1f} ms")
    print(f"slowest page at p95: {worst:.1f} ms")


if __name__ == "__main__":
    main()
