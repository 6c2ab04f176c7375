#!/usr/bin/env bash
# The generator is never the bottleneck (issue 12): h2probe's attack rate on one
# connection, in the same run as h2load's request rate on one connection.
#
#   ci/bench/stress-rate.sh [URL…]   (default: nghttpd and h2o of ci/servers/targets.tsv,
#                                     http://127.0.0.1:19003/ and http://127.0.0.1:19005/)
#
# Rows: the discarding sink (`h2probe serve-vulnerable --sink`, started here on a free
# port and stopped by its PID), then each URL. Columns: Rapid Reset HEADERS+RST_STREAM
# pairs/s and empty-DATA frames/s as `h2probe stress` reports them (its last run, from the
# JSON report: units written / time writing), the reaction that ended the run if any, and
# h2load's requests/s (`-c 1 -m 100`, one connection). Bounds: --attack-size (default
# 1 000 000) units per run, 256 MiB and --max-seconds 20 per run; h2load 200 000 requests;
# every command under `timeout 300`.
#
# The bar: ≥ 500 000 pairs/s against the sink, and against each server at least h2load's
# rate. Exit status 0 when met, 1 when not, 2 when something could not run.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
size=${BENCH_ATTACK_SIZE:-1000000}
for tool in jq timeout; do
    command -v "$tool" >/dev/null || { echo "stress-rate: $tool is needed" >&2; exit 2; }
done
if ! command -v h2load >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        (apt-get update -qq && apt-get install -y -qq nghttp2-client) >/dev/null || { echo "stress-rate: could not install nghttp2-client" >&2; exit 2; }
    else
        echo "stress-rate: h2load is needed (Debian: apt-get install nghttp2-client)" >&2
        exit 2
    fi
fi
cargo build --release --locked --bin h2probe >&2
h2probe=$root/target/release/h2probe
work=$(mktemp -d)
sink_pid=
cleanup() {
    [ -n "$sink_pid" ] && kill "$sink_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

timeout 600 "$h2probe" serve-vulnerable --sink --listen 127.0.0.1:0 2>"$work/sink.log" &
sink_pid=$!
for _ in $(seq 50); do grep -q http:// "$work/sink.log" 2>/dev/null && break; sleep 0.1; done
sink=$(grep -o 'http://[0-9.:]*/' "$work/sink.log" | head -1)
[ -n "$sink" ] || { echo "stress-rate: the sink did not start" >&2; exit 2; }

# rate URL CASE → "units/s<TAB>reaction"
rate() {
    local json=$work/r.json
    rm -f "$json"
    timeout 300 "$h2probe" stress "$1" "rfc9113/10.5/$2" --attack-size "$size" --max-frames 10000000 --max-seconds 20 --json "$json" >/dev/null 2>&1 || true
    [ -s "$json" ] || { printf 'n/a\tdid not run'; return; }
    jq -r '.results[0].harm.runs | last | "\((.units * 1000000 / ([.send_us, 1] | max)) | floor)\t\(.reaction // "none")"' "$json"
}
h2load_rate() {
    timeout 300 h2load -n 200000 -c 1 -m 100 "$1" 2>/dev/null | awk '/^finished in/ {for (i = 1; i <= NF; i++) if ($(i+1) ~ /^req\/s/) {print int($i); exit}}'
}

status=0
printf '%-28s %14s %-40s %14s %14s\n' target 'pairs/s' 'reaction' 'empty DATA/s' 'h2load req/s'
urls=("$sink")
if [ $# -gt 0 ]; then urls+=("$@"); else urls+=(http://127.0.0.1:19003/ http://127.0.0.1:19005/); fi
for url in "${urls[@]}"; do
    IFS=$'\t' read -r pairs reaction < <(rate "$url" rapid-reset)
    IFS=$'\t' read -r data _ < <(rate "$url" empty-data-flood)
    if [ "$url" = "$sink" ]; then
        load=-
        label="sink ($url)"
        [ "$pairs" != n/a ] && [ "$pairs" -ge 500000 ] || { echo "stress-rate: below 500 000 pairs/s against the sink" >&2; status=1; }
    else
        load=$(h2load_rate "$url")
        label=$url
        [ -n "$load" ] || load=n/a
        if [ "$load" != n/a ] && [ "$pairs" != n/a ] && [ "$pairs" -lt "$load" ]; then
            echo "stress-rate: $url: $pairs pairs/s is below h2load's $load req/s" >&2
            status=1
        fi
    fi
    printf '%-28s %14s %-40.40s %14s %14s\n' "$label" "$pairs" "$reaction" "$data" "$load"
done
exit $status
