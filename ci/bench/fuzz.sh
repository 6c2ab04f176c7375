#!/usr/bin/env bash
# Inputs per second of `h2probe fuzz`: against nghttpd (every oracle: handshake, input, PING
# fence, judge, passive checks, liveness GET every 100 inputs) and against a discarding sink
# (the generator, mutators and sender alone: `--send-only` writes each input on a fresh
# connection and reads nothing), at one connection and at several. Prints a Markdown table.
#
#   ci/bench/fuzz.sh [-n INPUTS] [-j "1 8"] [-p NGHTTPD_PORT]
#
# nghttpd must already listen on 127.0.0.1:19003 (ci/servers/up.sh starts it; this script
# neither starts nor stops it, and skips it when it is not there). The sink is started here on
# a free loopback port, its PID recorded, and killed on exit. Findings go to a temporary
# directory (minimising is off: the figure is the rate of inputs, not of re-runs).
set -euo pipefail
cd "$(dirname "$0")/../.."

inputs=20000
jobs="1 8"
nghttpd_port=19003
while getopts "n:j:p:" opt; do
    case $opt in
        n) inputs=$OPTARG ;;
        j) jobs=$OPTARG ;;
        p) nghttpd_port=$OPTARG ;;
        *) echo "usage: $0 [-n INPUTS] [-j \"1 8\"] [-p NGHTTPD_PORT]" >&2; exit 2 ;;
    esac
done

cargo build --release --locked --quiet
h2probe=target/release/h2probe
work=$(mktemp -d)
sink_pid=
cleanup() {
    if [ -n "$sink_pid" ]; then kill "$sink_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

# The sink: accepts on loopback, reads everything, answers nothing.
python3 - "$work/sink.port" <<'PY' &
import asyncio, sys
async def handle(reader, writer):
    try:
        while await reader.read(65536):
            pass
    except Exception:
        pass
    writer.close()
async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=1024)
    with open(sys.argv[1], "w") as f:
        f.write(str(server.sockets[0].getsockname()[1]))
    async with server:
        await server.serve_forever()
asyncio.run(main())
PY
sink_pid=$!
for _ in $(seq 1 100); do [ -s "$work/sink.port" ] && break; sleep 0.05; done
sink_port=$(cat "$work/sink.port")

# One campaign; prints "inputs seconds rate" from the summary line.
run() {
    local url=$1 j=$2; shift 2
    "$h2probe" fuzz "$url" --seed 1 --max-inputs "$inputs" --max-seconds 300 --jobs "$j" --no-minimise -q \
        --findings "$work/findings-$RANDOM" "$@" 2>/dev/null \
        | awk '/inputs in/ {gsub(/[()\/s]/, " "); print $1, $4, $5}' || true
}

echo "| target | mode | --jobs | inputs | seconds | inputs/s |"
echo "|---|---|---:|---:|---:|---:|"
for j in $jobs; do
    read -r n s r <<<"$(run "http://127.0.0.1:$sink_port/" "$j" --send-only)"
    echo "| discarding sink | send only | $j | $n | $s | $r |"
done
if (exec 3<>"/dev/tcp/127.0.0.1/$nghttpd_port") 2>/dev/null; then
    for j in $jobs; do
        read -r n s r <<<"$(run "http://127.0.0.1:$nghttpd_port/" "$j")"
        echo "| nghttpd (127.0.0.1:$nghttpd_port, h2c) | all oracles | $j | $n | $s | $r |"
    done
else
    echo "| nghttpd | not running on 127.0.0.1:$nghttpd_port: skipped | | | | |"
fi
