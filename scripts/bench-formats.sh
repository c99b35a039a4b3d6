#!/usr/bin/env bash
# bench-formats.sh - every report format and every way of running `check`, timed on one
# large zone: the peer comparison measures only the default report, and the other formats
# and `--fix` are what CI jobs and operators run.
#
#   scripts/bench-formats.sh [FILE ORIGIN]   default: target/bench-data/large.zone example.net.
#
# One table row per run: the wall, user and system time, the peak RSS and the size of
# what it wrote. `--fix` runs on a copy of the file in target/tmp (removed after), and
# `--diff` prints what `--fix` would write. Before 2026-11-30 `sarif` took 18 s and
# 5.6 GB, `junit` 1.8 GB and `--fix` 142 s on the 1M-record bench zone, unseen because
# nothing timed them.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
file=${1:-$repo/target/bench-data/large.zone}
origin=${2:-example.net.}
[ -f "$file" ] || { echo "bench-formats.sh: no $file (scripts/bench-peers.sh large makes it)" >&2; exit 2; }
command -v /usr/bin/time > /dev/null || { echo "bench-formats.sh: needs GNU time (apt-get install time)" >&2; exit 2; }

cd "$repo"
cargo build --release --locked --bin zonelint >&2
zonelint=$repo/target/release/zonelint

mkdir -p target/tmp
copy=$repo/target/tmp/bench-formats.zone
report=$(mktemp)
output=$(mktemp)
trap 'rm -f "$report" "$output" "$copy"' EXIT

# run NAME ARGS...: one row; the exit status of `check` (1 with findings) is not a failure.
run() {
    local name=$1
    shift
    /usr/bin/time -o "$report" -f '%e %U %S %M' "$zonelint" check --isolated --origin "$origin" "$@" \
        > "$output" 2> /dev/null || true
    read -r wall user sys peak < <(tail -n 1 "$report")
    printf '%-22s %8s %8s %8s %9d %12d\n' "$name" "$wall" "$user" "$sys" $((peak / 1024)) \
        "$(stat -c %s "$output")"
}

printf '%-22s %8s %8s %8s %9s %12s\n' run wall_s user_s sys_s peak_MiB output_bytes
for format in full concise json json-lines sarif github junit; do
    run "--format $format" --format "$format" "$file"
done
run "--statistics" --statistics "$file"
run "--strict --format json" --strict --format json "$file"
cp "$file" "$copy"
run "--fix (concise)" --fix --format concise "$copy"
run "--diff" --diff "$file"
