#!/usr/bin/env bash
# run.sh NAME ARGS… — runs the wrapped client NAME (node, python, go, hyper) as built by
# install.sh, in place of this shell (exec: the PID is the client's):
#   run.sh NAME get URL | post URL FILE | multi URL…   the uniform command line (clients.tsv)
#   run.sh NAME --version                              one line naming it and its HTTP/2 code
# Exit 2 when NAME is unknown or not installed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
[ $# -ge 1 ] || { echo "usage: run.sh NAME get URL | post URL FILE | multi URL... | --version" >&2; exit 2; }
name=$1; shift
case $name in
    node) need=$(command -v node || true); cmd=(node "$CLIENTS/node/client.js") ;;
    python) need=$CLIENTS_VENV/bin/python3; cmd=("$need" "$CLIENTS/python/client.py") ;;
    go) need=$GO_BIN; cmd=("$need") ;;
    hyper) need=$HYPER_BIN; cmd=("$need") ;;
    *) echo "run.sh: no wrapped client named $name (node, python, go, hyper)" >&2; exit 2 ;;
esac
if [ -z "$need" ] || [ ! -x "$need" ]; then
    echo "run.sh: $name is not installed (${need:-node}); run ci/clients/install.sh $name" >&2
    exit 2
fi
if [ "${1:-}" = --version ]; then client_version "$name"; exit; fi
exec "${cmd[@]}" "$@"
