#!/usr/bin/env python3
"""Comparison baseline for cosell-mapbench: only the *domain* stage of account mapping, in polars.

Reads the two synthetic exports written by `cosell-mapbench gen N DIR` (host: Salesforce API
headers, partner: HubSpot label headers), reduces the website column to a registrable-ish domain
with vectorised string expressions (scheme, userinfo / e-mail, path, port, `www.` stripped; the
last two labels kept, three for common two-level suffixes such as co.uk / com.au), drops free-mail
domains, joins host x partner on the domain and writes the pairs. No name matching, no Public
Suffix List, no families: it is a lower bound for a polars pipeline, not an equivalent.

    python3 -m venv /tmp/polarsvenv && /tmp/polarsvenv/bin/pip install polars
    /tmp/polarsvenv/bin/python scripts/bench_polars_domain_join.py DIR/host.csv DIR/partner.csv [OUT.csv]

Prints one line: rows, pairs, seconds (read -> write), peak RSS.
"""
import resource
import sys
import time

import polars as pl

TWO_LEVEL = ["co.uk", "com.au", "co.jp", "com.br", "co.nz", "com.mx", "co.za", "com.cn", "co.in", "com.sg"]
FREE = ["gmail.com", "googlemail.com", "yahoo.com", "hotmail.com", "outlook.com", "live.com", "icloud.com",
        "aol.com", "gmx.de", "gmx.net", "web.de", "yahoo.co.uk", "hotmail.co.uk", "mail.ru", "qq.com", "163.com"]


def domain_expr(col: str) -> pl.Expr:
    s = pl.col(col).cast(pl.Utf8).fill_null("").str.strip_chars().str.to_lowercase()
    s = s.str.replace(r"^[a-z][a-z0-9+.\-]*://", "")      # scheme
    s = s.str.replace(r"^mailto:", "")
    s = s.str.replace(r"[/?#].*$", "")                     # path, query, fragment
    s = s.str.replace(r"^.*@", "")                         # e-mail / userinfo
    s = s.str.replace(r":\d+$", "")                        # port
    s = s.str.strip_chars(".")
    labels = s.str.split(".")
    n = labels.list.len()
    last2 = labels.list.slice(-2, 2).list.join(".")
    last3 = labels.list.slice(-3, 3).list.join(".")
    reg = pl.when(last2.is_in(TWO_LEVEL) & (n >= 3)).then(last3).when(n >= 2).then(last2).otherwise(None)
    return reg


def main() -> None:
    host_path, partner_path = sys.argv[1], sys.argv[2]
    out_path = sys.argv[3] if len(sys.argv) > 3 else None
    t0 = time.perf_counter()
    host = pl.read_csv(host_path, infer_schema=False)
    partner = pl.read_csv(partner_path, infer_schema=False)
    h = host.select(pl.col("Id").alias("host_id"), domain_expr("Website").alias("domain"))
    p = partner.select(pl.col("Record ID").alias("partner_id"), domain_expr("Company Domain Name").alias("domain"))
    h = h.filter(pl.col("domain").is_not_null() & ~pl.col("domain").is_in(FREE))
    p = p.filter(pl.col("domain").is_not_null() & ~pl.col("domain").is_in(FREE))
    pairs = h.join(p, on="domain", how="inner")
    if out_path:
        pairs.write_csv(out_path)
    else:
        pairs.write_csv("/dev/null")
    elapsed = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"polars {pl.__version__} domain join: {host.height} x {partner.height} rows, {pairs.height} pairs, "
          f"{elapsed:.3f} s, peak RSS {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
