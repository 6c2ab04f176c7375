#!/usr/bin/env bash
# Node.js's built-in http2 module (its bundled nghttp2), with our server.js: h2c and TLS.
. "$(dirname "$0")/../lib.sh"
prepare
start node node "$HERE/node/server.js" "$(port_of node http)" "$(port_of node https)" "$WWW" "$TLS/cert.pem" "$TLS/key.pem"
