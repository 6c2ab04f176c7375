#!/usr/bin/env bash
# Tools the tests need besides the servers: xmllint and pip (JUnit schema check), cargo-fuzz.
set -euo pipefail
need_apt=()
command -v xmllint >/dev/null || need_apt+=(libxml2-utils)
# reports/tests/fetch-junit-xsd.sh downloads the schema with pip (Debian ships pip apart).
python3 -m pip --version >/dev/null 2>&1 || need_apt+=(python3-pip)
if [ ${#need_apt[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi
if [ "${H2PROBE_SKIP_FUZZ:-0}" != 1 ] && ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install --locked cargo-fuzz
fi
