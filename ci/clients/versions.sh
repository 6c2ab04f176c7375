#!/usr/bin/env bash
# versions.sh [NAMES…] — prints `NAME: VERSION` for each client (default: every line of
# clients.tsv), from its version command there; for reports and CI logs.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
names=" ${*:-} "
rc=0
while IFS=$'\t' read -r name version _; do
    case $name in ''|'#'*) continue ;; esac
    [ "$names" = "  " ] || case $names in *" $name "*) ;; *) continue ;; esac
    if v=$(sh -c "$version" 2>/dev/null) && [ -n "$v" ]; then
        echo "$name: $v"
    else
        echo "$name: not installed (ci/clients/install.sh $name)"; rc=1
    fi
done < "$CLIENTS/clients.tsv"
exit $rc
