//! The terminal report: a line per case grouped by section, a summary per section, then
//! every failure again with the requirement, expected and actual, and its transcript.

use crate::{failure_text, transcript_text};
use h2probe_harness::model::{Outcome, RunReport, Verdict};

/// How to render.
#[derive(Debug, Clone, Copy, Default)]
pub struct TerminalOptions {
    /// ANSI colours (the CLI sets it on a TTY unless NO_COLOR is set).
    pub color: bool,
    /// Transcripts for every case, not only failures.
    pub verbose: bool,
}

struct Paint(bool);

impl Paint {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn green(&self, s: &str) -> String {
        self.wrap("32", s)
    }
    fn red(&self, s: &str) -> String {
        self.wrap("31", s)
    }
    fn yellow(&self, s: &str) -> String {
        self.wrap("33", s)
    }
    fn dim(&self, s: &str) -> String {
        self.wrap("2", s)
    }
    fn bold(&self, s: &str) -> String {
        self.wrap("1", s)
    }
}

/// Renders the whole report.
pub fn render(report: &RunReport, opts: &TerminalOptions) -> String {
    let p = Paint(opts.color);
    let mut out = format!("h2probe {} against {}{}\n\n", report.tool_version, report.target, if report.strict { " (strict)" } else { "" });
    for (section, results) in report.by_section() {
        let passed = results.iter().filter(|r| r.verdict.is_pass()).count();
        out.push_str(&format!("{}  {}\n", p.bold(section), p.dim(&format!("{passed}/{} passed", results.len()))));
        for r in results {
            let (mark, tail) = match (r.outcome(), &r.verdict) {
                (Outcome::Passed, Verdict::Lenient { observed, .. }) => (p.yellow("~"), format!("lenient: {observed}")),
                (Outcome::Passed, Verdict::Alternative { alternative, .. }) => (p.green("✓"), format!("pass (alternative): {alternative}")),
                (Outcome::Passed, _) => (p.green("✓"), String::new()),
                (Outcome::Failed, _) => (p.red("✗"), String::new()),
                (Outcome::ExpectedFailure, _) => (p.yellow("✗"), format!("known failure: {}", r.known_failure.as_deref().unwrap_or_default())),
                (Outcome::UnexpectedPass, _) => (p.yellow("!"), "unexpected pass: remove it from the expectations file".to_string()),
                (Outcome::Skipped, Verdict::Skip { reason }) => (p.dim("-"), format!("skipped: {reason}")),
                (Outcome::Skipped, _) => (p.dim("-"), String::new()),
                (Outcome::Errored, Verdict::Error { problem }) => (p.red("!"), format!("error: {problem}")),
                (Outcome::Errored, _) => (p.red("!"), String::new()),
            };
            out.push_str(&format!("  {mark} {} {}", r.info.id, p.dim(&r.info.description)));
            if !tail.is_empty() {
                out.push_str(&format!("\n      {}", p.dim(&tail)));
            }
            out.push('\n');
            if opts.verbose {
                if let Some(rule) = r.verdict.rule() {
                    out.push_str(&format!("      {}\n", p.dim(&format!("decided by {}: \"{}\"", rule.section, rule.text))));
                }
                for line in transcript_text(r).lines() {
                    out.push_str(&format!("      {}\n", p.dim(line)));
                }
            }
        }
        out.push('\n');
    }
    let failures: Vec<_> = report.results.iter().filter(|r| r.outcome() == Outcome::Failed).collect();
    if !failures.is_empty() {
        out.push_str(&p.bold(&p.red(&format!("Failures ({})\n\n", failures.len()))));
        for r in failures {
            out.push_str(&failure_text(r));
            out.push_str("transcript:\n");
            out.push_str(&transcript_text(r));
            out.push('\n');
        }
    }
    let s = report.summary();
    let mut extra = Vec::new();
    for (n, what) in [
        (s.alternative, "by an alternative the RFC allows"),
        (s.lenient, "lenient"),
        (s.expected_failures, "known failures"),
        (s.unexpected_passes, "unexpected passes"),
        (s.errors, "errors"),
    ] {
        if n > 0 {
            extra.push(format!("{n} {what}"));
        }
    }
    let extra = if extra.is_empty() { String::new() } else { format!(" ({})", extra.join(", ")) };
    let line = format!("{} passed, {} failed, {} skipped", s.passed + s.alternative + s.lenient, s.failed, s.skipped);
    let line = if s.failed > 0 { p.red(&line) } else { p.green(&line) };
    out.push_str(&format!("{line}{extra} in {:.2} s\n", report.duration_ms as f64 / 1000.0));
    out
}
