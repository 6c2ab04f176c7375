#!/usr/bin/env bash
# nghttpd (nghttp2's server): one process for h2c, one for TLS. Reads POST bodies.
. "$(dirname "$0")/../lib.sh"
prepare
start nghttpd-h2c nghttpd --no-tls --address=127.0.0.1 -d "$WWW" "$(port_of nghttpd http)"
start nghttpd-tls nghttpd --address=127.0.0.1 -d "$WWW" "$(port_of nghttpd https)" "$TLS/key.pem" "$TLS/cert.pem"
