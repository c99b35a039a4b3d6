#!/usr/bin/env python3
"""check-manifest.py - are the mistakes genzone.py planted found where it planted them?

    check-manifest.py MANIFEST REPORT.json

MANIFEST is what `genzone.py --manifest` wrote: one `OWNER<TAB>slug[,slug...]` line per
planted mistake. REPORT.json is `zonelint check --format json` output for the same zone.
A planted (owner, slug) is found when a diagnostic of that rule names that owner. Prints,
per rule, how many were planted and found, the first few misses, and how many findings
of each rule fall on owners the manifest does not mention (to review by hand: some are
real consequences of a planted mistake, the rest are false positives). Exits 1 on a miss.
"""
import collections
import json
import sys


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    planted = collections.defaultdict(set)  # slug -> owners
    for line in open(sys.argv[1], encoding="utf-8"):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        owner, slugs = line.split("\t")
        for slug in slugs.split(","):
            planted[slug].add(owner.lower())
    report = json.load(open(sys.argv[2], encoding="utf-8"))
    found = collections.defaultdict(set)  # slug -> owners
    counts = collections.Counter()
    for diagnostic in report["diagnostics"]:
        counts[diagnostic["rule"]] += 1
        if diagnostic.get("owner"):
            found[diagnostic["rule"]].add(diagnostic["owner"].lower())
    missed_any = False
    print(f"{'rule':32} {'planted':>8} {'found':>8} {'missed':>8} {'other owners':>13}")
    for slug in sorted(set(planted) | set(found)):
        expected = planted.get(slug, set())
        got = found.get(slug, set())
        missed = sorted(expected - got)
        other = len(got - expected)
        print(f"{slug:32} {len(expected):8} {len(expected & got):8} {len(missed):8} {other:13}")
        if missed:
            missed_any = True
            for owner in missed[:3]:
                print(f"    missed: {owner}")
    print(f"\nfindings per rule: {dict(sorted(counts.items()))}")
    return 1 if missed_any else 0


if __name__ == "__main__":
    sys.exit(main())
