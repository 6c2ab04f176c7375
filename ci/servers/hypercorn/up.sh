#!/usr/bin/env bash
# hypercorn (Python h2) with our ASGI app: one process (--workers 0, no supervisor) serving
# h2c prior knowledge on --insecure-bind and TLS (ALPN h2) on --bind.
. "$(dirname "$0")/../lib.sh"
prepare
py=$(python_with hypercorn) || { echo "hypercorn: not installed (ci/servers/install.sh hypercorn)" >&2; exit 1; }
# PYTHONDONTWRITEBYTECODE: no __pycache__ left in the repository next to app.py.
start hypercorn env H2PROBE_WWW="$WWW" PYTHONDONTWRITEBYTECODE=1 "$py" -m hypercorn --config "$HERE/hypercorn/hypercorn.toml" --workers 0 \
    --certfile "$TLS/cert.pem" --keyfile "$TLS/key.pem" \
    --bind "127.0.0.1:$(port_of hypercorn https)" --insecure-bind "127.0.0.1:$(port_of hypercorn http)" \
    "$HERE/hypercorn/app.py:app"
