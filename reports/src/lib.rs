//! Renderers for h2probe results: pure functions from [`RunReport`] to text.
//!
//! Every format renders the one serde model in `h2probe_harness::model`, so the terminal,
//! JUnit, JSON and HTML outputs cannot disagree, and golden-file tests pin each of them.
//!
//! Much of what a report shows comes from the server under test: GOAWAY debug data, header
//! values, HTTP/1.x status lines, whatever text a verdict quotes. A hostile server must not
//! be able to use that to write into the reader's terminal or CI report, so every string of
//! the model goes through [`escape::clean`] (or [`escape::clean_line`]) where it is rendered,
//! and then through the format's own escaping (XML, HTML).
//!
//! [`RunReport`]: h2probe_harness::model::RunReport

pub mod escape;
pub mod golden;
pub mod html;
pub mod json;
pub mod junit;
pub mod matrix;
pub mod terminal;

use escape::{clean, clean_line};
use h2probe_harness::checks::SERVER_OUTPUT_TAG;
use h2probe_harness::model::{CaseResult, Direction, Finding, Outcome, RunReport, Verdict};

/// The transcript as plain lines, `  12 ms  → FRAME` / `←` / `·`, everything escaped. Lines
/// we sent may carry more lines (the header fields of a field block, see
/// `h2probe_harness::describe`); those are indented under the frame's text. A line from the
/// server stays one line: a newline in it is shown as `\n`, so it cannot forge others.
pub fn transcript_text(r: &CaseResult) -> String {
    let mut out = String::new();
    for (_, line) in transcript_lines(r) {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// [`transcript_text`] line by line, each with the direction of the entry it belongs to.
pub fn transcript_lines(r: &CaseResult) -> Vec<(Direction, String)> {
    let mut out = Vec::with_capacity(r.transcript.len());
    for l in &r.transcript {
        let arrow = match l.dir {
            Direction::Sent => "→",
            Direction::Received => "←",
            Direction::Note => "·",
        };
        let prefix = format!("{:>6} ms {arrow} ", l.at_ms);
        match l.dir {
            Direction::Sent => {
                let indent = " ".repeat(prefix.chars().count());
                for (i, line) in l.text.split('\n').enumerate() {
                    out.push((l.dir, format!("{}{}", if i == 0 { &prefix } else { &indent }, clean_line(line))));
                }
            }
            Direction::Received | Direction::Note => out.push((l.dir, format!("{prefix}{}", clean_line(&l.text)))),
        }
    }
    out
}

/// The failure explanation: requirement, expected, actual, the deciding sentence, the known
/// failure's reason and what the server's own output broke. Escaped.
pub fn failure_text(r: &CaseResult) -> String {
    let mut out = format!("{} ({})", clean_line(&r.info.id), clean_line(&r.info.section));
    if let Some(a) = &r.info.h2spec {
        out.push_str(&format!(", h2spec {}", clean_line(a)));
    }
    out.push('\n');
    out.push_str(&format!("requirement: {}\n", clean(&r.info.requirement)));
    out.push_str(&format!("verdict:     {}\n", verdict_label(r)));
    match &r.verdict {
        Verdict::Fail { expected, actual, .. } => {
            out.push_str(&format!("expected:    {}\nactual:      {}\n", clean_line(expected), clean_line(actual)));
        }
        Verdict::Error { problem } => out.push_str(&format!("error:       {}\n", clean_line(problem))),
        Verdict::Skip { reason } => out.push_str(&format!("skipped:     {}\n", clean_line(reason))),
        Verdict::Pass { observed, .. } => out.push_str(&format!("observed:    {}\n", clean_line(observed))),
        Verdict::Alternative { observed, alternative, .. } => out.push_str(&format!(
            "observed:    {}\nalternative: {} (a pass: the RFC allows it)\n",
            clean_line(observed),
            clean_line(alternative)
        )),
        Verdict::Lenient { observed, strict_expected, .. } => out.push_str(&format!(
            "observed:    {}\nlenient:     accepted without --strict, which requires {}\n",
            clean_line(observed),
            clean_line(strict_expected)
        )),
    }
    if let Some(rule) = r.verdict.rule() {
        out.push_str(&format!("decided by:  {}: \"{}\"\n", clean_line(&rule.section), clean(&rule.text)));
    }
    if let Some(k) = &r.known_failure {
        out.push_str(&format!("known:       {}\n", clean_line(k)));
    }
    for f in &r.server_output {
        out.push_str(&format!("server output broke {} at {} ms: {}\n", clean_line(&f.check), f.at_ms, clean_line(&f.detail)));
    }
    out
}

/// The verdict's class as a person reads it, with what makes it so: `pass`, `pass
/// (alternative)`, `lenient`, `fail`, `skip`, `error`, and `known failure` or `UNEXPECTED
/// PASS` when `--expect` listed the case.
pub fn verdict_label(r: &CaseResult) -> String {
    let class = r.verdict.class().display();
    match r.outcome() {
        Outcome::ExpectedFailure => format!("{class} (known failure)"),
        Outcome::UnexpectedPass => format!("{class}: UNEXPECTED PASS (listed as a known failure)"),
        _ => class.to_string(),
    }
}

/// Whether the result is a passive check of the server's own output (tag `server-output`),
/// judged over every connection of the run rather than sent as a case.
pub fn is_passive(r: &CaseResult) -> bool {
    r.info.tags.iter().any(|t| t == SERVER_OUTPUT_TAG)
}

/// For a failed passive check: the case whose connection first broke its rule, and the
/// finding (the same search the runner made when it judged the check).
pub fn first_seen<'r>(report: &'r RunReport, check: &CaseResult) -> Option<(&'r CaseResult, &'r Finding)> {
    if !check.verdict.is_fail() {
        return None;
    }
    report.results.iter().find_map(|r| r.server_output.iter().find(|f| f.check == check.info.id).map(|f| (r, f)))
}

/// Wall time of a case in microseconds (reports written before `duration_us` existed give
/// milliseconds only).
pub fn duration_us(r: &CaseResult) -> u64 {
    if r.duration_us > 0 {
        r.duration_us
    } else {
        r.duration_ms.saturating_mul(1000)
    }
}

/// How the results of one group read in a heading: `3 passed, 1 failed, 1 skipped`; a group
/// where nothing ran says `skipped` (or `error`), never `0/3 passed`.
pub fn group_counts(results: &[&CaseResult]) -> String {
    let mut n = [0usize; 6];
    for r in results {
        let i = match r.outcome() {
            Outcome::Passed => 0,
            Outcome::Failed => 1,
            Outcome::ExpectedFailure => 2,
            Outcome::UnexpectedPass => 3,
            Outcome::Skipped => 4,
            Outcome::Errored => 5,
        };
        n[i] += 1;
    }
    let total = results.len();
    if total > 0 && n[4] == total {
        return "skipped".to_string();
    }
    if total > 0 && n[5] == total {
        return "error".to_string();
    }
    let words = ["passed", "failed", "known failure", "unexpected pass", "skipped", "error"];
    let plural = ["passed", "failed", "known failures", "unexpected passes", "skipped", "errors"];
    let parts: Vec<String> =
        (0..6).filter(|&i| n[i] > 0).map(|i| format!("{} {}", n[i], if n[i] == 1 { words[i] } else { plural[i] })).collect();
    parts.join(", ")
}

/// `rfc9113/6.5` for `RFC 9113 §6.5`: the section as h2probe selects it and as case ids
/// begin, for anchors and JUnit `file` attributes.
pub fn section_slug(section: &str) -> String {
    let (rfc, number) = split_section(section);
    match number {
        Some(n) => format!("{rfc}/{n}"),
        None => rfc,
    }
}

/// The section's page on rfc-editor.org, `https://www.rfc-editor.org/rfc/rfc9113#section-6.5`,
/// for an `RFC NNNN §X.Y` section; `None` for anything else.
pub fn rfc_url(section: &str) -> Option<String> {
    let (rfc, number) = split_section(section);
    let digits = rfc.strip_prefix("rfc")?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(match number {
        Some(n) if n.bytes().all(|b| b.is_ascii_digit() || b == b'.') && !n.is_empty() => {
            format!("https://www.rfc-editor.org/rfc/{rfc}#section-{n}")
        }
        _ => format!("https://www.rfc-editor.org/rfc/{rfc}"),
    })
}

/// `("rfc9113", Some("6.5"))` for `RFC 9113 §6.5`.
fn split_section(section: &str) -> (String, Option<String>) {
    let (rfc, number) = match section.split_once('§') {
        Some((r, n)) => (r, Some(n.trim().to_string())),
        None => (section, None),
    };
    (rfc.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase(), number)
}

/// An attack case's harm, in lines for people: the class and why, then one line per run
/// (size, rate, reaction and K, the server's RSS and CPU, the canary, the amplification).
/// The terminal and HTML reports both print these.
pub fn harm_lines(h: &h2probe_harness::harm::HarmReport) -> Vec<String> {
    use h2probe_harness::harm::kib;
    use h2probe_harness::resilience::{count, millis};
    let mut out = vec![format!("{}: {}", h.class, h.why), format!("unit: {}", h.unit)];
    if let Err(why) = &h.local {
        out.push(format!("no process figures: {why}; judged on the canary alone"));
    }
    let p90 = |l: &h2probe_harness::harm::Latency| match l.p90_us {
        Some(us) if l.failed == 0 => millis(us),
        Some(us) => format!("{} ({} unanswered)", millis(us), l.failed),
        None if l.failed > 0 => format!("all {} unanswered", l.failed),
        None => "-".to_string(),
    };
    for r in &h.runs {
        let over = if r.connections > 1 { format!(" on {} connections", count(r.connections)) } else { String::new() };
        let mut line = format!(
            "N={}: {} {}{over} ({} frames, {} octets) in {} = {} {}/s, {} frames/s",
            count(r.size),
            count(r.units),
            h.noun,
            count(r.frames),
            count(r.octets_sent),
            millis(r.send_us),
            count(r.unit_rate() as u64),
            h.noun,
            count(r.frame_rate() as u64)
        );
        match (&r.reaction, r.k, &r.k_of) {
            (Some(re), Some(k), Some(of)) => line.push_str(&format!("; reaction {re}, K = {} ({of})", count(k))),
            (Some(re), _, _) => line.push_str(&format!("; reaction {re}")),
            (None, _, _) if r.stalled => line.push_str("; no reaction, the server stopped reading (backpressure)"),
            (None, _, _) => line.push_str("; no reaction"),
        }
        if let Some(p) = &r.proc {
            line.push_str(&format!(
                "; RSS {} → peak {} (+{}) → {} after, CPU {} ms{}",
                kib(p.rss_before_kib),
                kib(p.rss_peak_kib),
                kib(p.growth_kib()),
                kib(p.rss_after_kib),
                p.cpu_ms,
                if p.alive_after { "" } else { ", the server died" }
            ));
        }
        line.push_str(&format!("; canary p90 {} / {} / {} (before / during / after)", p90(&r.canary.before), p90(&r.canary.during), p90(&r.canary.after)));
        if let (Some(a), Some(of)) = (r.amplification, &r.amplification_of) {
            line.push_str(&format!("; amplification {a:.3} ({of})"));
        }
        out.push(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_link_to_the_rfc_editor() {
        assert_eq!(rfc_url("RFC 9113 §6.5").as_deref(), Some("https://www.rfc-editor.org/rfc/rfc9113#section-6.5"));
        assert_eq!(rfc_url("RFC 7541 §2.3.3").as_deref(), Some("https://www.rfc-editor.org/rfc/rfc7541#section-2.3.3"));
        assert_eq!(rfc_url("RFC 8441 §4").as_deref(), Some("https://www.rfc-editor.org/rfc/rfc8441#section-4"));
        assert_eq!(rfc_url("RFC 9218").as_deref(), Some("https://www.rfc-editor.org/rfc/rfc9218"));
        assert_eq!(rfc_url("h2probe"), None);
        assert_eq!(section_slug("RFC 9113 §6.5.3"), "rfc9113/6.5.3");
    }
}

