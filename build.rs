//! Puts the commit into `h2probe --version` (`0.1.0 (3f2a9c1e0b)`): a bug report from a
//! build of a branch then says which code it was. The commit comes from git when building
//! from a clone, else from `.cargo_vcs_info.json`, which `cargo publish` writes into the
//! crates.io package; with neither (a source tarball), the version alone.

use std::path::Path;
use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !text.is_empty()).then_some(text)
}

/// The `"sha1"` of `.cargo_vcs_info.json`, without a JSON parser: the file is cargo's own.
fn packaged_commit() -> Option<String> {
    let text = std::fs::read_to_string(".cargo_vcs_info.json").ok()?;
    let rest = text.split("\"sha1\"").nth(1)?;
    let sha = rest.split('"').nth(1)?;
    (sha.len() >= 10 && sha.bytes().all(|b| b.is_ascii_hexdigit())).then(|| sha[..10].to_string())
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let in_repo = git(&["rev-parse", "--show-toplevel"])
        .zip(std::env::var("CARGO_MANIFEST_DIR").ok())
        .is_some_and(|(top, dir)| Path::new(&top) == Path::new(&dir));
    let commit = if in_repo {
        // Rebuild when HEAD moves: HEAD itself (a checkout) and the branch it names (a commit).
        // Only files that exist, or cargo would rerun this script on every build.
        let head = git(&["rev-parse", "--symbolic-full-name", "HEAD"]);
        for name in [Some("HEAD".to_string()), head, Some("packed-refs".to_string())].into_iter().flatten() {
            if let Some(path) = git(&["rev-parse", "--git-path", &name]) {
                if Path::new(&path).exists() {
                    println!("cargo:rerun-if-changed={path}");
                }
            }
        }
        git(&["rev-parse", "--short=10", "HEAD"])
    } else {
        packaged_commit()
    };
    match commit {
        Some(c) => println!("cargo:rustc-env=H2PROBE_VERSION={version} ({c})"),
        None => println!("cargo:rustc-env=H2PROBE_VERSION={version}"),
    }
}
