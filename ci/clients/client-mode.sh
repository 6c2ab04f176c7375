#!/usr/bin/env bash
# client-mode.sh NAME [h2probe client options…] — runs `h2probe client` against the client
# NAME of clients.tsv, with its get, post and multi command lines (a `-` leaves that action
# out: its cases skip). Runs from the repository root, as the templates expect.
#   ci/clients/client-mode.sh curl --tls --junit client-curl.xml
# H2PROBE (default target/release/h2probe) names the binary.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
[ $# -ge 1 ] || { echo "usage: client-mode.sh NAME [h2probe client options]" >&2; exit 2; }
name=$1; shift
row=$(awk -F'\t' -v n="$name" '!/^#/ && $1 == n' "$root/ci/clients/clients.tsv")
[ -n "$row" ] || { echo "client-mode.sh: no client named $name in ci/clients/clients.tsv" >&2; exit 2; }
IFS=$'\t' read -r _ _ get post multi _ <<< "$row"
args=()
[ "$get" = - ] || args+=(--exec "$get")
[ "$post" = - ] || args+=(--exec-post "$post")
[ "$multi" = - ] || args+=(--exec-multi "$multi")
cd "$root"
exec "${H2PROBE:-$root/target/release/h2probe}" client "${args[@]}" --dir "$root" "$@"
