#!/usr/bin/env bash
# Installs the named HTTP/2 clients (default: all six; see clients.tsv) for h2probe's client
# mode and ci/clients/smoke.sh:
#   curl, nghttp   Debian packages curl, nghttp2-client
#   node           the machine's own node, else Debian's nodejs; client.js needs nothing else
#   python         httpx[http2] with pinned versions (lib.sh PYTHON_PINS) in a venv of its own,
#                  $H2PROBE_CLIENTS_STATE/venv (not the servers' venv: the pins move apart)
#   go             Debian's golang-go and golang-golang-x-net-dev; go/client.go built in GOPATH
#                  mode (GO111MODULE=off, GOPROXY=off: nothing is fetched) into the state dir
#   hyper          the workspace member ci/clients/hyper, built the way `cargo test
#                  --workspace --release` builds it, so ci/test.sh compiles nothing twice
# Idempotent: a step whose result is there is skipped (the Go binary is rebuilt only when
# client.go or the Go toolchain changed). Each step prints its time.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
names=${*:-$ALL_CLIENTS}
for n in $names; do
    case " $ALL_CLIENTS " in *" $n "*) ;; *) echo "install.sh: no client named $n (have: $ALL_CLIENTS)" >&2; exit 2 ;; esac
done
want() { case " $names " in *" $1 "*) return 0 ;; esac; return 1; }

# step NAME CMD… — runs CMD and prints how long it took.
step() {
    local name=$1 t0=$SECONDS; shift
    "$@"
    echo "install.sh: $name: $((SECONDS - t0)) s"
}

debian() {
    local pkgs=() missing=() p
    want curl && pkgs+=(curl ca-certificates)
    want nghttp && pkgs+=(nghttp2-client)
    want node && { command -v node >/dev/null || pkgs+=(nodejs); }
    # golang-go: Debian's golang without its documentation packages.
    want go && pkgs+=(golang-go golang-golang-x-net-dev)
    if want python && [ ! -x "$CLIENTS_VENV/bin/python3" ] && ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
        pkgs+=(python3 python3-venv)
    fi
    for p in ${pkgs[@]+"${pkgs[@]}"}; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
    [ ${#missing[@]} -gt 0 ] || return 0
    echo "install.sh: apt-get install ${missing[*]}"
    apt-get -o DPkg::Lock::Timeout=300 update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

python_venv() {
    if [ -x "$CLIENTS_VENV/bin/python3" ] && "$CLIENTS_VENV/bin/python3" -c 'import sys, importlib.metadata as m
sys.exit(any(m.version(n) != v for n, v in (a.split("==") for a in sys.argv[1:])))' "${PYTHON_PINS[@]}" >/dev/null 2>&1; then
        return 0
    fi
    [ -x "$CLIENTS_VENV/bin/python3" ] || python3 -m venv "$CLIENTS_VENV"
    # --no-deps: the pins are the whole set; pip check then proves nothing is missing.
    "$CLIENTS_VENV/bin/python3" -m pip install --quiet --disable-pip-version-check --no-deps "${PYTHON_PINS[@]}"
    "$CLIENTS_VENV/bin/python3" -m pip check --disable-pip-version-check >/dev/null
}

go_build() {
    local src=$CLIENTS/go/client.go stamp
    go_env
    stamp="$(sha256sum "$src" | cut -d' ' -f1) $(go version)"
    if [ -x "$GO_BIN" ] && [ "$(cat "$GO_BIN.stamp" 2>/dev/null)" = "$stamp" ]; then return 0; fi
    mkdir -p "$(dirname "$GO_BIN")"
    go build -o "$GO_BIN.tmp" "$src"
    mv "$GO_BIN.tmp" "$GO_BIN"
    echo "$stamp" > "$GO_BIN.stamp"
}

hyper_build() {
    local out
    command -v cargo >/dev/null || { echo "install.sh: hyper is built with cargo, which is not on PATH" >&2; return 1; }
    # Cargo's output only when the build fails. Incremental, so quick when nothing changed.
    out=$(cd "$ROOT" && cargo test --workspace --release --locked --no-run --quiet 2>&1) || { echo "$out" >&2; return 1; }
    [ -x "$HYPER_BIN" ] || { echo "install.sh: $HYPER_BIN was not built" >&2; return 1; }
}

t_all=$SECONDS
step "Debian packages" debian
want python && step "python venv (httpx, pinned)" python_venv
want go && step "go client (GOPATH mode)" go_build
want hyper && step "hyper client (cargo)" hyper_build
echo "install.sh: clients ready ($names) in $((SECONDS - t_all)) s"
