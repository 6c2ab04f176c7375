//! The compatibility matrix: cases × servers, from several runs, as Markdown or HTML.

use crate::html::{escape, STYLE};
use h2probe_harness::model::{RunReport, Verdict};
use std::collections::BTreeSet;

fn cell(report: &RunReport, id: &str) -> &'static str {
    match report.results.iter().find(|r| r.info.id == id).map(|r| &r.verdict) {
        Some(Verdict::Pass { .. }) => "pass",
        Some(Verdict::LenientPass { .. }) => "lenient",
        Some(Verdict::Fail { .. }) => "FAIL",
        Some(Verdict::Skip { .. }) => "skip",
        Some(Verdict::Error { .. }) => "error",
        None => "",
    }
}

fn ids(runs: &[(&str, &RunReport)]) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (_, r) in runs {
        for c in &r.results {
            if seen.insert(c.info.id.clone()) {
                out.push(c.info.id.clone());
            }
        }
    }
    out
}

/// A Markdown table: one row per case, one column per server, plus totals.
pub fn matrix_markdown(runs: &[(&str, &RunReport)]) -> String {
    let mut out = String::from("| case |");
    for (name, _) in runs {
        out.push_str(&format!(" {name} |"));
    }
    out.push_str("\n|---|");
    out.push_str(&"---|".repeat(runs.len()));
    out.push('\n');
    for id in ids(runs) {
        out.push_str(&format!("| `{id}` |"));
        for (_, r) in runs {
            out.push_str(&format!(" {} |", cell(r, &id)));
        }
        out.push('\n');
    }
    out.push_str("| **passed / failed / skipped** |");
    for (_, r) in runs {
        let s = r.summary();
        out.push_str(&format!(" {} / {} / {} |", s.passed + s.lenient, s.failed + s.expected_failures, s.skipped));
    }
    out.push('\n');
    out
}

/// The same matrix as a self-contained HTML page.
pub fn matrix_html(runs: &[(&str, &RunReport)]) -> String {
    let mut out = format!("<!doctype html><html><head><meta charset=\"utf-8\"><title>h2probe compatibility matrix</title><style>{STYLE}</style></head><body><h1>h2probe compatibility matrix</h1><table><tr><th>case</th>");
    for (name, _) in runs {
        out.push_str(&format!("<th>{}</th>", escape(name)));
    }
    out.push_str("</tr>");
    for id in ids(runs) {
        out.push_str(&format!("<tr><td><code>{}</code></td>", escape(&id)));
        for (_, r) in runs {
            let c = cell(r, &id);
            let class = match c {
                "FAIL" => "fail",
                "lenient" => "lenient",
                "pass" => "pass",
                "error" => "error",
                _ => "skip",
            };
            out.push_str(&format!("<td class=\"{class}\">{c}</td>"));
        }
        out.push_str("</tr>");
    }
    out.push_str("</table></body></html>\n");
    out
}
