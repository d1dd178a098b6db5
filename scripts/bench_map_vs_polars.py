#!/usr/bin/env python3
"""`cosell map` against a polars domain join on the same two files, pair by pair in one run (issue 16).

Each pair runs the two one after the other, alternating which goes first, as fresh processes:
`cosell map HOST PARTNER --out DIR/overlaps.csv --quiet` (reading, matching and writing, the whole
process) and `scripts/bench_polars_domain_join.py HOST PARTNER DIR/polars.csv` (the domain join
only, see its docstring; its interpreter's start-up and `import polars` are counted too, as the
`cosell` process's start-up is). For each run it records the wall time and the process's own peak
resident memory (`wait4`), prints every pair with its ratio cosell/polars, then the medians and the
range of the ratios.

    python3 -m venv /tmp/polarsvenv && /tmp/polarsvenv/bin/pip install polars
    .build/release/cosell-mapbench gen 1000000 /tmp/map1m --seed 7321
    python3 scripts/bench_map_vs_polars.py --cosell .build/release/cosell \
        --python /tmp/polarsvenv/bin/python /tmp/map1m [--pairs 5]

A benchmark, not a test: nothing here is asserted; the figures go in BENCHMARKS.md.
"""

import argparse
import os
import statistics
import subprocess
import time


def run(cmd):
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    out = proc.stdout.read().decode()
    err = proc.stderr.read().decode()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"{cmd[0]} failed ({code}): {err.strip()}")
    return seconds, usage.ru_maxrss / 1024, out.strip()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dir", help="a directory with host.csv and partner.csv (cosell-mapbench gen)")
    ap.add_argument("--cosell", required=True)
    ap.add_argument("--python", required=True, help="a Python with polars")
    ap.add_argument("--pairs", type=int, default=5)
    args = ap.parse_args()
    host, partner = os.path.join(args.dir, "host.csv"), os.path.join(args.dir, "partner.csv")
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bench_polars_domain_join.py")
    cosell = [args.cosell, "map", host, partner, "--out", os.path.join(args.dir, "overlaps.csv"), "--quiet"]
    polars = [args.python, script, host, partner, os.path.join(args.dir, "polars.csv")]
    rows = []
    for i in range(args.pairs):
        order = [("cosell", cosell), ("polars", polars)]
        if i % 2:
            order.reverse()
        got = {name: run(cmd) for name, cmd in order}
        c, p = got["cosell"], got["polars"]
        rows.append((c[0], c[1], p[0], p[1]))
        print(f"pair {i + 1} ({order[0][0]} first): cosell {c[0]:.3f} s, {c[1]:.0f} MB; "
              f"polars {p[0]:.3f} s, {p[1]:.0f} MB; ratio {c[0] / p[0]:.3f}", flush=True)
    ratios = [c / p for c, _, p, _ in rows]
    print(f"median: cosell {statistics.median(r[0] for r in rows):.3f} s "
          f"(peak {max(r[1] for r in rows):.0f} MB), polars {statistics.median(r[2] for r in rows):.3f} s "
          f"(peak {max(r[3] for r in rows):.0f} MB); ratio median {statistics.median(ratios):.3f}, "
          f"range {min(ratios):.3f}-{max(ratios):.3f}")


if __name__ == "__main__":
    main()
