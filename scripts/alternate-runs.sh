#!/usr/bin/env bash
# alternate-runs.sh - two or more builds of zonelint timed in turns on one zone, so that
# the hour's noise falls on all of them alike: the medians of wall, user and system time
# and of peak memory (GNU time's maximum RSS) per build.
#
#   scripts/alternate-runs.sh RUNS BINARY... [-- CHECK-ARGS...]
#
# Each round runs every BINARY once, in the order given, `check --output-file /dev/null`
# with CHECK-ARGS (default: the 1M-record bench zone, `--origin example.net.
# target/bench-data/large.zone`, which `scripts/bench-peers.sh large` generates).
# Example: scripts/alternate-runs.sh 6 /tmp/zonelint-before target/release/zonelint
set -euo pipefail

usage() { sed -n 6p "$0" | sed 's/^# *//' >&2; exit 2; }
[ $# -ge 2 ] || usage
runs=$1
shift
[[ $runs =~ ^[1-9][0-9]*$ ]] || usage
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
binaries=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do
    [ -x "$1" ] || { echo "alternate-runs.sh: $1 is not an executable" >&2; exit 2; }
    binaries+=("$(realpath "$1")")
    shift
done
[ ${#binaries[@]} -ge 1 ] || usage
[ $# -gt 0 ] && shift  # the --
args=("$@")
if [ ${#args[@]} -eq 0 ]; then
    args=(--origin example.net. "$repo/target/bench-data/large.zone")
    [ -f "${args[2]}" ] || { echo "alternate-runs.sh: no ${args[2]} (scripts/bench-peers.sh large makes it)" >&2; exit 2; }
fi
command -v /usr/bin/time > /dev/null || { echo "alternate-runs.sh: needs GNU time (apt-get install time)" >&2; exit 2; }

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for _ in $(seq "$runs"); do
    for i in "${!binaries[@]}"; do
        # Exit 1 (findings) is a run like any other; a crash is not.
        status=0
        /usr/bin/time -f '%e %U %S %M' -o "$out/time" \
            "${binaries[$i]}" check --output-file /dev/null "${args[@]}" 2> "$out/stderr" || status=$?
        if [ "$status" -gt 1 ]; then
            echo "alternate-runs.sh: ${binaries[$i]} exited $status:" >&2
            cat "$out/stderr" >&2
            exit 1
        fi
        tail -n 1 "$out/time" >> "$out/$i"
    done
done
for i in "${!binaries[@]}"; do
    python3 - "$out/$i" "${binaries[$i]}" <<'PY'
import statistics, sys
rows = [list(map(float, line.split())) for line in open(sys.argv[1]) if line.strip()]
wall, user, system, peak = zip(*rows)
print(f"{sys.argv[2]}: wall {statistics.median(wall):.3f} s ({min(wall):.3f}-{max(wall):.3f}), "
      f"user {statistics.median(user):.2f} s, system {statistics.median(system):.2f} s, "
      f"peak {statistics.median(peak) / 1024:.1f} MiB ({min(peak) / 1024:.1f}-{max(peak) / 1024:.1f}), "
      f"{len(rows)} runs")
PY
done
