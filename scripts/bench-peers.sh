#!/usr/bin/env bash
# bench-peers.sh - time `zonelint check` beside the peer checkers (BIND, Knot, NSD, ldns,
# validns) on the benchmark zones, with ../shared/bench/peers.sh, and print one table.
#
#   scripts/bench-peers.sh [ZONE ...]   ZONE: large, signed, root, growth, many (default: the first three)
#
# large = genzone.py --records 1000000 (87 MB), signed = --dnssec --records 500000 (120 MB),
# both generated once into target/bench-data/ (the files `cargo bench` uses); root = the
# corpus root zone; growth = the large zone's shape at 10k, 100k, 1M and 5M records
# (GROWTH="10000 ..." to choose), zonelint and kzonecheck only unless ONLY says otherwise;
# many = a directory of small zones, a hosting provider's customer zones (MANY="2000 60":
# 2000 zones of 60 records, written by scripts/many-zones.py): `zonelint check DIR` once,
# each peer once per file, as many at a time as there are cores (xargs -P).
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
time_many() {  # time_many DIR RECORDS: zonelint on the directory, each peer per file; append rows
    local dir=$1 records=$2 bytes cores label log
    bytes=$(cat "$dir"/*.zone | wc -c)
    cores=$(nproc)
    echo "timing many: $dir ($records records in all)" >&2
    # A peer is run once per file, $cores at a time, with ORIGIN the file name less .zone
    # ($0 and $1 of the script: the directory and the number of cores).
    local each='cd "$0" && ls | sed -n "s/\.zone$//p" | xargs -P "$1" -I ORIGIN '
    local -a cmd
    log=$(mktemp)
    for label in zonelint zonelint-1t named-checkzone kzonecheck nsd-checkzone ldns-read-zone validns; do
        [[ $label =~ ${ONLY:-.} ]] || continue
        if [[ $label != zonelint* ]] && ! command -v "$label" >/dev/null 2>&1; then
            printf '%-8s %-20s %9s\n' many "$label" 'not installed' >> "$table"
            continue
        fi
        case $label in
            zonelint) cmd=("$zonelint" check "$dir") ;;
            zonelint-1t) cmd=(env RAYON_NUM_THREADS=1 "$zonelint" check "$dir") ;;
            named-checkzone) cmd=(sh -c "${each}named-checkzone -i local ORIGIN ORIGIN.zone" "$dir" "$cores") ;;
            kzonecheck) cmd=(sh -c "${each}kzonecheck -d off -o ORIGIN ORIGIN.zone" "$dir" "$cores") ;;
            nsd-checkzone) cmd=(sh -c "${each}nsd-checkzone ORIGIN ORIGIN.zone" "$dir" "$cores") ;;
            ldns-read-zone) cmd=(sh -c "${each}ldns-read-zone -E SOA ORIGIN.zone" "$dir" "$cores") ;;
            validns) cmd=(sh -c "${each}validns -z ORIGIN. ORIGIN.zone" "$dir" "$cores") ;;
        esac
        python3 "$shared/bench/walltime.py" -n "${RUNS:-3}" --warmup "${WARMUP:-1}" \
            --timeout "${TIMEOUT:-900}" -- "${cmd[@]}" > "$log" 2>&1 || true
        awk -v label="$label" -v bytes="$bytes" -v recs="$records" '
            $1=="A" && $2=="wall" && $3=="s" { mn=$4; md=$5; mx=$6 }
            $1=="A" && $2=="peak" && $3=="MiB" { pk=$5 }
            $1=="A" && $2=="exit" { ex = ex (ex=="" ? "" : ",") $3 }
            END {
                if (md == "") { printf "many     %-20s %9s\n", label, "no result"; exit }
                printf "many     %-20s %9.3f %19s %9.1f %11.0f %9s  %s\n", label, md, mn ".." mx,
                       (md > 0 ? bytes / 1e6 / md : 0), (md > 0 ? recs / md : 0), pk, ex
            }' "$log" >> "$table"
    done
    rm -f "$log"
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
        many)
            read -r many_zones many_records <<< "${MANY:-2000 60}"
            many_dir=$data/many-$many_zones-$many_records
            if [ ! -s "$many_dir/z$many_zones.example.zone" ]; then
                echo "generating $many_dir ($many_zones zones of $many_records records) ..." >&2
                rm -rf "$many_dir"
                python3 "$repo/scripts/many-zones.py" "$many_dir.partial" "$many_zones" "$many_records"
                mv "$many_dir.partial" "$many_dir"
            fi
            time_many "$many_dir" $((many_zones * many_records))
            ;;
        *) echo "bench-peers.sh: unknown zone '$zone' (large, signed, root, growth or many)" >&2; exit 2 ;;
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
