#!/usr/bin/env bash
# Speed bar: h2probe's full default suite must take no more wall time than httpwg-cli
# (the loona project's HTTP/2 conformance tester, 107 cases) against the same server.
#
#   ci/bench/suite-vs-httpwg.sh [-n RUNS]        (default 10; env BENCH_RUNS too)
#
# Against nginx and nghttpd over h2c (ports from ci/servers/targets.tsv). Servers already
# listening there are used as they are; closed ports get their server started here under a
# private H2PROBE_STATE, stopped by its recorded PID on exit. httpwg-cli is installed with
# cargo into target/bench-tools once. Each server: one warm-up run per tool (its results give
# the pass/fail counts and how each h2probe verdict was decided), then RUNS rounds, each
# timing both tools back to back in alternating order so that drift hits both alike. Timing
# uses hyperfine (installed from Debian when missing) or, failing that or with BENCH_TIMER=bash,
# bash's EPOCHREALTIME.
#
# Exit status: 0 when h2probe's mean is at most httpwg-cli's on every server, 1 when not,
# 2 when something could not run. Wall time only is compared: the two suites differ in cases
# and in how they judge, so their pass counts are printed for context, not compared.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

runs=${BENCH_RUNS:-10}
use_hyperfine=1
[ "${BENCH_TIMER:-}" = bash ] && use_hyperfine=0
while [ $# -gt 0 ]; do
    case $1 in
        -n|--runs) runs=${2:?"-n needs a number"}; shift 2 ;;
        -h|--help) awk 'NR > 1 && /^#/ {sub(/^# ?/, ""); print; next} NR > 1 {exit}' "$0"; exit 0 ;;
        *) echo "suite-vs-httpwg: unknown argument: $1" >&2; exit 2 ;;
    esac
done
case $runs in ''|*[!0-9]*|0) echo "suite-vs-httpwg: RUNS must be a positive integer, not '$runs'" >&2; exit 2 ;; esac

HTTPWG_VERSION=0.2.5
tools=$root/target/bench-tools
httpwg=$tools/bin/httpwg
h2probe=$root/target/release/h2probe
servers=(nginx nghttpd)

tmp=$(mktemp -d /tmp/h2probe-bench.XXXXXX)
state=""
started=()
cleanup() {
    if [ ${#started[@]} -gt 0 ]; then
        H2PROBE_STATE=$state ci/servers/down.sh "${started[@]}" >/dev/null 2>&1 || true
        rm -rf "$state"
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_of() { awk -v n="$1" '$1 == n && $2 == "http" {print $3}' ci/servers/targets.tsv; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
strip_ansi() { sed 's/\x1b\[[0-9;]*m//g'; }

echo "== tools"
if [ ! -x "$httpwg" ]; then
    echo "installing httpwg-cli $HTTPWG_VERSION into $tools (once)"
    cargo install httpwg-cli --version "$HTTPWG_VERSION" --locked --root "$tools" --quiet
fi
cargo build --release --locked --quiet --bin h2probe
if [ $use_hyperfine = 1 ] && ! command -v hyperfine >/dev/null && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    { apt-get -o DPkg::Lock::Timeout=300 update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq hyperfine; } >/dev/null 2>&1 ||
        echo "hyperfine could not be installed; timing with bash's EPOCHREALTIME"
fi
command -v hyperfine >/dev/null || use_hyperfine=0
if [ $use_hyperfine = 1 ]; then timer="$(hyperfine --version)"; else timer="bash EPOCHREALTIME"; fi
echo "h2probe $("$h2probe" --version | awk '{print $2}'), httpwg-cli $HTTPWG_VERSION, timer: $timer"

echo "== servers"
for s in "${servers[@]}"; do port_open "$(port_of "$s")" || started+=("$s"); done
if [ ${#started[@]} -gt 0 ]; then
    state=$tmp/servers
    export H2PROBE_STATE=$state
    ci/servers/install.sh "${started[@]}"
    ci/servers/up.sh "${started[@]}" >/dev/null
    unset H2PROBE_STATE
fi
for s in "${servers[@]}"; do
    case $s in
        nginx) version=$(nginx -v 2>&1 | sed 's|.*nginx/||') ;;
        nghttpd) version=$(nghttpd --version 2>&1 | sed 's|.*nghttp2/||') ;;
    esac
    how=$([[ " ${started[*]} " == *" $s "* ]] && echo "started here" || echo "already running")
    echo "$s $version on 127.0.0.1:$(port_of "$s") (h2c), $how"
done

# time_pair OUT CMD_A CMD_B: appends "seconds" of A then of B to OUT.a / OUT.b.
time_pair() {
    local out=$1 a=$2 b=$3
    if [ $use_hyperfine = 1 ]; then
        # -N: no shell in between; -i: both tools exit 1 when a case fails, which is expected.
        hyperfine -N -i --runs 1 --style none --export-json "$tmp/round.json" -- "$a" "$b" >/dev/null 2>&1
        grep -o '"mean": *[0-9.e+-]*' "$tmp/round.json" | awk '{print $2}' > "$tmp/round.txt"
        sed -n 1p "$tmp/round.txt" >> "$out.a"
        sed -n 2p "$tmp/round.txt" >> "$out.b"
    else
        local t0 t1
        t0=$EPOCHREALTIME; $a >/dev/null 2>&1 || true; t1=$EPOCHREALTIME
        echo "$t1 $t0" | awk '{printf "%.6f\n", $1 - $2}' >> "$out.a"
        t0=$EPOCHREALTIME; $b >/dev/null 2>&1 || true; t1=$EPOCHREALTIME
        echo "$t1 $t0" | awk '{printf "%.6f\n", $1 - $2}' >> "$out.b"
    fi
}

# stats FILE: "mean sd min" in seconds (sample standard deviation).
stats() {
    awk '{x[NR]=$1; s+=$1; if (NR==1 || $1<m) m=$1}
         END {mu=s/NR; for (i=1;i<=NR;i++) v+=(x[i]-mu)^2; sd=(NR>1)?sqrt(v/(NR-1)):0; printf "%.4f %.4f %.4f\n", mu, sd, m}' "$1"
}

# decided OUT.json: how h2probe's verdicts were reached, and the cases a deadline decided.
decided() {
    awk '/^ *"id": "/ {id=$2; gsub(/[",]/, "", id)}
         /^ *"status": "/ {st=$2; gsub(/[",]/, "", st)}
         /^ *"decided_by": "/ {d=$2; gsub(/[",]/, "", d); n[d]++; if (d=="deadline") late=late "\n    " id " (" st ")"}
         END {printf "event %d, fence %d, deadline %d, setup %d", n["event"], n["fence"], n["deadline"], n["setup"]; printf "%s\n", late}' "$1"
}

rc=0
table=$tmp/table
declare -A timeouts
for s in "${servers[@]}"; do
    port=$(port_of "$s")
    url="http://127.0.0.1:$port/"
    echo "== $s ($url)"
    # Warm-up runs, kept for their results.
    "$h2probe" conform "$url" --json "$tmp/$s.json" > "$tmp/$s.h2probe.txt" 2>&1 || true
    set +e
    "$httpwg" -a "127.0.0.1:$port" > "$tmp/$s.httpwg.txt" 2>&1
    hw_rc=$?
    set -e
    h2p_counts=$(tail -n 1 "$tmp/$s.h2probe.txt" | sed 's/ in [0-9.]* s$//')
    hw_passed=$(strip_ansi < "$tmp/$s.httpwg.txt" | sed -n 's/.*Passed \([0-9]*\/[0-9]*\) tests.*/\1/p' | tail -n 1)
    if [ ! -s "$tmp/$s.json" ]; then
        echo "h2probe did not run against $s:" >&2; tail -n 20 "$tmp/$s.h2probe.txt" >&2; exit 2
    fi
    if [ -z "$hw_passed" ] || [ $hw_rc -gt 1 ]; then
        echo "httpwg-cli did not run against $s (exit $hw_rc):" >&2; strip_ansi < "$tmp/$s.httpwg.txt" | tail -n 20 >&2; exit 2
    fi
    echo "h2probe:    $h2p_counts (of $(grep -c '"decided_by"' "$tmp/$s.json") cases)"
    echo "httpwg-cli: $hw_passed passed"
    how=$(decided "$tmp/$s.json")
    echo "h2probe verdicts decided by: $how"
    timeouts[$s]=$(echo "$how" | head -n 1 | sed 's/.*deadline \([0-9]*\).*/\1/')

    rm -f "$tmp/$s.t.a" "$tmp/$s.t.b"
    for i in $(seq "$runs"); do
        if [ $((i % 2)) = 1 ]; then
            time_pair "$tmp/$s.t" "$h2probe conform $url" "$httpwg -a 127.0.0.1:$port"
        else
            time_pair "$tmp/$s.swap" "$httpwg -a 127.0.0.1:$port" "$h2probe conform $url"
        fi
    done
    cat "$tmp/$s.swap.b" >> "$tmp/$s.t.a" 2>/dev/null || true
    cat "$tmp/$s.swap.a" >> "$tmp/$s.t.b" 2>/dev/null || true
    read -r am asd amin < <(stats "$tmp/$s.t.a")
    read -r bm bsd bmin < <(stats "$tmp/$s.t.b")
    ratio=$(awk -v a="$am" -v b="$bm" 'BEGIN {printf "%.2f", a/b}')
    ok=$(awk -v a="$am" -v b="$bm" 'BEGIN {print (a <= b) ? "yes" : "NO"}')
    [ "$ok" = yes ] || rc=1
    printf '| %s | %s ± %s s | %s s | %s | %s ± %s s | %s s | %s | %s | %s |\n' \
        "$s" "$am" "$asd" "$amin" "$h2p_counts" "$bm" "$bsd" "$bmin" "$hw_passed" "$ratio" "$ok" >> "$table"
done

echo
echo "== wall time of the full default suite, h2c, $runs runs each, alternating ($(date -u +%Y-%m-%d), $(nproc) cores)"
echo "| server | h2probe mean ± sd | h2probe min | h2probe verdicts | httpwg-cli mean ± sd | httpwg-cli min | httpwg-cli passed | h2probe / httpwg | bar met |"
echo "|---|---|---|---|---|---|---|---|---|"
cat "$table"
echo
for s in "${servers[@]}"; do echo "$s: h2probe verdicts decided by waiting out a deadline: ${timeouts[$s]}"; done
if [ $rc = 0 ]; then echo "bar met: h2probe's mean is at most httpwg-cli's on every server"; else echo "bar NOT met: h2probe's mean exceeds httpwg-cli's on a server" >&2; fi
exit $rc
