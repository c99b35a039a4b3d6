#!/usr/bin/env bash
# fresh-memory.sh - how much fresh memory `zonelint check` touches: a figure that does not
# move with the hour, beside the wall time, which does.
#
#   scripts/fresh-memory.sh [FILE ORIGIN] [RUNS]   default: target/bench-data/large.zone example.net. 3
#
# Every page a process touches for the first time is zeroed by the kernel first, and on a
# virtual machine also backed by the host: on the machines these figures come from, that
# system time ranged from 0.3 s to 2.5 s for the same run of the 1M-record zone, hour by
# hour. So a change that touches less fresh memory is a gain whatever the hour shows, and
# is best seen in the count of page faults, which is the same from run to run within 3 %
# (within 1 % before freed pages were reused by later phases: what is reused depends on
# the threads' timing).
#
# Each run prints the minor page faults with transparent huge pages off
# (`_RJEM_MALLOC_CONF=thp:default`: every fault is one 4 KiB page, so faults x 4 KiB is the
# fresh memory), the huge pages the default build faults in (from /proc/vmstat, so other
# processes must be idle), and the wall, user and system time and peak RSS of both runs.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
file=${1:-$repo/target/bench-data/large.zone}
origin=${2:-example.net.}
runs=${3:-3}
[ -f "$file" ] || { echo "fresh-memory.sh: no $file (scripts/bench-peers.sh large makes it)" >&2; exit 2; }
command -v /usr/bin/time > /dev/null || { echo "fresh-memory.sh: needs GNU time (apt-get install time)" >&2; exit 2; }

cd "$repo"
cargo build --release --locked --bin zonelint >&2
zonelint=$repo/target/release/zonelint

thp_faults() { awk '/^thp_fault_alloc /{print $2}' /proc/vmstat; }
report=$(mktemp)
trap 'rm -f "$report"' EXIT
printf '%-6s %12s %10s %11s %8s %8s %8s %9s\n' run 4k_faults fresh_MiB huge_pages wall_s user_s sys_s peak_MiB
for run in $(seq "$runs"); do
    _RJEM_MALLOC_CONF=thp:default /usr/bin/time -o "$report" -f '%R %e %U %S %M' \
        "$zonelint" check --origin "$origin" "$file" > /dev/null 2>&1 || true
    read -r faults wall user sys peak < <(tail -n 1 "$report")
    printf '%-6s %12s %10d %11s %8s %8s %8s %9d\n' "$run" "$faults" $((faults * 4 / 1024)) - \
        "$wall" "$user" "$sys" $((peak / 1024))
    before=$(thp_faults)
    /usr/bin/time -o "$report" -f '%R %e %U %S %M' \
        "$zonelint" check --origin "$origin" "$file" > /dev/null 2>&1 || true
    huge=$(( $(thp_faults) - before ))
    read -r faults wall user sys peak < <(tail -n 1 "$report")
    printf '%-6s %12s %10s %11s %8s %8s %8s %9d\n' "$run+thp" "$faults" - "$huge" \
        "$wall" "$user" "$sys" $((peak / 1024))
done
