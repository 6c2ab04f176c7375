#!/usr/bin/env bash
# smoke.sh [NAMES…] — runs every client's get, post and multi command from clients.tsv
# (default: all clients) against one real server that is already running on 127.0.0.1
# (ci/servers/up.sh starts it; this script never starts or stops a server), over h2c and
# over TLS, the way h2probe's client mode will run them: each template filled in and run
# with `sh -c` from the repository root.
#
# The server is $H2PROBE_SMOKE_SERVER (default nghttpd), its ports from ci/servers/targets.tsv;
# it must answer GET and POST / with 200 and the docroot's index.html, as nghttpd and node do.
# Every connection goes through a counting relay (relay.py), so each run is checked for:
#   - the output (clients.tsv "output" column): `status 200 <octets>` per request, with the
#     docroot's sizes (multi: /, /big.bin, /index.html);
#   - the exit status (0);
#   - exactly one connection, also for multi (HTTP/2 multiplexing);
#   - a POST really sent the file: at least its size went from client to server.
# Known failures (below) must fail; one that passes is reported as an unexpected pass.
# Exit 0 when every run was as expected, 1 otherwise, 2 when the server is not running.
set -uo pipefail
shopt -u patsub_replacement 2>/dev/null || true
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
names=" ${*:-} "
server=${H2PROBE_SMOKE_SERVER:-nghttpd}
state=${H2PROBE_STATE:-/tmp/h2probe-servers}
www=$state/www
port_of() { awk -v n="$1" -v s="$2" '$1 == n && $2 == s {print $3}' "$ROOT/ci/servers/targets.tsv"; }
h2c_port=$(port_of "$server" http)
tls_port=$(port_of "$server" https)
open_port() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if [ -z "$h2c_port" ] || [ -z "$tls_port" ] || ! open_port "$h2c_port" || ! open_port "$tls_port"; then
    echo "smoke.sh: $server is not running on 127.0.0.1:${h2c_port:-?} and :${tls_port:-?} (start it: ci/servers/up.sh $server)" >&2
    exit 2
fi
if [ ! -s "$www/index.html" ] || [ ! -s "$www/big.bin" ]; then
    echo "smoke.sh: no docroot at $www (H2PROBE_STATE of ci/servers/lib.sh)" >&2
    exit 2
fi
size_index=$(wc -c < "$www/index.html")
size_big=$(wc -c < "$www/big.bin")

# known CLIENT COMMAND SCHEME — the reason a run is expected to fail, or nothing.
known() {
    case "$1 $2 $3" in
        "curl multi http")
            curl --version | head -n 1 | grep -q '^curl 7\.' &&
                echo "curl 7.x reuses an h2c prior-knowledge connection wrongly (error 16; curl issue 10634, fixed in 8.0.0)" ;;
    esac
    return 0
}

work=$(mktemp -d)
relay_pid=
cleanup() {
    [ -n "$relay_pid" ] && kill "$relay_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
head -c 100000 /dev/urandom > "$work/post.bin"
post_size=100000

python3 "$CLIENTS/relay.py" "$h2c_port" "$tls_port" --seconds 900 > "$work/relay.log" 2>"$work/relay.err" &
relay_pid=$!
for _ in $(seq 50); do [ -s "$work/relay.log" ] && break; sleep 0.1; done
read -r relay_h2c relay_tls < "$work/relay.log" || { echo "smoke.sh: the relay did not start: $(cat "$work/relay.err")" >&2; exit 1; }

sq() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

# fill TEMPLATE URL… — the template with {url}, {urls} and {file} replaced, quoted for sh.
fill() {
    local t=$1 u all=; shift
    for u in "$@"; do all+="${all:+ }$(sq "$u")"; done
    t=${t//\{urls\}/$all}
    t=${t//\{url\}/$(sq "$1")}
    t=${t//\{file\}/$(sq "$work/post.bin")}
    printf '%s' "$t"
}

# relay_since N — waits (≤ 3 s) until every connection opened after line N has closed, then
# prints "CONNECTIONS UP_OCTETS".
relay_since() {
    local n=$1 opens closes
    for _ in $(seq 30); do
        opens=$(tail -n +"$((n + 1))" "$work/relay.log" | grep -c '^open ')
        closes=$(tail -n +"$((n + 1))" "$work/relay.log" | grep -c '^close ')
        [ "$opens" -eq "$closes" ] && break
        sleep 0.1
    done
    tail -n +"$((n + 1))" "$work/relay.log" | awk '/^open / {c++} /^close / {u += $3} END {print c + 0, u + 0}'
}

passed=0 failed=0 known_failed=0
t_start=$SECONDS
while IFS=$'\t' read -r name _version get post multi output; do
    case $name in ''|'#'*) continue ;; esac
    [ "$names" = "  " ] || case $names in *" $name "*) ;; *) continue ;; esac
    echo "== $name: $(sh -c "$_version" 2>/dev/null || echo 'version unknown')"
    for scheme in http https; do
        if [ $scheme = http ]; then base="http://127.0.0.1:$relay_h2c"; else base="https://127.0.0.1:$relay_tls"; fi
        for cmd in get post multi; do
            case $cmd in
                get) tmpl=$get; urls=("$base/"); want=("status 200 $size_index") ;;
                post) tmpl=$post; urls=("$base/"); want=("status 200 $size_index") ;;
                multi) tmpl=$multi; urls=("$base/" "$base/big.bin" "$base/index.html")
                       want=("status 200 $size_index" "status 200 $size_big" "status 200 $size_index") ;;
            esac
            if [ "$tmpl" = - ]; then echo "  skip  $cmd $scheme: $name cannot do it"; continue; fi
            line=$(wc -l < "$work/relay.log")
            t0=$(date +%s.%N)
            timeout 20 sh -c "$(fill "$tmpl" "${urls[@]}")" > "$work/out" 2> "$work/err" < /dev/null
            rc=$?
            secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.2f", b - a}')
            read -r conns up < <(relay_since "$line")
            problems=()
            [ "$conns" -eq 1 ] || problems+=("$conns connections, not 1")
            [ "$cmd" != post ] || [ "$up" -ge "$post_size" ] || problems+=("only $up octets sent, the file has $post_size")
            case $output in
                status|curl)
                    [ "$rc" -eq 0 ] || problems+=("exit status $rc")
                    got=$(cat "$work/out")
                    expect=$(printf '%s\n' "${want[@]}")
                    if [ "$output" = curl ]; then got=$(sort <<< "$got"); expect=$(sort <<< "$expect"); fi
                    [ "$got" = "$expect" ] || problems+=("printed $(tr '\n' '|' < "$work/out"), not $(printf '%s|' "${want[@]}")") ;;
                nghttp)
                    [ "$rc" -eq 0 ] || problems+=("exit status $rc")
                    ok=$(grep -cE '\] recv \(stream_id=[0-9]+\) :status: 200$' "$work/out")
                    [ "$ok" -eq "${#urls[@]}" ] || problems+=("$ok responses with :status: 200, not ${#urls[@]}")
                    ! grep -q 'not processed' "$work/err" || problems+=("$(grep 'not processed' "$work/err")") ;;
                *) problems+=("unknown output kind $output") ;;
            esac
            reason=$(known "$name" "$cmd" "$scheme")
            detail="${problems[*]+${problems[*]}}"
            if [ ${#problems[@]} -eq 0 ] && [ -z "$reason" ]; then
                passed=$((passed + 1)); echo "  pass  $cmd $scheme (${secs} s)"
            elif [ ${#problems[@]} -gt 0 ] && [ -n "$reason" ]; then
                known_failed=$((known_failed + 1)); echo "  known $cmd $scheme (${secs} s): $reason"
            elif [ -n "$reason" ]; then
                failed=$((failed + 1)); echo "  FAIL  $cmd $scheme (${secs} s): unexpected pass; known failure was: $reason"
            else
                failed=$((failed + 1)); echo "  FAIL  $cmd $scheme (${secs} s): ${detail}"
                sed 's/^/        stderr: /' "$work/err" | head -n 5
            fi
        done
    done
done < "$CLIENTS/clients.tsv"
echo "smoke.sh: $server, $((SECONDS - t_start)) s; $known_failed known failures"
echo "clients smoke: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
