#!/usr/bin/env bash
# Starts the named servers (default: all in targets.tsv) on 127.0.0.1, waits for every port,
# and checks each speaks HTTP/2 (h2c prior knowledge, or TLS with ALPN h2).
set -uo pipefail
. "$(dirname "$0")/lib.sh"
servers=${*:-$(awk '!/^#/ && NF {print $1}' "$HERE/targets.tsv" | sort -u)}
rc=0
for s in $servers; do
    if [ ! -x "$HERE/$s/up.sh" ]; then echo "unknown server: $s" >&2; rc=1; continue; fi
    "$HERE/$s/up.sh" || rc=1
done
for s in $servers; do
    echo "$s: $(version_of "$s")"
    for scheme in http https; do
        port=$(port_of "$s" "$scheme"); [ -n "$port" ] || continue
        if ! wait_port "$port"; then
            echo "$s $scheme: port $port did not open; $(process_state "$s"); log:" >&2
            tail -n 20 "$LOGS/$s"*.log >&2 2>/dev/null
            rc=1; continue
        fi
        if [ "$scheme" = http ]; then
            check=$(curl -s -o /dev/null -w '%{http_version} %{http_code}' --http2-prior-knowledge "http://127.0.0.1:$port/" || true)
        else
            check=$(curl -sk -o /dev/null -w '%{http_version} %{http_code}' --http2 "https://127.0.0.1:$port/" || true)
        fi
        echo "$s $scheme 127.0.0.1:$port: HTTP/$check"
        case "$check" in 2\ 200) ;; *) echo "$s $scheme: does not answer GET / over HTTP/2" >&2; rc=1 ;; esac
    done
done
exit $rc
