# Shared by the client scripts (install.sh, run.sh, versions.sh, smoke.sh): where each
# client's build lives, and how to name its version. Sourced, never run.
CLIENTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$CLIENTS/../.." && pwd)
# Built and installed pieces that are not Debian packages: the PyPI venv and the Go binary.
# Outside the work tree (like the servers' venv), so a fresh clone reuses them.
CLIENTS_STATE=${H2PROBE_CLIENTS_STATE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/h2probe/clients}
CLIENTS_VENV=$CLIENTS_STATE/venv
GO_BIN=$CLIENTS_STATE/go/h2probe-go-client
# The Rust client is a workspace member: `cargo test --workspace --release` builds it.
HYPER_BIN=${CARGO_TARGET_DIR:-$ROOT/target}/release/h2probe-hyper-client

# The clients, in the order of clients.tsv.
ALL_CLIENTS="curl nghttp node python go hyper"

# PyPI pins of the Python client: httpx and what it runs on (the HTTP/2 stack is h2, hpack
# and hyperframe under httpcore), every distribution of the venv pinned.
PYTHON_PINS=(httpx==0.28.1 httpcore==1.0.9 h2==4.4.1 hpack==4.2.0 hyperframe==6.1.0
    anyio==4.16.0 certifi==2026.10.19.post1 h11==0.16.0 idna==3.20 typing_extensions==4.16.0)

# Go in GOPATH mode: Debian's golang-golang-x-net-dev puts golang.org/x/net (and x/text, which
# its idna needs) under /usr/share/gocode. No modules, no proxy: nothing is fetched.
go_env() {
    export GO111MODULE=off GOPROXY=off GOFLAGS= GOTOOLCHAIN=local
    export GOPATH=$CLIENTS_STATE/go/path:/usr/share/gocode
    export GOCACHE=$CLIENTS_STATE/go/cache
}

# client_version NAME — one line naming the client and the HTTP/2 code under it.
client_version() {
    case $1 in
        curl) curl --version 2>/dev/null | head -n 1 | awk '{v=$1" "$2; for (i=3;i<=NF;i++) if ($i ~ /^(nghttp2|OpenSSL)\//) v=v", "$i; print v}' ;;
        nghttp) nghttp --version 2>/dev/null | head -n 1 ;;
        node) node -p '"node " + process.version + ", nghttp2 " + process.versions.nghttp2 + ", OpenSSL " + process.versions.openssl' 2>/dev/null ;;
        python) "$CLIENTS_VENV/bin/python3" -c 'import importlib.metadata as m, sys
print(", ".join(f"{n} {m.version(n)}" for n in ("httpx", "httpcore", "h2", "hpack", "hyperframe")) + ", python " + sys.version.split()[0])' 2>/dev/null ;;
        go) echo "$(go version 2>/dev/null | awk '{print $3}'), golang.org/x/net $(dpkg-query -W -f='${Version}' golang-golang-x-net-dev 2>/dev/null) (Debian)" ;;
        hyper) awk '/^name = "(hyper|hyper-util|h2|rustls)"$/ {n=$3; getline; gsub(/"/, "", n); printf "%s%s %s", sep, n, $3; sep=", "} END {print ""}' "$ROOT/Cargo.lock" | tr -d '"' ;;
        *) echo unknown; return 1 ;;
    esac
}
