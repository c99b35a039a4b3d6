#!/usr/bin/env bash
# fresh-memory-phases.sh - where `zonelint check` touches fresh memory: the 4 KiB pages it
# faults in, counted by the phase of the lint that touched them, and by time.
#
#   scripts/fresh-memory-phases.sh [FILE ORIGIN]   default: target/bench-data/large.zone example.net.
#
# fresh-memory.sh gives the total; this splits it. With transparent huge pages off
# (`_RJEM_MALLOC_CONF=thp:default`) every page fault is one fresh 4 KiB page; `perf record`
# samples one fault in four with its call stack (DWARF unwinding: the release profile keeps
# line tables), and each sample is put in the phase of the first frame, from the outermost
# in, that names one (the patterns below). A fault on memory freed earlier and given back to
# the kernel (jemalloc purges what it keeps no longer) counts as fresh: it is zeroed again.
#
# Why it matters: on a virtual machine whose host takes back the pages a guest frees (free
# page reporting), a page touched for the first time in a while costs the host's fault
# too, about 1.8 ms a MiB on the machine of docs/performance.md's ninth session of
# 2026-11-30, against 0.05 ms when the same memory was touched a second before.
# Needs perf (apt-get install linux-perf) and python3.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
file=${1:-$repo/target/bench-data/large.zone}
origin=${2:-example.net.}
[ -f "$file" ] || { echo "fresh-memory-phases.sh: no $file (scripts/bench-peers.sh large makes it)" >&2; exit 2; }
command -v perf > /dev/null || { echo "fresh-memory-phases.sh: needs perf (apt-get install linux-perf)" >&2; exit 2; }

cd "$repo"
cargo build --release --locked --bin zonelint >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# One fault in four, 4 KiB of each stack, a 64 MiB ring per CPU: with more of each stack
# perf loses samples on a large zone. The cost is the outer frames of some of rayon's
# deep stacks, whose faults then count as `other` (see docs/performance.md).
_RJEM_MALLOC_CONF=thp:default perf record -m 16384 -e page-faults -c 4 \
    --call-graph dwarf,4096 -o "$work/perf.data" \
    "$repo/target/release/zonelint" check --origin "$origin" "$file" > /dev/null 2> "$work/record.err" || true
if [ ! -s "$work/perf.data" ]; then
    echo "fresh-memory-phases.sh: perf record failed:" >&2
    cat "$work/record.err" >&2
    exit 2
fi
if grep -qi 'lost' "$work/record.err"; then
    echo "fresh-memory-phases.sh: perf lost samples; the figures are low" >&2
fi
perf script -i "$work/perf.data" -F time,ip,sym 2> /dev/null | python3 -c '
import collections, re, sys

SAMPLE = 4 * 4096  # bytes a sample stands for: one fault in four, 4 KiB each
# (phase, a pattern in a frame): the first phase with a frame that matches, outermost first.
PHASES = [
    ("read the file", "loader::"),
    ("parse (records into the arenas)", "zonelint_zone::split"),
    ("parse (records into the arenas)", "zonelint_zone::parser"),
    ("index", "zonelint_policy::index::ZoneIndex::build"),
    ("email records (texts, grammars)", "zonelint_policy::mail::"),
    ("SPF analysis", "spf_eval::"),
    ("rules (findings packed)", "pack_rules"),
    ("rules (findings packed)", "check_zone"),
    ("findings decoded", "unpack"),
    ("findings sorted", "sort_by_position"),
    ("report drawn", "zonelint::render"),
]

def phase(frames):
    for frame in reversed(frames):
        for name, pattern in PHASES:
            if pattern in frame:
                return name
    return "other: " + (frames[0][:60] if frames else "?")

samples, frames, time = [], None, None
for line in sys.stdin:
    if not line.strip():
        continue
    head = re.match(r"^\s*(\d+\.\d+):", line)
    if head:
        if frames is not None:
            samples.append((time, frames))
        time, frames = float(head.group(1)), []
    elif frames is not None:
        parts = line.split(None, 1)
        if len(parts) == 2:
            frames.append(parts[1].strip())
if frames is not None:
    samples.append((time, frames))
if not samples:
    sys.exit("fresh-memory-phases.sh: no samples")

mib = lambda count: count * SAMPLE / (1 << 20)
start = min(t for t, _ in samples)
by_phase, by_time = collections.Counter(), collections.defaultdict(collections.Counter)
for t, stack in samples:
    name = phase(stack)
    by_phase[name] += 1
    by_time[int((t - start) * 10)][name] += 1
print(f"{mib(len(samples)):8.0f} MiB fresh in all")
others = 0
for name, count in by_phase.most_common():
    if name.startswith("other") and mib(count) < 1:
        others += count
    else:
        print(f"{mib(count):8.1f} MiB  {name}")
print(f"{mib(others):8.1f} MiB  other, less than 1 MiB a frame")
print()
print("by time (tenths of a second from the first fault; the two largest phases):")
for tenth in sorted(by_time):
    top = by_time[tenth].most_common(2)
    print(f"{tenth / 10:5.1f} s  " + ", ".join(f"{name} {mib(c):.0f} MiB" for name, c in top))
'
