#!/usr/bin/env bash
# nginx: h2c (prior knowledge) and TLS in one server block; one worker.
. "$(dirname "$0")/../lib.sh"
prepare
mkdir -p "$H2PROBE_STATE/nginx"
cat > "$H2PROBE_STATE/nginx/nginx.conf" <<CONF
daemon off;
master_process on;
worker_processes 1;
pid $H2PROBE_STATE/nginx/nginx.pid;
error_log $LOGS/nginx.error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    # nginx sends GOAWAY after 1000 streams on a connection by default.
    keepalive_requests 1000000;
    client_body_temp_path $H2PROBE_STATE/nginx/body;
    proxy_temp_path $H2PROBE_STATE/nginx/proxy;
    fastcgi_temp_path $H2PROBE_STATE/nginx/fastcgi;
    uwsgi_temp_path $H2PROBE_STATE/nginx/uwsgi;
    scgi_temp_path $H2PROBE_STATE/nginx/scgi;
    server {
        listen 127.0.0.1:$(port_of nginx http) http2;
        listen 127.0.0.1:$(port_of nginx https) ssl http2;
        ssl_certificate $TLS/cert.pem;
        ssl_certificate_key $TLS/key.pem;
        root $WWW;
        location / {
            # Static files answer POST with 405: serve the file instead (an internal GET),
            # for POST only, so other methods keep nginx's own answers (CONNECT, DELETE …).
            if (\$request_method = POST) { error_page 405 =200 \$uri; }
        }
    }
}
CONF
start nginx nginx -p "$H2PROBE_STATE/nginx" -c "$H2PROBE_STATE/nginx/nginx.conf" -g "user root;"
