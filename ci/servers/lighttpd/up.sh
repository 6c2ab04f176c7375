#!/usr/bin/env bash
# lighttpd in the foreground (-D): HTTP/2 is in its core (server.h2proto, with h2c prior
# knowledge on the clear port); TLS through mod_openssl (package lighttpd-mod-openssl).
# It drops to www-data after binding. The static handler answers POST with the file.
. "$(dirname "$0")/../lib.sh"
prepare
mkdir -p "$H2PROBE_STATE/lighttpd"
cat > "$H2PROBE_STATE/lighttpd/lighttpd.conf" <<CONF
server.modules = ( "mod_openssl" )
server.bind = "127.0.0.1"
server.port = $(port_of lighttpd http)
server.document-root = "$WWW"
server.username = "www-data"
server.groupname = "www-data"
index-file.names = ( "index.html" )
mimetype.assign = ( ".html" => "text/html", ".bin" => "application/octet-stream" )
# On by default since 1.4.59; stated so the target does not depend on that default.
server.feature-flags += ( "server.h2proto" => "enable", "server.h2c" => "enable" )
\$SERVER["socket"] == "127.0.0.1:$(port_of lighttpd https)" {
    ssl.engine = "enable"
    ssl.pemfile = "$TLS/cert.pem"
    ssl.privkey = "$TLS/key.pem"
}
CONF
start lighttpd lighttpd -D -f "$H2PROBE_STATE/lighttpd/lighttpd.conf"
