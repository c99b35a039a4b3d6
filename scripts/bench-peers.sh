#!/usr/bin/env bash
# bench-peers.sh - time `zonelint check` beside the peer checkers (BIND, Knot, NSD, ldns,
# validns) on the benchmark zones, with ../shared/bench/peers.sh, and print one table.
#
#   scripts/bench-peers.sh [ZONE ...]   ZONE: large, signed, root, growth (default: the first three)
#
# large = genzone.py --records 1000000 (87 MB), signed = --dnssec --records 500000 (120 MB),
# both generated once into target/bench-data/ (the files `cargo bench` uses); root = the
# corpus root zone; growth = the large zone's shape at 10k, 100k, 1M and 5M records
# (GROWTH="10000 ..." to choose), zonelint and kzonecheck only unless ONLY says otherwise.
# Our rows: `zonelint` (every core) and `zonelint-1t` (RAYON_NUM_THREADS=1, one core for
# the lint and rendering), for the 1->2 thread speed-up. Two columns are added to
# peers.sh's: ns/rec (wall time per record) and B/rec (peak memory per record).
# Environment: RUNS, WARMUP, TIMEOUT, ONLY as for peers.sh;
# BENCH_RECORDS=N scales the large and signed zones down (signed: N/2), for a quick look.
# Install the peers with: apt-get install -y bind9-utils knot-dnssecutils nsd ldnsutils validns
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shared=$(dirname "$repo")/shared
data=$repo/target/bench-data
cd "$repo"
[ -x "$shared/bench/peers.sh" ] || [ -f "$shared/bench/peers.sh" ] \
    || { echo "bench-peers.sh: no $shared/bench/peers.sh" >&2; exit 2; }

records=${BENCH_RECORDS:-1000000}
signed_records=$((records / 2))
if [ "$records" = 1000000 ]; then
    large_name=large.zone; signed_name=signed.zone
else
    large_name=large-$records.zone; signed_name=signed-$signed_records.zone
fi

generate() {  # generate FILE GENZONE-ARGS...: once per argument list (same files as cargo bench)
    local file=$data/$1; shift
    if [ ! -s "$file" ] || [ "$(cat "$file.args" 2>/dev/null)" != "$*" ]; then
        mkdir -p "$data"
        echo "generating $file (genzone.py $*) ..." >&2
        python3 "$shared/bench/genzone.py" "$@" -o "$file.partial"
        mv "$file.partial" "$file"
        printf '%s' "$*" > "$file.args"
    fi
    printf '%s\n' "$file"
}

zones=("$@")
[ ${#zones[@]} -eq 0 ] && zones=(large signed root)

cargo build --release --locked --bin zonelint >&2
zonelint=$repo/target/release/zonelint

table=$(mktemp)
trap 'rm -f "$table"' EXIT
time_zone() {  # time_zone ROW-LABEL FILE ORIGIN: append its rows to the table
    local zone=$1 file=$2 origin=$3
    echo "timing $zone: $file" >&2
    # peers.sh prints '# ...' notes, a header, then one row per tool: keep the rows,
    # prefixed with the zone, and the notes on stderr.
    bash "$shared/bench/peers.sh" "$file" "$origin" \
        "zonelint=$zonelint check --origin {origin} {file}" \
        "zonelint-1t=env RAYON_NUM_THREADS=1 $zonelint check --origin {origin} {file}" \
        | while IFS= read -r line; do
            case $line in
                '#'*) printf '%s\n' "$line" >&2 ;;
                label*) ;;
                *) printf '%-8s %s\n' "$zone" "$line" >> "$table" ;;
            esac
        done
}
for zone in "${zones[@]}"; do
    case $zone in
        large) time_zone large "$(generate "$large_name" --records "$records")" example.net. ;;
        signed) time_zone signed "$(generate "$signed_name" --dnssec --records "$signed_records")" example.net. ;;
        root) time_zone root "$shared/corpus/root-2017082100.zone" . ;;
        growth)
            for n in ${GROWTH:-10000 100000 1000000 5000000}; do
                if [ "$n" = 1000000 ]; then name=large.zone; else name=large-$n.zone; fi
                file=$(generate "$name" --records "$n")
                ONLY=${ONLY:-'^(kzonecheck|zonelint)'} time_zone "$n" "$file" example.net.
            done
            ;;
        *) echo "bench-peers.sh: unknown zone '$zone' (large, signed, root or growth)" >&2; exit 2 ;;
    esac
done
# ns/rec and B/rec from rec/s and peak MiB (columns 7 and 8 of a row; '-' when absent).
printf '%-8s %-20s %9s %19s %9s %11s %9s %8s %7s  %s\n' \
    zone label wall_s 'min..max' MB/s rec/s peak_MiB ns/rec B/rec exit
awk '{
    if (NF >= 8 && $6 + 0 > 0) {
        ns = 1e9 / $6; recs = $6 * $3; b = (recs > 0 ? $7 * 1048576 / recs : 0)
        exit_ = $8; for (i = 9; i <= NF; i++) exit_ = exit_ " " $i
        printf "%-8s %-20s %9s %19s %9s %11s %9s %8.0f %7.0f  %s\n", $1, $2, $3, $4, $5, $6, $7, ns, b, exit_
    } else print
}' "$table"
