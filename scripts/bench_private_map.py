#!/usr/bin/env python3
"""Private mapping end to end on loopback (issue 18): a release `cosell serve` holding Halyard Security's
list (DIR/host.csv, imported with `cosell import`), and `cosell private-map DIR/partner.csv` run as Quarry
Data's admin against it. Prints the command's own timings, the wall time, both processes' peak memory,
and whether the overlap it found is the exact-key overlap that `cosell-mapbench private DIR` computed
directly (DIR/private-ids.txt).

    swift build -c release --product cosell && swift build -c release --product cosell-mapbench
    .build/release/cosell-mapbench gen 100000 /tmp/pm100k --seed 9157
    .build/release/cosell map /tmp/pm100k/host.csv /tmp/pm100k/partner.csv --out /tmp/pm100k/overlaps.csv
    .build/release/cosell-mapbench private /tmp/pm100k
    python3 scripts/bench_private_map.py /tmp/pm100k [--bin .build/release]
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request

HALYARD = "00000000-0000-4000-8000-000000000002"
QUARRY = "00000000-0000-4000-8000-000000000001"
PARTNERSHIP = "00000000-0000-4000-8000-00000000000E"
TOKEN = "cosell_demo_host_admin"


def peak_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return -1


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--bin", default=".build/release")
    ap.add_argument("--port", type=int, default=18311)
    ap.add_argument("--dry-run", action="store_true", help="map only; import nothing")
    a = ap.parse_args()
    cosell = os.path.join(a.bin, "cosell")
    work = tempfile.mkdtemp(prefix="cosell-pm-")
    db = os.path.join(work, "server.sqlite")
    env = dict(os.environ, LOG_LEVEL="warning")
    env.pop("DATABASE_URL", None)
    subprocess.run([cosell, "demo", "--db", db], check=True, env=env, stdout=subprocess.DEVNULL)
    t = time.monotonic()
    subprocess.run([cosell, "import", "--organization", HALYARD, os.path.join(a.dir, "host.csv"), "--db", db,
                    "--quiet", "--confirm-retirements"], check=True, env=env, stdout=subprocess.DEVNULL)
    print(f"imported host.csv as Halyard Security's list in {time.monotonic() - t:.1f} s")
    server = subprocess.Popen([cosell, "serve", "--db", db, "--port", str(a.port), "--no-demo"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{a.port}"
        for _ in range(600):
            try:
                urllib.request.urlopen(base + "/health", timeout=1)
                break
            except Exception:
                time.sleep(0.1)
        t = time.monotonic()
        cli = subprocess.Popen([cosell, "private-map", os.path.join(a.dir, "partner.csv"), "--server", base,
                                "--partnership", PARTNERSHIP, "--token", TOKEN] + (["--dry-run"] if a.dry_run else []),
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        cli_peak = 0.0
        while cli.poll() is None:
            try:
                cli_peak = max(cli_peak, peak_mb(cli.pid))
            except OSError:
                pass
            time.sleep(0.05)
        wall = time.monotonic() - t
        stdout, stderr = cli.communicate()
        print(stdout.strip())
        if cli.returncode != 0:
            print(stderr.strip())
            sys.exit(1)
        print(f"wall time of cosell private-map: {wall:.1f} s; its peak RSS {cli_peak:.0f} MB; "
              f"the server's peak RSS {peak_mb(server.pid):.0f} MB")
        found = int(re.search(r"(\d+) of your", stdout).group(1))
        ids_file = os.path.join(a.dir, "private-ids.txt")
        if os.path.exists(ids_file):
            with open(ids_file) as f:
                direct = sum(1 for line in f if line.strip())
            print(f"exact-key overlap computed directly: {direct} accounts; "
                  f"{'the same count' if direct == found else 'DIFFERENT'}")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
