#!/usr/bin/env bash
# HAProxy as the HTTP/2 front end: on the clear bind it detects the h2 preface (prior
# knowledge), on TLS it offers ALPN h2. HAProxy serves no files: every request goes over
# HTTP/1.1 to an internal listener of the same process on 127.0.0.1:$HAPROXY_ORIGIN_PORT,
# which reads the whole body (http-buffer-request) and answers 200 with index.html.
# -db keeps it in the foreground, one process.
. "$(dirname "$0")/../lib.sh"
prepare
dir=$H2PROBE_STATE/haproxy
mkdir -p "$dir"
origin=${HAPROXY_ORIGIN_PORT:-19090}
# HAProxy wants the certificate and its key in one file.
cat "$TLS/cert.pem" "$TLS/key.pem" > "$dir/combined.pem"
chmod 600 "$dir/combined.pem"
cat > "$dir/haproxy.cfg" <<CONF
global
    log stderr format short local0 warning
    nbthread 1
    # An explicit ceiling on descriptors: with no maxconn, HAProxy sizes its tables from
    # RLIMIT_NOFILE, and on a machine where that is huge (10^9 in some containers) it spends
    # its start allocating them and never binds. 20000 is the limit the goldens were made under.
    fd-hard-limit 20000
defaults
    mode http
    log global
    timeout connect 5s
    timeout client 30s
    timeout server 30s
    timeout http-request 10s
frontend h2
    bind 127.0.0.1:$(port_of haproxy http)
    bind 127.0.0.1:$(port_of haproxy https) ssl crt $dir/combined.pem alpn h2,http/1.1
    default_backend origin
backend origin
    server origin 127.0.0.1:$origin
listen origin_h1
    bind 127.0.0.1:$origin
    option http-buffer-request
    http-request return status 200 content-type "text/html" file $WWW/index.html
CONF
start haproxy haproxy -db -f "$dir/haproxy.cfg"
