#!/usr/bin/env bash
# Prints the path of a published JUnit XSD: the Jenkins xunit-plugin junit-10.xsd as shipped
# in pytest's source distribution (testing/example_scripts/junit-10.xsd), fetched from PyPI
# once into a cache directory. The schema is not copied into this repository.
set -euo pipefail
cache=${XDG_CACHE_HOME:-$HOME/.cache}/h2probe
xsd=$cache/junit-10.xsd
if [ ! -s "$xsd" ]; then
    mkdir -p "$cache"
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    python3 -m pip download --quiet --no-deps --no-binary :all: "pytest==8.3.4" -d "$tmp" >&2
    tar -xzf "$tmp"/pytest-8.3.4.tar.gz -C "$tmp" pytest-8.3.4/testing/example_scripts/junit-10.xsd
    cp "$tmp"/pytest-8.3.4/testing/example_scripts/junit-10.xsd "$xsd"
fi
echo "$xsd"
