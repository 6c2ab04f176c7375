//! The JUnit XML report, written with quick-xml.
//!
//! Layout, chosen for what CI test views show (checked against mikepenz/action-junit-report's
//! `testParser.ts`, GitLab's JUnit parser and Jenkins' package/class split):
//! - one `<testsuite>` per RFC section, carrying `<properties>`: the target URL, h2probe's
//!   version and commit, strict mode, the start time, the server's name, TLS session and
//!   SETTINGS, and the run's counts per class;
//! - `<testcase name="<stable id>" classname="<section>">`: GitLab shows the classname as
//!   its "Suite" column beside the name; mikepenz's title is `{{TEST_NAME}}`, the case id,
//!   in the CI example. The suite's `file` is the section as h2probe selects it
//!   (`rfc9113/6.5`): mikepenz takes a file name from `file` before the classname, so its
//!   annotations are grouped by section instead of by the last dot-separated piece of
//!   `RFC 9113 §6.5` ("5");
//! - a failure is `<failure>` (never `<error>`, h2spec's bug) whose message is "expected …;
//!   got …" and whose body is the verdict, requirement, deciding RFC sentence and the frame
//!   transcript (for a passive check: the case where the server first broke the rule);
//! - a harness problem (connect refused, TLS) is `<error>`: not the server's fault;
//! - a skip, a known failure from `--expect` and an unexpected pass (a known failure that
//!   now passes) are `<skipped>` with a `type` and a message saying which: the run's exit
//!   status does not fail on them, and every CI view shows a skip apart from a pass (pytest
//!   reports its unexpected passes the same way);
//! - every case carries its verdict and transcript in `<system-out>`;
//! - `time` is the case's wall time rounded up to the millisecond (the schema allows three
//!   decimals; a case that ran never reads 0).
//!
//! No CDATA: every text and attribute is XML-escaped by the writer, after control
//! characters (which XML 1.0 forbids even escaped) were made visible (`\x1b`). A server's
//! `]]></system-out></testcase><testcase name="forged">` is then text, not markup.

use crate::escape::{clean, clean_line};
use crate::{duration_us, failure_text, first_seen, rfc_url, section_slug, transcript_text};
use h2probe_harness::model::{CaseResult, Outcome, RunReport, Verdict};
use quick_xml::escape::partial_escape;
use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;
use std::io;

/// Why the XML could not be written.
#[derive(Debug, thiserror::Error)]
pub enum JunitError {
    /// The XML writer failed (it writes to memory, so only on a bug).
    #[error("writing JUnit XML: {0}")]
    Xml(#[from] io::Error),
    /// The writer produced something other than UTF-8 (cannot happen with UTF-8 input).
    #[error("JUnit XML is not UTF-8")]
    Utf8,
}

/// Renders the report as JUnit XML.
pub fn render(report: &RunReport) -> Result<String, JunitError> {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let sections = report.by_section();
    let all: Vec<&CaseResult> = report.results.iter().collect();
    let properties = properties(report);
    let host = host_of(&report.target);
    w.create_element("testsuites")
        .with_attribute(("name", format!("h2probe against {}", clean_line(&report.target)).as_str()))
        .with_attribute(("tests", all.len().to_string().as_str()))
        .with_attribute(("failures", count(&all, Outcome::Failed).to_string().as_str()))
        .with_attribute(("errors", count(&all, Outcome::Errored).to_string().as_str()))
        .with_attribute(("time", seconds_ms(report.duration_ms).as_str()))
        .write_inner_content(|w| {
            for (id, (section, results)) in sections.iter().enumerate() {
                suite(w, report, id, section, results, &properties, host.as_deref())?;
            }
            Ok(())
        })?;
    let xml = String::from_utf8(w.into_inner()).map_err(|_| JunitError::Utf8)?;
    Ok(xml + "\n")
}

fn suite(
    w: &mut Writer<Vec<u8>>,
    report: &RunReport,
    id: usize,
    section: &str,
    results: &[&CaseResult],
    properties: &[(String, String)],
    host: Option<&str>,
) -> io::Result<()> {
    let skipped = results.iter().filter(|r| matches!(r.outcome(), Outcome::Skipped | Outcome::ExpectedFailure | Outcome::UnexpectedPass)).count();
    let time_ms: u64 = results.iter().map(|r| ceil_ms(duration_us(r))).sum();
    let section_text = clean_line(section);
    let mut el = w
        .create_element("testsuite")
        .with_attribute(("name", section_text.as_ref()))
        .with_attribute(("tests", results.len().to_string().as_str()))
        .with_attribute(("failures", count(results, Outcome::Failed).to_string().as_str()))
        .with_attribute(("errors", count(results, Outcome::Errored).to_string().as_str()))
        .with_attribute(("skipped", skipped.to_string().as_str()))
        .with_attribute(("time", seconds_ms(time_ms).as_str()))
        .with_attribute(("id", id.to_string().as_str()));
    if let Some(t) = &report.started_at {
        el = el.with_attribute(("timestamp", clean_line(t).as_ref()));
    }
    if let Some(host) = host {
        el = el.with_attribute(("hostname", host));
    }
    el = el
        .with_attribute(("package", "h2probe"))
        .with_attribute(("file", clean_line(&section_slug(section)).as_ref()));
    if let Some(url) = rfc_url(section) {
        el = el.with_attribute(("url", url.as_str()));
    }
    el.write_inner_content(|w| {
        w.create_element("properties").write_inner_content(|w| {
            for (name, value) in properties {
                w.create_element("property").with_attribute(("name", name.as_str())).with_attribute(("value", value.as_str())).write_empty()?;
            }
            Ok(())
        })?;
        for r in results {
            testcase(w, report, r)?;
        }
        Ok(())
    })?;
    Ok(())
}

fn testcase(w: &mut Writer<Vec<u8>>, report: &RunReport, r: &CaseResult) -> io::Result<()> {
    let details = details(report, r);
    w.create_element("testcase")
        .with_attribute(("name", clean_line(&r.info.id).as_ref()))
        .with_attribute(("classname", clean_line(&r.info.section).as_ref()))
        .with_attribute(("time", seconds_ms(ceil_ms(duration_us(r))).as_str()))
        .write_inner_content(|w| {
            let known = clean_line(r.known_failure.as_deref().unwrap_or_default()).into_owned();
            match (r.outcome(), &r.verdict) {
                (Outcome::Failed, Verdict::Fail { expected, actual, .. }) => {
                    let message = format!("expected {}; got {}", clean_line(expected), clean_line(actual));
                    body(w, "failure", "h2probe.fail", &message, &details)?;
                }
                (Outcome::Errored, Verdict::Error { problem }) => body(w, "error", "h2probe.error", &clean_line(problem), &details)?,
                (Outcome::ExpectedFailure, _) => {
                    empty(w, "skipped", "h2probe.known-failure", &format!("known failure: {known}"))?;
                    system_out(w, &details)?;
                }
                (Outcome::UnexpectedPass, _) => {
                    let message = format!(
                        "UNEXPECTED PASS ({}): listed as a known failure ({known}); remove it from the expectations file",
                        r.verdict.class().display()
                    );
                    empty(w, "skipped", "h2probe.unexpected-pass", &message)?;
                    system_out(w, &details)?;
                }
                (Outcome::Skipped, Verdict::Skip { reason }) => {
                    empty(w, "skipped", "h2probe.skip", &clean_line(reason))?;
                    system_out(w, &details)?;
                }
                _ => system_out(w, &details)?,
            }
            Ok(())
        })?;
    Ok(())
}

/// The verdict with its RFC sentence and the transcript (for a failed passive check, the
/// transcript of the case where the server first broke the rule).
fn details(report: &RunReport, r: &CaseResult) -> String {
    let mut text = failure_text(r);
    match first_seen(report, r) {
        Some((case, finding)) => {
            text.push_str(&format!(
                "first seen:  in case {}, {} ms into its connection: {}\ntranscript of {}:\n",
                clean_line(&case.info.id),
                finding.at_ms,
                clean_line(&finding.detail),
                clean_line(&case.info.id)
            ));
            text.push_str(&transcript_text(case));
        }
        None if r.transcript.is_empty() => {}
        None => {
            text.push_str("transcript:\n");
            text.push_str(&transcript_text(r));
        }
    }
    text
}

fn body(w: &mut Writer<Vec<u8>>, tag: &str, kind: &str, message: &str, text: &str) -> io::Result<()> {
    w.create_element(tag)
        .with_attribute(("type", kind))
        .with_attribute(("message", message))
        .write_text_content(text_node(text))?;
    Ok(())
}

/// Element text: control characters made visible, then `<`, `>` and `&` escaped (quotes
/// need no escaping in text, and the file reads better without).
fn text_node(text: &str) -> BytesText<'static> {
    let cleaned = clean(text);
    BytesText::from_escaped(partial_escape(cleaned.as_ref()).into_owned())
}

fn empty(w: &mut Writer<Vec<u8>>, tag: &str, kind: &str, message: &str) -> io::Result<()> {
    w.create_element(tag).with_attribute(("type", kind)).with_attribute(("message", message)).write_empty()?;
    Ok(())
}

fn system_out(w: &mut Writer<Vec<u8>>, text: &str) -> io::Result<()> {
    w.create_element("system-out").write_text_content(text_node(text))?;
    Ok(())
}

/// The run's description, the same in every suite: JUnit has no place for it above them.
fn properties(report: &RunReport) -> Vec<(String, String)> {
    let mut p = vec![
        ("h2probe.target".to_string(), clean_line(&report.target).into_owned()),
        ("h2probe.version".to_string(), clean_line(&report.tool_version).into_owned()),
    ];
    if let Some(c) = &report.tool_commit {
        p.push(("h2probe.commit".into(), clean_line(c).into_owned()));
    }
    p.push(("h2probe.strict".into(), report.strict.to_string()));
    if let Some(t) = &report.started_at {
        p.push(("h2probe.started_at".into(), clean_line(t).into_owned()));
    }
    let s = report.summary();
    p.push((
        "h2probe.summary".into(),
        format!(
            "{} pass, {} pass (alternative), {} lenient, {} fail, {} skip, {} error, {} known failures, {} unexpected passes",
            s.passed, s.alternative, s.lenient, s.failed, s.skipped, s.errors, s.expected_failures, s.unexpected_passes
        ),
    ));
    if let Some(server) = &report.server {
        p.push(("server".into(), clean_line(server).into_owned()));
    }
    if let Some(tls) = &report.tls {
        p.push(("server.tls".into(), clean_line(tls).into_owned()));
    }
    for setting in &report.server_settings {
        p.push((format!("server.settings.{}", clean_line(&setting.name)), setting.value.to_string()));
    }
    p
}

fn count(results: &[&CaseResult], outcome: Outcome) -> usize {
    results.iter().filter(|r| r.outcome() == outcome).count()
}

/// Microseconds rounded up to whole milliseconds: the schema allows three decimals, and a
/// case that took 0.3 ms did take time.
fn ceil_ms(us: u64) -> u64 {
    us.div_ceil(1000)
}

/// `1.234` for 1 234 ms.
fn seconds_ms(ms: u64) -> String {
    format!("{}.{:03}", ms / 1000, ms % 1000)
}

/// `127.0.0.1:8080` of `http://127.0.0.1:8080/path`: the host under test, as `hostname`;
/// `None` for a target that is not a URL (a client run names its command).
fn host_of(url: &str) -> Option<String> {
    let (_, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    Some(clean_line(host).into_owned())
}
