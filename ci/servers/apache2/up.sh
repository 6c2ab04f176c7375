#!/usr/bin/env bash
# Apache httpd with mod_http2, in the foreground (-DFOREGROUND): event MPM, one child with 128
# threads. Clear port: `Protocols h2c` + `H2Direct on` (prior knowledge); TLS: ALPN h2.
# Modules come from the apache2-bin package's directory (found with dpkg -L, or APACHE_MODDIR=),
# so nothing under /etc/apache2 is read. The static handler answers POST with the file.
. "$(dirname "$0")/../lib.sh"
prepare
dir=$H2PROBE_STATE/apache2
mkdir -p "$dir"
moddir=${APACHE_MODDIR:-$(dirname "$(dpkg -L apache2-bin 2>/dev/null | grep '/mod_http2\.so$' | head -n 1)")}
[ -f "$moddir/mod_http2.so" ] || { echo "apache2: mod_http2.so not found (set APACHE_MODDIR)" >&2; exit 1; }
printf 'text/html\thtml\napplication/octet-stream\tbin\n' > "$dir/mime.types"
http=$(port_of apache2 http) https=$(port_of apache2 https)
cat > "$dir/apache2.conf" <<CONF
ServerRoot "$dir"
LoadModule mpm_event_module $moddir/mod_mpm_event.so
LoadModule authz_core_module $moddir/mod_authz_core.so
LoadModule mime_module $moddir/mod_mime.so
LoadModule dir_module $moddir/mod_dir.so
LoadModule ssl_module $moddir/mod_ssl.so
LoadModule http2_module $moddir/mod_http2.so
ServerName localhost
User www-data
Group www-data
PidFile $dir/apache2.pid
Mutex file:$dir
DefaultRuntimeDir $dir
ErrorLog $LOGS/apache2.error.log
LogLevel warn
TypesConfig $dir/mime.types
SSLSessionCache none
StartServers 1
ServerLimit 1
# Room for every connection of a parallel run: with few free workers mod_http2 ends idle
# connections early (GOAWAY NO_ERROR "timeout"), which lands in the middle of cases.
ThreadLimit 128
ThreadsPerChild 128
MaxRequestWorkers 128
MinSpareThreads 1
MaxSpareThreads 128
# Unlimited requests per connection, like the other targets (the default is 100).
MaxKeepAliveRequests 0
Listen 127.0.0.1:$http
Listen 127.0.0.1:$https
DocumentRoot "$WWW"
DirectoryIndex index.html
<Directory "$WWW">
    Require all granted
</Directory>
<VirtualHost 127.0.0.1:$http>
    Protocols h2c http/1.1
    H2Direct on
</VirtualHost>
<VirtualHost 127.0.0.1:$https>
    Protocols h2 http/1.1
    SSLEngine on
    SSLCertificateFile $TLS/cert.pem
    SSLCertificateKeyFile $TLS/key.pem
</VirtualHost>
CONF
start apache2 apache2 -f "$dir/apache2.conf" -DFOREGROUND
