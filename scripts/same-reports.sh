#!/usr/bin/env bash
# same-reports.sh - does a change keep every report byte for byte? The check each
# optimisation needs (docs/performance.md): two builds of zonelint, every report compared.
#
#   scripts/same-reports.sh OLD NEW     OLD, NEW: two zonelint binaries
#
# Reports (exit status included, `--now` fixed, no configuration file): the 1M-record zone
# in json, full, sarif, concise and strict json; the signed 500k-record zone in json and
# full; the corpus root zone in json, full, github and junit; every zone under testdata/
# in json, plain and strict. The bench zones are the ones `scripts/bench-peers.sh large
# signed` and `cargo bench` generate into target/bench-data/ (which alone know their
# genzone.py arguments).
# Prints each report that differs and a count; exits 1 if any differs.
set -uo pipefail

[ $# -eq 2 ] || { sed -n 5p "$0" | sed 's/^# *//' >&2; exit 2; }
old=$(realpath "$1") new=$(realpath "$2")
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shared=$(dirname "$repo")/shared
data=$repo/target/bench-data
root=$shared/corpus/root-2017082100.zone
for binary in "$old" "$new"; do
    [ -x "$binary" ] || { echo "same-reports.sh: $binary is not an executable" >&2; exit 2; }
done
[ -f "$root" ] || { echo "same-reports.sh: no $root" >&2; exit 2; }
for zone in large signed; do
    [ -s "$data/$zone.zone" ] || {
        echo "same-reports.sh: no $data/$zone.zone (scripts/bench-peers.sh large signed makes it)" >&2
        exit 2
    }
done

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
reports=0 differ=0
compare() {  # compare LABEL ARGS...: the report of OLD and of NEW (run in the repository)
    local label=$1 binary side
    shift
    for side in old new; do
        binary=$old
        [ "$side" = new ] && binary=$new
        (cd "$repo" && "$binary" check --isolated --now 2026-11-28T12:00:00Z "$@" \
            > "$out/$side" 2>&1; echo "exit $?" >> "$out/$side")
    done
    reports=$((reports + 1))
    if ! cmp -s "$out/old" "$out/new"; then
        differ=$((differ + 1))
        echo "differs: $label"
    fi
}
for format in json full sarif concise; do
    compare "large $format" --format "$format" --origin example.net. "$data/large.zone"
done
compare "large strict json" --strict --format json --origin example.net. "$data/large.zone"
for format in json full; do
    compare "signed $format" --format "$format" --origin example.net. "$data/signed.zone"
done
for format in json full github junit; do
    compare "root $format" --format "$format" --origin . "$root"
done
while IFS= read -r zone; do
    compare "$zone json" --format json "$zone"
    compare "$zone strict json" --strict --format json "$zone"
done < <(cd "$repo" && find testdata -name '*.zone' | sort)
echo "$reports reports, $differ differ"
[ "$differ" -eq 0 ]
