#!/usr/bin/env bash
# hyper (Rust hyper + h2 crates): `h2probe serve-demo`, the server `h2probe demo` embeds,
# on fixed ports: h2c prior knowledge, and TLS via rustls with ALPN h2. Built if needed (lib.sh h2probe_bin).
. "$(dirname "$0")/../lib.sh"
prepare
bin=$(h2probe_bin) || { echo "hyper: cannot build target/release/h2probe" >&2; exit 1; }
start hyper "$bin" serve-demo --listen "127.0.0.1:$(port_of hyper http)" \
    --tls-listen "127.0.0.1:$(port_of hyper https)" --cert "$TLS/cert.pem" --key "$TLS/key.pem"
