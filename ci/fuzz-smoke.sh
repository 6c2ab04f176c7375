#!/usr/bin/env bash
# Runs every cargo-fuzz target of fuzz/ for a bounded time (H2PROBE_FUZZ_SECONDS, default 30)
# from a copy of the committed seed corpus, prints exec/s per target, and fails on a crash,
# naming the artifact (fuzz/artifacts/<target>/…) and how to reproduce it.
# Stable toolchain, sanitizer off by default; H2PROBE_FUZZ_ASAN=1 uses the address sanitizer
# (via RUSTC_BOOTSTRAP=1).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${H2PROBE_FUZZ_SECONDS:-30}
cargo fuzz --version >/dev/null 2>&1 || cargo install --locked cargo-fuzz
if [ "${H2PROBE_FUZZ_ASAN:-0}" = 1 ]; then
    export RUSTC_BOOTSTRAP=1; san=(-s address)
else
    san=(-s none)
fi
targets=$(cd fuzz && cargo fuzz list)
(cd fuzz && cargo fuzz build "${san[@]}" -O)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for t in $targets; do
    mkdir -p "$work/$t"
    [ -d "fuzz/corpus/$t" ] && cp -r "fuzz/corpus/$t/." "$work/$t/"
    log="$work/$t.log"
    if (cd fuzz && cargo fuzz run "${san[@]}" -O "$t" "$work/$t" -- -max_total_time="$secs" -rss_limit_mb=2048 -print_final_stats=1) > "$log" 2>&1; then
        execs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}')
        echo "fuzz $t: ok, ${execs:-?} runs in ${secs}s ($(( ${execs:-0} / secs )) exec/s)"
    else
        status=1
        echo "fuzz $t: CRASH" >&2
        tail -n 40 "$log" >&2
        artifact=$(grep -oE 'fuzz/artifacts/[^ ]+|artifacts/[^ ]+' "$log" | tail -n 1)
        echo "artifact: fuzz/${artifact#fuzz/} — reproduce with: (cd fuzz && cargo fuzz run ${san[*]} $t ${artifact#fuzz/})" >&2
    fi
done
exit $status
