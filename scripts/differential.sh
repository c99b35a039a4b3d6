#!/usr/bin/env bash
# differential.sh - build zonelint (release) and compare its parser with BIND and dnspython
# on every fixture in testdata/valid/ and testdata/extra/, the corpus in ../shared/corpus/
# and generated zones.
#
#   scripts/differential.sh [--no-zonelint] [differential.py options...]
#
# --no-zonelint compares only dnspython with BIND (validates the fixtures and the harness,
# without building). Generated zones (genzone.py, 10k records, plain, class-first and
# signed) are written under target/differential/ and not committed. Needs python3 with
# dnspython, named-compilezone (bind9-utils) and cargo.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shared=$(dirname "$repo")/shared
cd "$repo"

for tool in python3 named-compilezone; do
    command -v "$tool" >/dev/null || { echo "differential.sh: $tool is not installed" >&2; exit 2; }
done
[ -d "$shared/corpus" ] || { echo "differential.sh: no corpus at $shared/corpus" >&2; exit 2; }
[ -f "$shared/bench/genzone.py" ] || { echo "differential.sh: no $shared/bench/genzone.py" >&2; exit 2; }

generated=$repo/target/differential
mkdir -p "$generated"
generate() {  # generate FILE GENZONE-ARGS...: once per argument list
    local file=$generated/$1; shift
    if [ ! -s "$file" ] || [ "$(cat "$file.args" 2>/dev/null)" != "$*" ]; then
        python3 "$shared/bench/genzone.py" "$@" -o "$file.tmp" 2>/dev/null
        mv "$file.tmp" "$file"
        echo "$*" > "$file.args"
    fi
    echo example.net. > "$file.origin"
}
generate gen-10k.zone --records 10000
generate gen-10k-class-first.zone --records 10000 --class-first --seed 2
generate gen-10k-dnssec.zone --records 10000 --dnssec --seed 3

if [ "${1:-}" = --no-zonelint ]; then
    which=(--no-zonelint); shift
else
    cargo build --release --locked --bin zonelint
    which=(--zonelint "$repo/target/release/zonelint")
fi

exec python3 "$repo/scripts/differential.py" "${which[@]}" \
    --require-accepted "$repo/testdata/valid" \
    --require-accepted "$shared/corpus" \
    --require-accepted "$generated" \
    --expected-root "$repo/testdata/valid" --expected-dir "$repo/testdata/expected" \
    "$@" \
    "$repo/testdata/valid" "$repo/testdata/extra" "$shared/corpus" "$generated"
