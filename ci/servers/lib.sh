# Shared helpers for the server scripts: state under $H2PROBE_STATE, PID files, waits.
# Every server binds 127.0.0.1 only; only PIDs recorded here are ever signalled.
H2PROBE_STATE=${H2PROBE_STATE:-/tmp/h2probe-servers}
RUN=$H2PROBE_STATE/run
LOGS=$H2PROBE_STATE/logs
WWW=$H2PROBE_STATE/www
TLS=$H2PROBE_STATE/tls
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

port_of() { awk -v n="$1" -v s="$2" '$1 == n && $2 == s {print $3}' "$HERE/targets.tsv"; }

prepare() {
    mkdir -p "$RUN" "$LOGS" "$WWW" "$TLS"
    if [ ! -s "$TLS/cert.pem" ]; then
        openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=localhost \
            -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
            -keyout "$TLS/key.pem" -out "$TLS/cert.pem" >/dev/null 2>&1
    fi
    if [ ! -s "$WWW/index.html" ]; then
        # ~1 KB page, and a 256 KiB file for flow-control work.
        { echo '<!doctype html><title>h2probe target</title>'
          for i in $(seq 1 20); do echo "<p>line $i: the quick brown fox jumps over the lazy dog</p>"; done; } > "$WWW/index.html"
        head -c 262144 /dev/zero | tr '\0' 'x' > "$WWW/big.bin"
    fi
    chmod -R a+rX "$H2PROBE_STATE"
}

# start NAME CMD… — runs CMD in its own session, records its PID.
start() {
    local name=$1; shift
    if [ -s "$RUN/$name.pid" ] && kill -0 "$(cat "$RUN/$name.pid")" 2>/dev/null; then return 0; fi
    setsid "$@" > "$LOGS/$name.log" 2>&1 < /dev/null &
    echo $! > "$RUN/$name.pid"
}

# stop NAME — TERM the recorded process group, wait up to 10 s, then KILL it.
stop() {
    local pf=$RUN/$1.pid pid
    [ -s "$pf" ] || return 0
    pid=$(cat "$pf")
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
        for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL -- "-$pid" 2>/dev/null || true
    fi
    rm -f "$pf"
}

wait_port() {
    for _ in $(seq 150); do
        (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}
