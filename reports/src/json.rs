//! The JSON report (schema `h2probe-report/2`, documented in `reports/SCHEMA.md`).

use h2probe_harness::model::{CaseResult, RunReport, Summary};
use serde::Serialize;

/// Schema identifier written in every report; bumped on incompatible changes.
pub const SCHEMA: &str = "h2probe-report/2";

#[derive(Serialize)]
struct Document<'a> {
    schema: &'static str,
    tool_version: &'a str,
    target: &'a str,
    strict: bool,
    duration_ms: u64,
    summary: Summary,
    results: &'a [CaseResult],
}

/// Renders the report as pretty-printed JSON.
pub fn render(report: &RunReport) -> String {
    let doc = Document {
        schema: SCHEMA,
        tool_version: &report.tool_version,
        target: &report.target,
        strict: report.strict,
        duration_ms: report.duration_ms,
        summary: report.summary(),
        results: &report.results,
    };
    // Serialising plain data with string keys cannot fail.
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
