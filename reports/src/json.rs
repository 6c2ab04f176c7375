//! The JSON report (schema `h2probe-report/2`, documented in `reports/SCHEMA.md`). JSON
//! escapes every control character itself, so it needs none of the other formats' cleaning:
//! a reader gets the server's octets exactly.

use h2probe_harness::model::{CaseResult, RunReport, Setting, Summary};
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
    #[serde(skip_serializing_if = "Option::is_none")]
    started_at: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tool_commit: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    server: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tls: Option<&'a str>,
    #[serde(skip_serializing_if = "<[Setting]>::is_empty")]
    server_settings: &'a [Setting],
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
        started_at: report.started_at.as_deref(),
        tool_commit: report.tool_commit.as_deref(),
        server: report.server.as_deref(),
        tls: report.tls.as_deref(),
        server_settings: &report.server_settings,
        summary: report.summary(),
        results: &report.results,
    };
    // Serialising plain data with string keys cannot fail.
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
