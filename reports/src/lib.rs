//! Renderers for h2probe results: pure functions from [`RunReport`] to text.
//!
//! Every format renders the one serde model in `h2probe_harness::model`, so the terminal,
//! JUnit, JSON and HTML outputs cannot disagree, and golden-file tests pin each of them.
//!
//! [`RunReport`]: h2probe_harness::model::RunReport

pub mod html;
pub mod json;
pub mod junit;
pub mod matrix;
pub mod terminal;

use h2probe_harness::model::{CaseResult, Direction, Verdict};

/// The transcript as plain lines, `  12 ms  → FRAME` / `←` / `·`.
pub fn transcript_text(r: &CaseResult) -> String {
    let mut out = String::new();
    for l in &r.transcript {
        let arrow = match l.dir {
            Direction::Sent => "→",
            Direction::Received => "←",
            Direction::Note => "·",
        };
        out.push_str(&format!("{:>6} ms {arrow} {}\n", l.at_ms, l.text));
    }
    out
}

/// The failure explanation: requirement, expected, actual.
pub fn failure_text(r: &CaseResult) -> String {
    let mut out = format!("{} ({})", r.info.id, r.info.section);
    if let Some(a) = &r.info.h2spec {
        out.push_str(&format!(", h2spec {a}"));
    }
    out.push('\n');
    out.push_str(&format!("requirement: {}\n", r.info.requirement));
    match &r.verdict {
        Verdict::Fail { expected, actual, .. } => {
            out.push_str(&format!("expected:    {expected}\nactual:      {actual}\n"));
        }
        Verdict::Error { problem } => out.push_str(&format!("error:       {problem}\n")),
        Verdict::Skip { reason } => out.push_str(&format!("skipped:     {reason}\n")),
        Verdict::Pass { observed, .. } => out.push_str(&format!("observed:    {observed}\n")),
        Verdict::Alternative { observed, alternative, .. } => {
            out.push_str(&format!("observed:    {observed}\nalternative: {alternative} (a pass: the RFC allows it)\n"))
        }
        Verdict::Lenient { observed, strict_expected, .. } => {
            out.push_str(&format!("observed:    {observed} (lenient; --strict requires {strict_expected})\n"))
        }
    }
    if let Some(rule) = r.verdict.rule() {
        out.push_str(&format!("decided by:  {}: \"{}\"\n", rule.section, rule.text));
    }
    if let Some(k) = &r.known_failure {
        out.push_str(&format!("known:       {k}\n"));
    }
    out
}
