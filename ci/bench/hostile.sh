#!/usr/bin/env bash
# Hostile servers: the full default suite (`h2probe conform`) against each mode of the
# hostile-server fixture (harness/tests/support/hostile.rs, served by the hostile_server
# example on 127.0.0.1), with peak RSS and wall time from /usr/bin/time -v, and each case's
# duration against its deadline (runner::case_deadline, as `hostile_server --deadlines`
# prints it at the same --timeout).
#
#   ci/bench/hostile.sh [MODE…]        (default: every mode; env BENCH_TIMEOUT_MS, default 500)
#
# With BENCH_STRESS=1 a second table follows: `h2probe stress` (the seven floods, at their
# default bounds: 10 000 frames, 5 s) against each mode, each flood against its deadline
# (flood::deadline).
#
# The bar (issue 15): every mode under 64 MiB peak RSS, and no case longer than its deadline
# plus 1 s. Exit status: 0 when every mode meets it, 1 when one does not, 2 when something
# could not run. Each server is started on its own port from 19600 up, for at most 900 s,
# and stopped by its recorded PID on exit; each run is bounded by `timeout 900`.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

timeout_ms=${BENCH_TIMEOUT_MS:-500}
case $timeout_ms in ''|*[!0-9]*|0) echo "hostile: BENCH_TIMEOUT_MS must be a positive integer, not '$timeout_ms'" >&2; exit 2 ;; esac
case ${1:-} in -h|--help) awk 'NR > 1 && /^#/ {sub(/^# ?/, ""); print; next} NR > 1 {exit}' "$0"; exit 0 ;; esac
for tool in jq timeout; do
    command -v "$tool" >/dev/null || { echo "hostile: $tool is needed" >&2; exit 2; }
done
if [ ! -x /usr/bin/time ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get install -y -qq time >/dev/null || { echo "hostile: could not install time" >&2; exit 2; }
    else
        echo "hostile: /usr/bin/time is needed (Debian: apt-get install time)" >&2
        exit 2
    fi
fi

cargo build --release --locked --bin h2probe >&2
cargo build --release --locked -p h2probe-harness --example hostile_server >&2
h2probe=$root/target/release/h2probe
server=$root/target/release/examples/hostile_server

work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

if [ $# -gt 0 ]; then modes=("$@"); else mapfile -t modes < <("$server" --list); fi
"$server" --deadlines "$timeout_ms" >"$work/deadlines"
jq -R -n '[inputs | split(" ") | {(.[0]): (.[1] | tonumber)}] | add' <"$work/deadlines" >"$work/deadlines.json"

# Seconds from /usr/bin/time's "h:mm:ss" or "m:ss.ss".
seconds() { awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.2f", s }'; }

# table COMMAND TITLE: one run of `h2probe COMMAND` per mode, and its table row.
bad=0
port=19600
table() {
    local command=$1
    echo "$2"
    echo
    echo "| mode | peak RSS | wall time | cases | slowest case / its deadline | cases over deadline + 1 s | JSON report | exit |"
    echo "|---|---:|---:|---:|---|---:|---:|---:|"
    for mode in "${modes[@]}"; do
        port=$((port + 1))
        "$server" "$mode" "$port" 900 &
        local pid=$!
        pids+=("$pid")
        for _ in $(seq 50); do
            (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
            sleep 0.1
        done
        local rc=0 out=$work/$command-$mode
        timeout 900 /usr/bin/time -v -o "$out.time" \
            "$h2probe" "$command" "http://127.0.0.1:$port/" --timeout "${timeout_ms}ms" --json "$out.json" -q \
            >/dev/null 2>"$out.err" || rc=$?
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        local rss_kib wall
        rss_kib=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$out.time")
        wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$out.time" | seconds)
        if [ ! -s "$out.json" ]; then
            echo "| $mode | $((rss_kib / 1024)) MiB | $wall s | — | no report ($(head -c 200 "$out.err" | tr '\n|' '  ')) | — | — | $rc |"
            bad=1
            continue
        fi
        local summary cases slowest over size
        summary=$(jq --slurpfile d "$work/deadlines.json" -r '
            [.results[] | select($d[0][.info.id] != null) | {id: .info.id, ms: .duration_ms, deadline: $d[0][.info.id]}] as $r
            | ($r | max_by(.ms)) as $slow
            | [($r | length),
               "\($slow.ms) ms / \($slow.deadline) ms (\($slow.id))",
               ([$r[] | select(.ms > .deadline + 1000)] | length)] | @tsv' "$out.json")
        IFS=$'\t' read -r cases slowest over <<<"$summary"
        size=$(stat -c %s "$out.json")
        echo "| $mode | $(awk -v k="$rss_kib" 'BEGIN {printf "%.1f", k / 1024}') MiB | $wall s | $cases | $slowest | $over | $((size / 1024)) KiB | $rc |"
        if [ "$rss_kib" -ge $((64 * 1024)) ] || [ "$over" != 0 ] || [ "$rc" -gt 2 ]; then bad=1; fi
    done
    echo
}

table conform "h2probe conform against each hostile mode: --timeout ${timeout_ms}ms, default selection, --jobs 8; $(nproc) cores, $(date -u +%F)"
if [ "${BENCH_STRESS:-}" = 1 ]; then
    table stress "h2probe stress against each hostile mode: --timeout ${timeout_ms}ms, the seven floods at 10 000 frames / 5 s"
fi
exit $bad
