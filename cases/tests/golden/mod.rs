//! What the real-server and real-client tests share beside the golden files themselves
//! (`h2probe_reports::golden`): where those live, and how a test without its peers skips.

pub use h2probe_reports::golden::{compare, parse, render};
use std::path::{Path, PathBuf};

/// The repository root: golden files live in its ci/expectations/.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A test that needs the real servers and finds none says so in one line that `cargo test`
/// shows (libtest captures `eprintln!`, not a direct write to stderr), then passes: a fresh
/// clone's `cargo test` must pass without them. `ci/test.sh` starts them and sets
/// `H2PROBE_TARGETS`, so there these tests always run; `H2PROBE_REQUIRE_SERVERS=1` turns a
/// missing `H2PROBE_TARGETS` into a failure.
pub fn skip(test: &str, why: &str, peers: &str) {
    use std::io::Write;
    if std::env::var_os("H2PROBE_REQUIRE_SERVERS").is_some() {
        panic!("{test}: {why}, but H2PROBE_REQUIRE_SERVERS is set");
    }
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {why} (ci/test.sh starts the real {peers} and runs it)");
}

