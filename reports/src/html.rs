//! A self-contained HTML report: summary, then cases grouped by section, failures open with
//! expected, actual and the transcript. No scripts; all text escaped.

use crate::{failure_text, transcript_text};
use h2probe_harness::model::{Outcome, RunReport};

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

pub(crate) const STYLE: &str = "body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}\
h1{font-size:1.4em}h2{font-size:1.1em;margin-top:1.5em}table{border-collapse:collapse;width:100%}\
td,th{border-bottom:1px solid #ddd;padding:.25em .5em;text-align:left;vertical-align:top}\
.pass{color:#17702b}.alternative{color:#17702b}.lenient{color:#a06000}.fail{color:#b00020;font-weight:bold}.skip{color:#777}.error{color:#b00020}\
.known{color:#a06000}pre{background:#f6f6f6;padding:.5em;overflow:auto;font-size:12px}code{font-size:12px}";

fn outcome_class(o: Outcome) -> (&'static str, &'static str) {
    match o {
        Outcome::Passed => ("pass", "pass"),
        Outcome::Failed => ("fail", "FAIL"),
        Outcome::ExpectedFailure => ("known", "known failure"),
        Outcome::UnexpectedPass => ("known", "unexpected pass"),
        Outcome::Skipped => ("skip", "skip"),
        Outcome::Errored => ("error", "error"),
    }
}

/// Renders the report as one HTML page.
pub fn render(report: &RunReport) -> String {
    let s = report.summary();
    let mut out = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>h2probe: {t}</title><style>{STYLE}</style></head><body>\
         <h1>h2probe {v} against <code>{t}</code>{strict}</h1>\
         <p>{} passed ({} by an alternative the RFC allows, {} lenient), <span class=\"fail\">{} failed</span>, {} skipped, {} known failures, {} unexpected passes, {} errors in {:.2} s</p>",
        s.passed + s.alternative + s.lenient,
        s.alternative,
        s.lenient,
        s.failed,
        s.skipped,
        s.expected_failures,
        s.unexpected_passes,
        s.errors,
        report.duration_ms as f64 / 1000.0,
        v = escape(&report.tool_version),
        t = escape(&report.target),
        strict = if report.strict { " (strict)" } else { "" },
    );
    for (section, results) in report.by_section() {
        out.push_str(&format!("<h2>{}</h2><table><tr><th>case</th><th>verdict</th><th>details</th></tr>", escape(section)));
        for r in results {
            let (class, label) = outcome_class(r.outcome());
            let lenient = match r.verdict {
                h2probe_harness::model::Verdict::Lenient { .. } => " (lenient)",
                h2probe_harness::model::Verdict::Alternative { .. } => " (alternative)",
                _ => "",
            };
            let open = if r.outcome() == Outcome::Failed { " open" } else { "" };
            out.push_str(&format!(
                "<tr><td><code>{}</code><br>{}</td><td class=\"{class}\">{label}{lenient}</td><td><details{open}><summary>{}</summary><pre>{}\ntranscript:\n{}</pre></details></td></tr>",
                escape(&r.info.id),
                escape(&r.info.description),
                escape(r.info.h2spec.as_deref().map(|a| format!("h2spec {a}")).as_deref().unwrap_or("details")),
                escape(&failure_text(r)),
                escape(&transcript_text(r)),
            ));
        }
        out.push_str("</table>");
    }
    out.push_str("</body></html>\n");
    out
}
