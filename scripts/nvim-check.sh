#!/bin/sh
# Runs `zonelint server` under headless Neovim, configured with scripts/nvim-zonelint.lua
# (the snippet in docs/editors.md), on two zones in a temporary directory, and prints
# what Neovim got (scripts/nvim-check.lua). Usage: scripts/nvim-check.sh
# [ZONELINT_BINARY] (default: target/debug/zonelint).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
zonelint=$(realpath "${1:-$here/../target/debug/zonelint}")
bin=$(mktemp -d)
work=$(mktemp -d)
trap 'rm -rf "$work" "$bin"' EXIT
# The snippet runs `zonelint` from PATH.
ln -s "$zonelint" "$bin/zonelint"
PATH="$bin:$PATH"
export PATH
: > "$work/zonelint.toml"
cat > "$work/db.example.com" <<'ZONE'
$TTL 3600
@ IN SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 3600
@ IN NS ns1.example.net.
@ IN TXT "v=spf1 include:_spf.example.net include:spf.example.org ~all"
_dmarc IN TXT "v=DMARC1; p=reject"
ZONE
cat > "$work/db.example.net" <<'ZONE'
$TTL 3600
@ IN SOA ns1.example.net. hostmaster.example.net. 1 7200 3600 1209600 3600
@ IN NS ns1.example.net.
@ IN MX 10 ns1.example.net.
ns1 IN A 192.0.2.1
ns1 IN TXT "v=spf1 -all"
@ IN TXT "v=spf1 -all"
_dmarc IN TXT "v=DMARC1; p=reject"
_spf IN TXT "v=spf1 a:ns1.example.net mx:example.net include:_more.example.net -all"
_more IN TXT "v=spf1 ip4:192.0.2.0/24 -all"
ZONE
cd "$work"
nvim --headless -u "$here/nvim-zonelint.lua" -c "luafile $here/nvim-check.lua"
