#!/usr/bin/env bash
# instructions.sh - instructions `zonelint check` executes on the 100k-record bench zone, in
# all and in its costliest functions, counted by callgrind: the same count every run of the same binary,
# whatever else the machine does. For A/B comparisons of small changes on a noisy machine,
# where wall time moves by a tenth between runs (docs/performance.md).
#
#   scripts/instructions.sh [BINARY ...]   default: target/release/zonelint (built first)
#
# Each binary runs `check` (every default rule, the `full` report) on one thread
# (RAYON_NUM_THREADS=1: rayon's scheduling differs between runs on several), under
# `valgrind --tool=callgrind`, about 20 s each. With two binaries or more, the reports
# they print are compared too: they must be byte for byte the same.
# The zone: genzone.py --records 100000 into target/bench-data/ (RECORDS=N for another
# size; the 1M-record zone takes about 4 minutes a binary).
# Needs valgrind (apt-get install valgrind) and python3.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shared=$(dirname "$repo")/shared
records=${RECORDS:-100000}
data=$repo/target/bench-data
zone=$data/large-$records.zone
[ "$records" = 1000000 ] && zone=$data/large.zone
command -v valgrind > /dev/null || { echo "instructions.sh: needs valgrind (apt-get install valgrind)" >&2; exit 2; }

if [ ! -s "$zone" ] || [ "$(cat "$zone.args" 2>/dev/null)" != "--records $records" ]; then
    mkdir -p "$data"
    echo "generating $zone ..." >&2
    python3 "$shared/bench/genzone.py" --records "$records" -o "$zone.partial"
    mv "$zone.partial" "$zone"
    printf '%s' "--records $records" > "$zone.args"
fi

binaries=("$@")
if [ ${#binaries[@]} -eq 0 ]; then
    (cd "$repo" && cargo build --release --locked --bin zonelint >&2)
    binaries=("$repo/target/release/zonelint")
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for at in "${!binaries[@]}"; do
    binary=${binaries[$at]}
    echo "counting $binary ..." >&2
    RAYON_NUM_THREADS=1 valgrind --tool=callgrind --callgrind-out-file="$work/$at.out" \
        "$binary" check --origin example.net. "$zone" > "$work/$at.report" 2> "$work/$at.err" || true
    if ! grep -q 'refs:' "$work/$at.err"; then
        echo "instructions.sh: callgrind failed on $binary:" >&2
        tail -5 "$work/$at.err" >&2
        exit 2
    fi
    callgrind_annotate --threshold=100 --auto=no "$work/$at.out" > "$work/$at.annotated" 2> /dev/null
    if [ "$at" -gt 0 ] && ! cmp -s "$work/0.report" "$work/$at.report"; then
        echo "instructions.sh: $binary reports differently from ${binaries[0]}" >&2
        status=1
    fi
done

python3 - "$work" "${binaries[@]}" <<'EOF'
import collections, re, sys

work, binaries = sys.argv[1], sys.argv[2:]
TOP = 25

def counts(at):
    """The program's total, and each function's own instructions (summed over the
    files its code comes from: inlined code is counted where it was inlined to)."""
    own, total = collections.Counter(), 0
    for line in open(f"{work}/{at}.annotated", errors="replace"):
        m = re.match(r"\s*([\d,]+) \(\s*[\d.]+%\)\s+(\S.*?)\s*$", line)
        if not m:
            continue
        value = int(m.group(1).replace(",", ""))
        if m.group(2).endswith("PROGRAM TOTALS"):
            total = value
            continue
        # `file:function [object]`; the file has no colon, the function may.
        name = re.match(r"([^:]*):(.*?)(?: \[[^\]]*\])?$", m.group(2))
        if name:
            own[name.group(2)] += value
    return total, own

results = [counts(at) for at in range(len(binaries))]
base_total, base = results[0]

def cell(value):
    return f"{value / 1e6:12,.1f} M"

print(f"{'instructions':<14}" + "".join(f"{'binary ' + str(at + 1):>16}" for at in range(len(results))))
row = f"{'all':<14}" + "".join(f"{cell(total):>16}" for total, _ in results)
row += "".join(f"  {(total - base_total) / base_total:+.2%}" for total, _ in results[1:])
print(row)
print()
# The functions that cost most in any binary, with each binary's count.
names = collections.Counter()
for _, own in results:
    for name, value in own.items():
        names[name] = max(names[name], value)
print(f"the {TOP} costliest functions (own instructions, inlined code included):")
for name, _ in names.most_common(TOP):
    values = [own.get(name, 0) for _, own in results]
    row = "".join(f"{cell(value):>16}" for value in values)
    row += "".join(f" {value - values[0]:+14,d}" for value in values[1:])
    short = re.sub(r"<(\S+) as (\S+)>", lambda m: m.group(1).split("::")[-1] + " as " + m.group(2).split("::")[-1], name)
    print(f"{row}  {short[:90]}")
print()
for at, binary in enumerate(binaries):
    print(f"binary {at + 1}: {binary}")
EOF
exit $status
