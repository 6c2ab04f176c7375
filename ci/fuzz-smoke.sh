#!/usr/bin/env bash
# Smoke-runs every cargo-fuzz target of fuzz/ for H2PROBE_FUZZ_SECONDS (default 30) each,
# starting from a temporary copy of the committed seed corpus (so CI never grows the repo),
# prints exec/s per target, and exits non-zero on a crash, leak, timeout or OOM, naming the
# artifact (fuzz/artifacts/<target>/…) and the command that reproduces it.
#
# Stable toolchain with the sanitizer off by default; H2PROBE_FUZZ_ASAN=1 builds with the
# address sanitizer (nightly flags on stable via RUSTC_BOOTSTRAP=1). Debug assertions and
# overflow checks are on either way. Total time: one build + targets × (seconds + ~5 s).
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

secs=${H2PROBE_FUZZ_SECONDS:-30}
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz-smoke: installing cargo-fuzz" >&2
    cargo install --locked cargo-fuzz
fi
if [ "${H2PROBE_FUZZ_ASAN:-0}" = 1 ]; then
    export RUSTC_BOOTSTRAP=1
    flags=(-s address -O -a)
else
    flags=(-s none -O -a)
fi

cargo fuzz build "${flags[@]}"
targets=$(cargo fuzz list)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

failed=()
for t in $targets; do
    mkdir -p "$work/corpus/$t"
    if [ -d "corpus/$t" ]; then cp -R "corpus/$t/." "$work/corpus/$t/"; fi
    log="$work/$t.log"
    # -timeout: one input may take at most 10 s; `timeout` bounds the whole run whatever happens.
    if timeout -k 10 $((secs + 120)) cargo fuzz run "${flags[@]}" "$t" "$work/corpus/$t" -- \
        -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1; then
        runs=$(awk '/^stat::number_of_executed_units:/ {print $2}' "$log")
        rate=$(awk '/^stat::average_exec_per_sec:/ {print $2}' "$log")
        cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -n 1 | cut -d' ' -f2)
        printf 'fuzz %-16s ok  %8s exec/s  %10s runs in %ss  cov %s  corpus %s -> %s\n' \
            "$t" "${rate:-?}" "${runs:-?}" "$secs" "${cov:-?}" \
            "$(find "corpus/$t" -type f 2>/dev/null | wc -l)" "$(find "$work/corpus/$t" -type f | wc -l)"
    else
        failed+=("$t")
        echo "fuzz $t: FAILED" >&2
        tail -n 60 "$log" >&2
        artifact=$(grep -oE 'fuzz/artifacts/[^ ]+' "$log" | tail -n 1 || true)
        if [ -n "$artifact" ]; then
            echo "fuzz $t: artifact $artifact" >&2
            echo "reproduce: (cd fuzz && cargo fuzz run ${flags[*]} $t ${artifact#fuzz/})" >&2
        else
            echo "fuzz $t: no artifact (build failure or time-out of the whole run); log above" >&2
        fi
    fi
done

if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz-smoke: FAILED: ${failed[*]}" >&2
    exit 1
fi
echo "fuzz-smoke: $(echo "$targets" | wc -w) targets ok, ${secs}s each"
