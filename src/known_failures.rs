//! `--expect FILE`: a server's known failures, each with its reason.
//!
//! Format: one case per line, `<case-id> <reason…>`; blank lines and `#` comments are
//! skipped. A reason is required, so the file documents why each failure is accepted. The
//! id may be an h2spec id (`http2/6.5/3`) or a former id kept as an alias, as selections
//! accept; a case listed twice (under any of its names) is an error, since the two reasons
//! would contradict or repeat each other.
//!
//! `--write-expect FILE` writes such a file from a run ([`render`]): every failure, with the
//! reason prefilled from what the RFC required and what the server did.

use h2probe_harness::case::Case;
use h2probe_harness::model::{RunReport, Verdict};
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
    let mut first_line: HashMap<&str, usize> = HashMap::new();
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
        let case = cases
            .iter()
            .find(|c| c.named_by(id))
            .ok_or_else(|| err(format!("no case has the id '{id}' (`h2probe list` shows ids and h2spec ids)")))?;
        if let Some(first) = first_line.insert(case.id, i + 1) {
            let alias = match case.h2spec {
                _ if case.id == id => String::new(),
                Some(h) if h == id => format!(" (h2spec {id})"),
                _ => format!(" (alias {id})"),
            };
            return Err(err(format!("{}{alias} is listed twice (first on line {first})", case.id)));
        }
        map.insert(case.id.to_string(), reason.to_string());
    }
    Ok(map)
}

/// Reads and parses `path`.
pub fn load(path: &Path, cases: &[Case]) -> Result<HashMap<String, String>, KnownFailuresError> {
    let text = std::fs::read_to_string(path).map_err(|source| KnownFailuresError::Read { path: path.display().to_string(), source })?;
    parse(&text, &path.display().to_string(), cases)
}

/// The longest reason [`render`] writes: a transcript-sized `actual` would bury the file.
const MAX_REASON: usize = 240;

/// A known-failures file for every failure of `report`. A reason already given for the case
/// (`previous`, the `--expect` file of the run) is kept, since a person wrote it; otherwise
/// the reason is `expected …; got …` from the verdict, on one line.
pub fn render(report: &RunReport, previous: &HashMap<String, String>, command: &str) -> String {
    let mut out = format!(
        "# h2probe known failures for {} (h2probe {}{})\n\
         # One `<case-id> <reason>` per line; use with --expect. Regenerate: {command}\n",
        report.target,
        report.tool_version,
        if report.strict { ", --strict" } else { "" },
    );
    for r in &report.results {
        let Verdict::Fail { expected, actual, .. } = &r.verdict else { continue };
        let reason = match previous.get(&r.info.id) {
            Some(reason) => reason.clone(),
            None => {
                let text = format!("expected {expected}; got {actual}");
                let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
                match flat.char_indices().nth(MAX_REASON) {
                    // Cut at the last word that fits, so the reason stays readable.
                    Some((cut, _)) => {
                        let head = &flat[..cut];
                        format!("{}…", head.rsplit_once(' ').map_or(head, |(words, _)| words))
                    }
                    None => flat,
                }
            }
        };
        out.push_str(&format!("{} {reason}\n", r.info.id));
    }
    out
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

    #[test]
    fn h2spec_ids_are_accepted_and_duplicates_refused() {
        let cases = h2probe_cases::all();
        let case = cases.iter().find(|c| c.h2spec.is_some()).expect("a case with an h2spec alias");
        let alias = case.h2spec.unwrap_or_default();
        let map = parse(&format!("{alias} known\n"), "f", cases).expect("alias accepted");
        assert_eq!(map.get(case.id).map(String::as_str), Some("known"));
        let e = parse(&format!("{} a\n# x\n{alias} b\n", case.id), "f", cases).expect_err("twice").to_string();
        assert_eq!(e, format!("f:3: {} (h2spec {alias}) is listed twice (first on line 1)", case.id));
        assert!(parse(&format!("{0} a\n{0} b\n", case.id), "f", cases).is_err());
    }

    #[test]
    fn written_files_read_back_with_reasons() {
        use h2probe_harness::model::{CaseResult, Citation, DecidedBy};
        let cases = h2probe_cases::all();
        let rule = || Citation { section: "RFC 9113 §5.4".into(), text: "t".into() };
        let result = |c: &Case, verdict: Verdict| CaseResult {
            info: c.info(),
            verdict,
            decided_by: DecidedBy::Event,
            known_failure: None,
            duration_ms: 0,
            duration_us: 0,
            transcript: vec![],
            server_output: vec![],
            checked: Default::default(),
            harm: None,
        };
        let report = RunReport {
            tool_version: "0.1.0".into(),
            target: "http://127.0.0.1:1/".into(),
            strict: false,
            duration_ms: 0,
            results: vec![
                result(&cases[0], Verdict::Fail { expected: "GOAWAY(PROTOCOL_ERROR)".into(), actual: "PING ACK\nno error".into(), rule: rule() }),
                result(&cases[1], Verdict::Pass { observed: "ok".into(), rule: rule() }),
                result(&cases[2], Verdict::Fail { expected: "x".repeat(300), actual: "y".into(), rule: rule() }),
                result(&cases[3], Verdict::Fail { expected: "a".into(), actual: "b".into(), rule: rule() }),
            ],
            ..RunReport::default()
        };
        let previous = HashMap::from([(cases[3].id.to_string(), "a person's reason".to_string())]);
        let text = render(&report, &previous, "h2probe conform URL --write-expect F");
        let map = parse(&text, "written", cases).expect("reads back");
        assert_eq!(map.len(), 3);
        assert_eq!(map[cases[0].id], "expected GOAWAY(PROTOCOL_ERROR); got PING ACK no error");
        assert!(map[cases[2].id].ends_with('…') && map[cases[2].id].chars().count() <= MAX_REASON + 1);
        assert_eq!(map[cases[3].id], "a person's reason");
    }
}
