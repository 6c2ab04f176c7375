#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz build: every cargo-fuzz target of fuzz/ into $OUT, each with its
# committed seed corpus as $OUT/<target>_seed_corpus.zip. The base image's cargo wrapper
# supplies the sanitizer ($SANITIZER) and coverage flags; -a keeps overflow checks on.
cd "$SRC/h2probe/fuzz"
cargo fuzz build -O -a
for target in $(cargo fuzz list); do
    cp "target/x86_64-unknown-linux-gnu/release/$target" "$OUT/"
    if [ -d "corpus/$target" ] && [ -n "$(ls -A "corpus/$target")" ]; then
        (cd "corpus/$target" && zip -q -r "$OUT/${target}_seed_corpus.zip" .)
    fi
done
