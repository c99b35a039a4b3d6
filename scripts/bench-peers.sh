#!/usr/bin/env bash
# bench-peers.sh - time `zonelint check` beside the peer checkers (BIND, Knot, NSD, ldns,
# validns) on the benchmark zones, with ../shared/bench/peers.sh, and print one table.
#
#   scripts/bench-peers.sh [ZONE ...]        ZONE: large, signed, root (default: all three)
#
# large = genzone.py --records 1000000 (87 MB), signed = --dnssec --records 500000 (120 MB),
# both generated once into target/bench-data/ (the files `cargo bench` uses); root = the
# corpus root zone. Environment: RUNS, WARMUP, TIMEOUT, ONLY as for peers.sh;
# BENCH_RECORDS=N scales the generated zones down (signed: N/2), for a quick look.
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
for zone in "${zones[@]}"; do
    case $zone in
        large) file=$(generate "$large_name" --records "$records"); origin=example.net. ;;
        signed) file=$(generate "$signed_name" --dnssec --records "$signed_records"); origin=example.net. ;;
        root) file=$shared/corpus/root-2017082100.zone; origin=. ;;
        *) echo "bench-peers.sh: unknown zone '$zone' (large, signed or root)" >&2; exit 2 ;;
    esac
    echo "timing $zone: $file" >&2
    # peers.sh prints '# ...' notes, a header, then one row per tool: keep the rows,
    # prefixed with the zone, and the notes on stderr.
    bash "$shared/bench/peers.sh" "$file" "$origin" \
        "zonelint=$zonelint check --origin {origin} {file}" \
        | while IFS= read -r line; do
            case $line in
                '#'*) printf '%s\n' "$line" >&2 ;;
                label*) ;;
                *) printf '%-8s %s\n' "$zone" "$line" >> "$table" ;;
            esac
        done
done
printf '%-8s %-20s %9s %19s %9s %11s %9s  %s\n' zone label wall_s 'min..max' MB/s rec/s peak_MiB exit
cat "$table"
