//! The JUnit XML report, written with the `junit-report` crate.
//!
//! Layout, chosen for what CI test views (Jenkins, GitLab, GitHub reporters) show:
//! - one `<testsuite>` per RFC section; `<testcase name="<stable id>" classname="<section>">`;
//! - a failure is `<failure>` (never `<error>`, h2spec's bug) whose message is "expected …;
//!   got …" and whose body is the requirement, expected, actual and the frame transcript;
//! - a harness problem (connect refused, TLS) is `<error>`: not the server's fault;
//! - a skip is `<skipped message="reason">`; a known failure from `--expect` is also
//!   `<skipped>`, with the message `known failure: <reason>`, so CI stays green but shows it;
//! - passes carry what was observed, and the transcript, in `<system-out>`; a lenient pass or
//!   an unexpected pass (a known failure that now passes) says so there.

use crate::{failure_text, transcript_text};
use h2probe_harness::model::{Outcome, RunReport, Verdict};
use junit_report::{Duration, Report, TestCase, TestSuite};

/// Why the XML could not be written.
#[derive(Debug, thiserror::Error)]
pub enum JunitError {
    /// The XML writer failed.
    #[error("writing JUnit XML: {0}")]
    Xml(#[from] junit_report::Error),
    /// The writer produced something other than UTF-8 (cannot happen with UTF-8 input).
    #[error("JUnit XML is not UTF-8")]
    Utf8,
}

/// Attribute text: the HTML escaper's entities are valid XML too; XML 1.0 additionally
/// forbids most control characters even escaped, so those become `?`.
fn xml_attr(s: &str) -> String {
    let cleaned: String = s.chars().map(|c| if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') { '?' } else { c }).collect();
    crate::html::escape(&cleaned)
}

/// Renders the report as JUnit XML.
pub fn render(report: &RunReport) -> Result<String, JunitError> {
    let mut xml_report = Report::new();
    // junit-report writes `<skipped/>` without a message; the reasons are added afterwards,
    // in document order.
    let mut skip_messages = Vec::new();
    for (section, results) in report.by_section() {
        let mut suite = TestSuite::new(section);
        for r in results {
            let time = Duration::milliseconds(r.duration_ms as i64);
            let name = r.info.id.as_str();
            let mut case = match (r.outcome(), &r.verdict) {
                (Outcome::Failed, Verdict::Fail { expected, actual, .. }) => {
                    let mut c = TestCase::failure(name, time, "h2probe.fail", &format!("expected {expected}; got {actual}"));
                    c.set_system_out(&format!("{}\ntranscript:\n{}", failure_text(r), transcript_text(r)));
                    c
                }
                (Outcome::Errored, Verdict::Error { problem }) => {
                    let mut c = TestCase::error(name, time, "h2probe.error", problem);
                    c.set_system_out(&transcript_text(r));
                    c
                }
                (Outcome::ExpectedFailure, _) => {
                    skip_messages.push(format!("known failure: {}", r.known_failure.as_deref().unwrap_or_default()));
                    TestCase::skipped(name)
                }
                (Outcome::Skipped, Verdict::Skip { reason }) => {
                    skip_messages.push(reason.clone());
                    TestCase::skipped(name)
                }
                _ => {
                    let mut c = TestCase::success(name, time);
                    let note = match (&r.verdict, r.outcome()) {
                        (_, Outcome::UnexpectedPass) => "UNEXPECTED PASS: listed as a known failure; remove it from the expectations file\n",
                        (Verdict::Lenient { .. }, _) => "lenient pass: accepted only without --strict\n",
                        (Verdict::Alternative { .. }, _) => "pass (alternative): a reaction the RFC allows besides the one the case names\n",
                        _ => "",
                    };
                    c.set_system_out(&format!("{note}{}\ntranscript:\n{}", failure_text(r), transcript_text(r)));
                    c
                }
            };
            case.set_classname(section);
            suite.add_testcase(case);
        }
        xml_report.add_testsuite(suite);
    }
    let mut buf = Vec::new();
    xml_report.write_xml(&mut buf)?;
    let xml = String::from_utf8(buf).map_err(|_| JunitError::Utf8)?;
    let mut out = String::with_capacity(xml.len() + skip_messages.len() * 64);
    let mut rest = xml.as_str();
    for msg in &skip_messages {
        match rest.find("<skipped/>") {
            Some(i) => {
                out.push_str(&rest[..i]);
                out.push_str(&format!("<skipped message=\"{}\"/>", xml_attr(msg)));
                rest = &rest[i + "<skipped/>".len()..];
            }
            None => break,
        }
    }
    out.push_str(rest);
    Ok(round_times(&out))
}

/// junit-report prints summed suite times as raw `f64` (`1.5779999999999998`); the JUnit
/// schema allows at most three decimals, so every `time` attribute is rounded to ms.
fn round_times(xml: &str) -> String {
    const ATTR: &str = " time=\"";
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(i) = rest.find(ATTR) {
        out.push_str(&rest[..i + ATTR.len()]);
        rest = &rest[i + ATTR.len()..];
        let end = rest.find('"').unwrap_or(rest.len());
        match rest[..end].parse::<f64>() {
            Ok(t) => out.push_str(&format!("{t:.3}")),
            Err(_) => out.push_str(&rest[..end]),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}
