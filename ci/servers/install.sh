#!/usr/bin/env bash
# Installs the named servers (default: all) from Debian's packages, plus curl and openssl.
# Distro services must not start on port 80 during installation: a policy-rc.d denies it.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
servers=${*:-$(awk '!/^#/ && NF {print $1}' "$HERE/targets.tsv" | sort -u)}
pkgs=(curl openssl ca-certificates)
for s in $servers; do
    case $s in
        nghttpd) command -v nghttpd >/dev/null || pkgs+=(nghttp2-server) ;;
        nginx) command -v nginx >/dev/null || pkgs+=(nginx) ;;
        *) echo "install.sh: no recipe for $s" >&2; exit 1 ;;
    esac
done
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && exit 0
created_policy=0
if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; created_policy=1
fi
apt-get -o DPkg::Lock::Timeout=300 update -qq
DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}"
[ $created_policy = 1 ] && rm -f /usr/sbin/policy-rc.d
exit 0
