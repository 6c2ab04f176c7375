//! The terminal report: what ran against what, a line per case grouped by section (each
//! heading counting what the section's cases did), the passive checks of the server's own
//! output as a group of their own, then every failure again with the requirement, expected,
//! actual, the deciding RFC sentence and its transcript, and a summary counting each class.
//!
//! Our own colour codes are the only escape sequences it writes: every string from the
//! model is escaped first (see [`crate::escape`]), so a server's `\x1b[2J` shows as text.

use crate::escape::{clean, clean_line};
use crate::{failure_text, first_seen, group_counts, is_passive, transcript_text};
use h2probe_harness::model::{CaseResult, Outcome, RunReport, Verdict};

/// How to render.
#[derive(Debug, Clone, Copy, Default)]
pub struct TerminalOptions {
    /// ANSI colours (the CLI sets it on a TTY unless NO_COLOR is set).
    pub color: bool,
    /// Transcripts and deciding sentences for every case, not only failures.
    pub verbose: bool,
    /// `-q`: the first line, one line per result that needs attention (a failure, an
    /// error, a known failure that now passes) and the summary line.
    pub quiet: bool,
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
    let mut out = format!(
        "h2probe {} against {}{}\n",
        clean_line(&report.tool_version),
        clean_line(&report.target),
        if report.strict { " (strict)" } else { "" }
    );
    if opts.quiet {
        return quiet(report, &p, out);
    }
    let about = about_line(report);
    if !about.is_empty() {
        out.push_str(&p.dim(&about));
        out.push('\n');
    }
    if !report.server_settings.is_empty() {
        let settings: Vec<String> = report.server_settings.iter().map(|s| format!("{}={}", clean_line(&s.name), s.value)).collect();
        out.push_str(&p.dim(&format!("server SETTINGS: {}", settings.join(" "))));
        out.push('\n');
    }
    out.push('\n');
    let passive: Vec<&CaseResult> = report.results.iter().filter(|r| is_passive(r)).collect();
    for (section, results) in report.by_section() {
        let results: Vec<&CaseResult> = results.into_iter().filter(|r| !is_passive(r)).collect();
        if results.is_empty() {
            continue;
        }
        out.push_str(&format!("{}  {}\n", p.bold(&clean_line(section)), p.dim(&group_counts(&results))));
        for r in results {
            case_line(&mut out, &p, opts, r);
        }
        out.push('\n');
    }
    if !passive.is_empty() {
        out.push_str(&format!(
            "{}  {}\n",
            p.bold("Server output (passive checks of every connection)"),
            p.dim(&group_counts(&passive))
        ));
        for r in &passive {
            case_line(&mut out, &p, opts, r);
        }
        out.push('\n');
    }
    let failures: Vec<_> = report.results.iter().filter(|r| r.outcome() == Outcome::Failed).collect();
    if !failures.is_empty() {
        out.push_str(&p.bold(&p.red(&format!("Failures ({})", failures.len()))));
        out.push_str("\n\n");
        for r in failures {
            out.push_str(&failure_text(r));
            match first_seen(report, r) {
                Some((case, finding)) => {
                    out.push_str(&format!(
                        "first seen: in case {}, {} ms into its connection: {}\ntranscript of {}:\n",
                        clean_line(&case.info.id),
                        finding.at_ms,
                        clean_line(&finding.detail),
                        clean_line(&case.info.id)
                    ));
                    out.push_str(&transcript_text(case));
                }
                None => {
                    out.push_str("transcript:\n");
                    out.push_str(&transcript_text(r));
                }
            }
            out.push('\n');
        }
    }
    out.push_str(&summary_line(report, &p));
    out.push('\n');
    out
}

/// `-q`: after the first line (`out`), what needs attention, one line each, then the summary.
fn quiet(report: &RunReport, p: &Paint, mut out: String) -> String {
    for r in &report.results {
        let line = match (r.outcome(), &r.verdict) {
            (Outcome::Failed, Verdict::Fail { expected, actual, .. }) => {
                format!("{} {}  expected {}; got {}", p.red("✗"), clean_line(&r.info.id), clean_line(expected), clean_line(actual))
            }
            (Outcome::Errored, Verdict::Error { problem }) => {
                format!("{} {}  error: {}", p.red("!"), clean_line(&r.info.id), clean_line(problem))
            }
            (Outcome::UnexpectedPass, _) => {
                format!("{} {}  unexpected pass: remove it from the expectations file", p.yellow("!"), clean_line(&r.info.id))
            }
            _ => continue,
        };
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str(&summary_line(report, p));
    out.push('\n');
    out
}

/// `started … · commit … · server: … · TLS …`, whichever the report knows.
fn about_line(report: &RunReport) -> String {
    let mut parts = Vec::new();
    if let Some(t) = &report.started_at {
        parts.push(format!("started {}", clean_line(t)));
    }
    if let Some(c) = &report.tool_commit {
        parts.push(format!("h2probe commit {}", clean_line(c)));
    }
    if let Some(s) = &report.server {
        parts.push(format!("server: {}", clean_line(s)));
    }
    if let Some(t) = &report.tls {
        parts.push(clean_line(t).into_owned());
    }
    parts.join(" · ")
}

fn case_line(out: &mut String, p: &Paint, opts: &TerminalOptions, r: &CaseResult) {
    let (mark, tail) = match (r.outcome(), &r.verdict) {
        (Outcome::Passed, Verdict::Lenient { observed, strict_expected, .. }) => (
            p.yellow("~"),
            format!("lenient: {} (--strict requires {})", clean_line(observed), clean_line(strict_expected)),
        ),
        (Outcome::Passed, Verdict::Alternative { alternative, .. }) => {
            (p.green("✓"), format!("pass (alternative): {}", clean_line(alternative)))
        }
        (Outcome::Passed, _) => (p.green("✓"), String::new()),
        (Outcome::Failed, Verdict::Fail { actual, .. }) => (p.red("✗"), format!("fail: {}", clean_line(actual))),
        (Outcome::Failed, _) => (p.red("✗"), String::new()),
        (Outcome::ExpectedFailure, _) => {
            (p.yellow("✗"), format!("known failure: {}", clean_line(r.known_failure.as_deref().unwrap_or_default())))
        }
        (Outcome::UnexpectedPass, _) => (
            p.yellow("!"),
            format!(
                "unexpected pass ({}): listed as a known failure ({}); remove it from the expectations file",
                r.verdict.class().display(),
                clean_line(r.known_failure.as_deref().unwrap_or_default())
            ),
        ),
        (Outcome::Skipped, Verdict::Skip { reason }) => (p.dim("-"), format!("skipped: {}", clean_line(reason))),
        (Outcome::Skipped, _) => (p.dim("-"), String::new()),
        (Outcome::Errored, Verdict::Error { problem }) => (p.red("!"), format!("error: {}", clean_line(problem))),
        (Outcome::Errored, _) => (p.red("!"), String::new()),
    };
    out.push_str(&format!("  {mark} {} {}", clean_line(&r.info.id), p.dim(&clean_line(&r.info.description))));
    if !tail.is_empty() {
        out.push_str(&format!("\n      {}", p.dim(&tail)));
    }
    out.push('\n');
    if let Some(h) = &r.harm {
        // The class, reaction and K, rates and harm figures: the point of an attack case.
        for line in crate::harm_lines(h) {
            if opts.verbose || !line.starts_with("unit: ") {
                out.push_str(&format!("      {}\n", p.dim(&clean_line(&line))));
            }
        }
    }
    if opts.verbose {
        if let Some(rule) = r.verdict.rule() {
            out.push_str(&format!("      {}\n", p.dim(&format!("decided by {}: \"{}\"", clean_line(&rule.section), clean(&rule.text)))));
        }
        for f in &r.server_output {
            out.push_str(&format!(
                "      {}\n",
                p.dim(&format!("server output broke {} at {} ms: {}", clean_line(&f.check), f.at_ms, clean_line(&f.detail)))
            ));
        }
        for line in transcript_text(r).lines() {
            out.push_str(&format!("      {}\n", p.dim(line)));
        }
    }
}

/// One line counting every class and outcome: `253 passed (241 pass, 12 alternative,
/// 0 lenient), 2 failed, 14 skipped, 0 errors in 0.13 s`, then known failures and unexpected
/// passes when `--expect` produced any.
fn summary_line(report: &RunReport, p: &Paint) -> String {
    let s = report.summary();
    let head = format!(
        "{} passed ({} pass, {} alternative, {} lenient), {} failed, {} skipped, {}",
        s.passed + s.alternative + s.lenient,
        s.passed,
        s.alternative,
        s.lenient,
        s.failed,
        s.skipped,
        plural(s.errors, "error", "errors")
    );
    let head = if s.failed > 0 { p.red(&head) } else { p.green(&head) };
    let mut extra = String::new();
    if s.expected_failures > 0 {
        extra.push_str(&format!(", {}", plural(s.expected_failures, "known failure", "known failures")));
    }
    if s.unexpected_passes > 0 {
        extra.push_str(&p.yellow(&format!(", {}", plural(s.unexpected_passes, "unexpected pass", "unexpected passes"))));
    }
    format!("{head}{extra} in {:.2} s", report.duration_ms as f64 / 1000.0)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
