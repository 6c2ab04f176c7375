//! Where output goes: stdout that may be a closed pipe, report files checked before a run,
//! `-` for stdout, and colour by flag or environment (the `-q` report is the terminal
//! renderer's, which escapes what the server sent).

use crate::cli::{ColorWhen, ReportArgs};
use crate::UsageError;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `text` to stdout. A closed pipe (`h2probe list | head`) is not an error: the reader
/// has what it wanted, so the rest is dropped quietly, as coreutils and ripgrep do.
pub fn stdout(text: &str) -> Result<(), UsageError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(UsageError(format!("cannot write to stdout: {e}"))),
        _ => Ok(()),
    }
}

/// Writes `text` to stderr, ignoring a closed stderr (there is nowhere left to complain).
pub fn stderr(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes()).and_then(|()| err.flush());
}

/// Whether to colour, given `--color`, the environment and whether the stream is a terminal.
/// `--color always|never` wins; under `auto`, NO_COLOR (no-color.org) turns colour off and
/// CLICOLOR_FORCE (cargo, ripgrep) or FORCE_COLOR (force-color.org: Node, many CI
/// runners) turns it on, `0` excepted; otherwise only on a terminal.
pub fn color(when: ColorWhen, env: impl Fn(&str) -> Option<String>, terminal: bool) -> bool {
    let set = |name: &str| env(name).is_some_and(|v| !v.is_empty());
    let forced = |name: &str| set(name) && env(name).as_deref() != Some("0");
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto if set("NO_COLOR") => false,
        ColorWhen::Auto if forced("CLICOLOR_FORCE") || forced("FORCE_COLOR") => true,
        ColorWhen::Auto => terminal,
    }
}

/// One report to write: the flag that named it and where it goes.
struct Dest<'a> {
    flag: &'static str,
    path: &'a Path,
}

fn dests(args: &ReportArgs) -> Vec<Dest<'_>> {
    let named = [("--junit", &args.junit), ("--json", &args.json), ("--html", &args.html), ("--write-expect", &args.write_expect)];
    named.into_iter().filter_map(|(flag, p)| p.as_deref().map(|path| Dest { flag, path })).collect()
}

fn is_stdout(p: &Path) -> bool {
    p.as_os_str() == "-"
}

/// Whether a report goes to stdout (`--json -`); the terminal report then goes to stderr.
pub fn report_on_stdout(args: &ReportArgs) -> bool {
    dests(args).iter().any(|d| is_stdout(d.path))
}

/// Checks every report path before the run, so a typo costs nothing and cannot hide the
/// run's verdict behind a late error: each must be creatable (its directory exists, it is
/// not a directory, we may write there), no two may name the same file, and at most one
/// may be `-`. A file that did not exist is created to test this and removed again.
pub fn check_paths(args: &ReportArgs) -> Result<(), UsageError> {
    check_named(&dests(args).iter().map(|d| (d.flag, d.path)).collect::<Vec<_>>())
}

/// [`check_paths`] over any `(flag, path)` list (the matrix has its own files).
pub fn check_named(list: &[(&str, &Path)]) -> Result<(), UsageError> {
    let mut seen: Vec<(&str, PathBuf)> = Vec::new();
    for &(flag, path) in list {
        let key = if is_stdout(path) { PathBuf::from("-") } else { normalize(path) };
        if let Some((other, _)) = seen.iter().find(|(_, k)| *k == key) {
            let what = if is_stdout(path) { "stdout (-)".to_string() } else { path.display().to_string() };
            return Err(UsageError(format!("{other} and {flag} both write {what}")));
        }
        seen.push((flag, key));
        if !is_stdout(path) {
            writable(path).map_err(|why| UsageError(format!("cannot write {flag} {}: {why}", path.display())))?;
        }
    }
    Ok(())
}

fn normalize(p: &Path) -> PathBuf {
    let parent = p.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    match (std::fs::canonicalize(parent), p.file_name()) {
        (Ok(dir), Some(name)) => dir.join(name),
        _ => p.to_path_buf(),
    }
}

fn writable(path: &Path) -> Result<(), String> {
    if path.is_dir() {
        return Err("it is a directory".to_string());
    }
    let parent = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !parent.is_dir() {
        return Err(format!("no directory {}", parent.display()));
    }
    let existed = path.exists();
    std::fs::OpenOptions::new().append(true).create(true).open(path).map_err(|e| e.to_string())?;
    if !existed {
        let _ = std::fs::remove_file(path);
    }
    Ok(())
}

/// Writes one report, to its file or to stdout for `-`.
pub fn write(path: &Path, text: &str) -> Result<(), UsageError> {
    if is_stdout(path) {
        return stdout(text);
    }
    std::fs::write(path, text).map_err(|e| UsageError(format!("cannot write {}: {e}", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| vars.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
    }

    #[test]
    fn colour_follows_flag_then_environment_then_terminal() {
        assert!(color(ColorWhen::Always, env(&[("NO_COLOR", "1")]), false));
        assert!(!color(ColorWhen::Never, env(&[("CLICOLOR_FORCE", "1")]), true));
        assert!(!color(ColorWhen::Auto, env(&[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")]), true));
        assert!(color(ColorWhen::Auto, env(&[("CLICOLOR_FORCE", "1")]), false));
        assert!(!color(ColorWhen::Auto, env(&[("CLICOLOR_FORCE", "0")]), false));
        assert!(color(ColorWhen::Auto, env(&[("FORCE_COLOR", "1")]), false));
        assert!(!color(ColorWhen::Auto, env(&[("FORCE_COLOR", "0")]), false));
        assert!(!color(ColorWhen::Auto, env(&[("NO_COLOR", "1"), ("FORCE_COLOR", "1")]), true));
        assert!(color(ColorWhen::Auto, env(&[("NO_COLOR", "")]), true));
        assert!(!color(ColorWhen::Auto, env(&[]), false));
    }

    #[test]
    fn report_paths_are_checked_up_front() {
        let dir = std::env::temp_dir().join(format!("h2probe-output-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("tmp");
        let ok = dir.join("r.xml");
        assert!(check_named(&[("--junit", &ok)]).is_ok());
        assert!(!ok.exists(), "the probe file is removed again");
        let e = check_named(&[("--junit", Path::new("/nonexistent/dir/r.xml"))]).expect_err("no dir").0;
        assert_eq!(e, "cannot write --junit /nonexistent/dir/r.xml: no directory /nonexistent/dir");
        assert!(check_named(&[("--json", &dir)]).expect_err("a dir").0.contains("it is a directory"));
        let e = check_named(&[("--json", Path::new("-")), ("--html", Path::new("-"))]).expect_err("two stdouts").0;
        assert_eq!(e, "--json and --html both write stdout (-)");
        let e = check_named(&[("--json", &ok), ("--html", &dir.join(".").join("r.xml"))]).expect_err("same file").0;
        assert!(e.starts_with("--json and --html both write"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
