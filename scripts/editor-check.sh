#!/bin/sh
# Runs `zonelint server` under a headless editor on two zones in a temporary directory,
# and prints what the editor got: Neovim configured with scripts/nvim-zonelint.lua and
# driven by scripts/nvim-check.lua, or Emacs (eglot) configured with
# scripts/emacs-zonelint.el and driven by scripts/emacs-check.el (the configs are the
# snippets in docs/editors.md). Not run in CI (it needs the editors).
# Usage: scripts/editor-check.sh nvim|emacs [ZONELINT_BINARY]
# (default: target/debug/zonelint).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
editor=${1:?"usage: $0 nvim|emacs [ZONELINT_BINARY]"}
zonelint=$(realpath "${2:-$here/../target/debug/zonelint}")
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
case $editor in
nvim) nvim --headless -u "$here/nvim-zonelint.lua" -c "luafile $here/nvim-check.lua" ;;
emacs) emacs --batch -l "$here/emacs-zonelint.el" -l "$here/emacs-check.el" ;;
*) echo "unknown editor: $editor" >&2; exit 2 ;;
esac
