//! Every file the repository's own text points at exists: relative links in the Markdown
//! files, and paths named in the comments of the Rust sources and manifests (`ci/test.sh`,
//! `harness/src/judge.rs`, `ARCHITECTURE.md`). A comment that cites a file which was renamed,
//! or one that lives outside the repository (the design brief beside a checkout), misleads
//! whoever follows it from a fresh clone.

use std::path::{Path, PathBuf};

/// Where repository paths start; a comment's word that starts so and names a file (it has an
/// extension, or ends in `/`) is taken for a path.
const TOP_DIRS: [&str; 10] = ["ci/", "docs/", "harness/", "cases/", "reports/", "src/", "tests/", "fuzz/", "examples/", "benches/"];

/// Not walked: build output, VCS data, fuzzing's generated inputs.
const SKIPPED_DIRS: [&str; 5] = ["target", ".git", "node_modules", "corpus", "artifacts"];

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let Ok(kind) = entry.file_type() else { continue };
        if kind.is_dir() {
            if !SKIPPED_DIRS.iter().any(|s| name == *s) {
                files(&path, out);
            }
        } else if kind.is_file() {
            out.push(path);
        }
    }
}

/// The nearest directory at or above `dir` with a Cargo.toml: a crate's comments name paths
/// from its own root (`tests/support/hostile.rs` in the harness: harness/tests/support/hostile.rs).
fn crate_root(dir: &Path) -> &Path {
    dir.ancestors().find(|d| d.join("Cargo.toml").is_file()).unwrap_or(dir)
}

/// Relative link targets of Markdown text: `](target)` without a scheme or a bare anchor.
fn markdown_links(line: &str) -> Vec<&str> {
    let mut links = Vec::new();
    let mut rest = line;
    while let Some(i) = rest.find("](") {
        rest = &rest[i + 2..];
        let Some(end) = rest.find(')') else { break };
        let target = &rest[..end];
        rest = &rest[end..];
        if target.contains("://") || target.starts_with('#') || target.starts_with("mailto:") || target.contains(char::is_whitespace) {
            continue;
        }
        let path = target.split('#').next().unwrap_or_default();
        if !path.is_empty() {
            links.push(path);
        }
    }
    links
}

/// Words of a comment that name a repository path: a top-level directory and a file (or a
/// directory ending in `/`), or a capitalised Markdown file (`ARCHITECTURE.md`). Placeholders
/// (`<name>-<scheme>.verdicts`, `{url}`, `*.rs`, `…`) are not paths.
fn path_words(comment: &str) -> Vec<&str> {
    comment
        .split(|c: char| c.is_whitespace() || "`(),;\"'[]".contains(c))
        .map(|w| w.trim_end_matches(['.', ':']))
        .filter(|w| !w.contains(['<', '{', '*', '…', '$']))
        .filter(|w| {
            let last = w.rsplit('/').next().unwrap_or_default();
            let capital_md = w.strip_suffix(".md").is_some_and(|stem| {
                !stem.is_empty() && stem.chars().all(|c| c.is_ascii_uppercase() || c == '_' || c == '-' || c == '/')
            });
            capital_md || (TOP_DIRS.iter().any(|t| w.starts_with(t)) && (last.contains('.') || w.ends_with('/')))
        })
        .collect()
}

#[test]
fn files_named_in_docs_and_comments_exist() {
    let root = repo_root();
    if !root.join("ci").is_dir() {
        // A crates.io package holds only part of the repository.
        return;
    }
    let mut all = Vec::new();
    files(&root, &mut all);
    let mut missing = Vec::new();
    let mut checked = 0;
    for file in &all {
        let name = file.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let (is_md, comment_mark) = match name {
            n if n.ends_with(".md") => (true, ""),
            n if n.ends_with(".rs") => (false, "//"),
            "Cargo.toml" => (false, "#"),
            _ => continue,
        };
        if file.ends_with("tests/links.rs") {
            continue; // its examples are not references
        }
        let Ok(text) = std::fs::read_to_string(file) else { continue };
        let dir = file.parent().unwrap_or(&root);
        let shown = file.strip_prefix(&root).unwrap_or(file).display().to_string();
        for (n, line) in text.lines().enumerate() {
            let (targets, bases): (Vec<&str>, Vec<&Path>) = if is_md {
                (markdown_links(line), vec![dir])
            } else {
                let Some(i) = line.find(comment_mark) else { continue };
                let krate = crate_root(dir);
                (path_words(&line[i + comment_mark.len()..]), vec![&root, dir, krate])
            };
            for target in targets {
                checked += 1;
                let found = bases.iter().any(|b| b.join(target).exists())
                    || (!is_md && crate_root(dir).join("src").join(target).exists());
                if !found {
                    missing.push(format!("{shown}:{}: {target}", n + 1));
                }
            }
        }
    }
    assert!(checked > 40, "only {checked} references found: is the walk broken?");
    assert!(missing.is_empty(), "references to files that do not exist:\n{}", missing.join("\n"));
}

#[test]
fn the_path_finder_finds_paths_and_leaves_placeholders() {
    assert_eq!(path_words(" see `ci/test.sh` and ARCHITECTURE.md, then docs/."), ["ci/test.sh", "ARCHITECTURE.md", "docs/"]);
    assert!(path_words(" ci/expectations/<name>-<scheme>.verdicts and src/*.rs, draft-x.md").is_empty());
    assert_eq!(markdown_links("[a](docs/x.md#y) [b](https://e.org/z.md) [c](#top)"), ["docs/x.md"]);
}
