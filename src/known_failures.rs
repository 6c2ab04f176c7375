//! `--expect FILE`: a server's known failures, each with its reason.
//!
//! Format: one case per line, `<case-id> <reason…>`; blank lines and `#` comments are
//! skipped. A reason is required, so the file documents why each failure is accepted.

use h2probe_harness::case::Case;
use std::collections::HashMap;
use std::path::Path;

/// Why an expectations file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum KnownFailuresError {
    /// The file could not be read.
    #[error("cannot read expectations file {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A line is not `<case-id> <reason>`, or names no known case.
    #[error("{path}:{line}: {why}")]
    Line {
        /// The file.
        path: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        why: String,
    },
}

/// Parses an expectations file into case id → reason.
pub fn parse(text: &str, path: &str, cases: &[Case]) -> Result<HashMap<String, String>, KnownFailuresError> {
    let mut map = HashMap::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let err = |why: String| KnownFailuresError::Line { path: path.to_string(), line: i + 1, why };
        let (id, reason) = line.split_once(char::is_whitespace).ok_or_else(|| err("expected `<case-id> <reason>`".into()))?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(err(format!("{id}: a reason is required")));
        }
        if !cases.iter().any(|c| c.id == id) {
            return Err(err(format!("no case has the id '{id}'")));
        }
        map.insert(id.to_string(), reason.to_string());
    }
    Ok(map)
}

/// Reads and parses `path`.
pub fn load(path: &Path, cases: &[Case]) -> Result<HashMap<String, String>, KnownFailuresError> {
    let text = std::fs::read_to_string(path).map_err(|source| KnownFailuresError::Read { path: path.display().to_string(), source })?;
    parse(&text, &path.display().to_string(), cases)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_reasons_and_rejects_unknown_ids() {
        let cases = h2probe_cases::all();
        let id = cases[0].id;
        let map = parse(&format!("# comment\n\n{id}  server sends RST instead\n"), "f", cases).expect("valid");
        assert_eq!(map.get(id).map(String::as_str), Some("server sends RST instead"));
        assert!(parse("rfc9113/nope reason", "f", cases).is_err());
        assert!(parse(id, "f", cases).is_err());
    }
}
