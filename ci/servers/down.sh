#!/usr/bin/env bash
# Stops the named servers (default: all) by their recorded PIDs.
. "$(dirname "$0")/lib.sh"
servers=${*:-$(awk '!/^#/ && NF {print $1}' "$HERE/targets.tsv" | sort -u)}
for s in $servers; do [ -x "$HERE/$s/down.sh" ] && "$HERE/$s/down.sh"; done
exit 0
