//! Golden files for every renderer over one sample report covering every verdict kind, a
//! known failure, an unexpected pass, XML/HTML-special characters and a transcript. Set
//! `UPDATE_GOLDEN=1` to rewrite them; then review the diff.

use h2probe_harness::model::*;
use h2probe_reports::{html, json, junit, matrix, terminal};
use std::path::PathBuf;

fn case(id: &str, section: &str, verdict: Verdict, known: Option<&str>) -> CaseResult {
    CaseResult {
        info: CaseInfo {
            id: id.into(),
            section: section.into(),
            h2spec: Some(format!("http2/{}", id.len())),
            aliases: vec![],
            level: Level::Must,
            description: format!("description of {id} <with> \"quotes\" & ampersands"),
            requirement: "An endpoint MUST treat this as a connection error (Section 5.4.1) of type PROTOCOL_ERROR.".into(),
            tags: vec!["tag".into()],
        },
        decided_by: match &verdict {
            Verdict::Skip { .. } | Verdict::Error { .. } => DecidedBy::Setup,
            // A held RST_STREAM contradiction becomes final when the deadline passes.
            Verdict::Fail { .. } => DecidedBy::Deadline,
            _ => DecidedBy::Event,
        },
        verdict,
        known_failure: known.map(str::to_string),
        duration_ms: 12,
        transcript: vec![
            TranscriptLine { at_ms: 0, dir: Direction::Sent, text: "PING (raw) flags=0x00 stream=1 len=8".into() },
            TranscriptLine { at_ms: 3, dir: Direction::Received, text: "GOAWAY last_stream=0 code=PROTOCOL_ERROR debug=\"<bad>\"".into() },
            TranscriptLine { at_ms: 3, dir: Direction::Note, text: "done".into() },
        ],
        server_output: vec![],
        checked: Default::default(),
    }
}

fn rule(section: &str, text: &str) -> Citation {
    Citation { section: section.into(), text: text.into() }
}

pub fn sample() -> RunReport {
    let requirement = || rule("RFC 9113 §6.7", "An endpoint MUST treat this as a connection error (Section 5.4.1) of type PROTOCOL_ERROR.");
    let fail = || Verdict::Fail {
        expected: "connection error PROTOCOL_ERROR".into(),
        actual: "RST_STREAM stream=1 code=CANCEL <&>".into(),
        rule: rule("RFC 9113 §5.4", "If a frame causes a connection error, that error MUST be reported."),
    };
    RunReport {
        tool_version: "0.1.0".into(),
        target: "http://127.0.0.1:8080/".into(),
        strict: false,
        duration_ms: 1234,
        results: vec![
            case("rfc9113/6.7/a-pass", "RFC 9113 §6.7", Verdict::Pass { observed: "GOAWAY(PROTOCOL_ERROR)".into(), rule: requirement() }, None),
            case(
                "rfc9113/6.7/an-alternative",
                "RFC 9113 §6.7",
                Verdict::Alternative {
                    observed: "GOAWAY(INTERNAL_ERROR)".into(),
                    alternative: "the generic code INTERNAL_ERROR in place of FRAME_SIZE_ERROR".into(),
                    rule: rule("RFC 9113 §5.4", "a generic error code (such as PROTOCOL_ERROR or INTERNAL_ERROR) can always be used in place of more specific error codes."),
                },
                None,
            ),
            case(
                "rfc9113/6.7/a-lenient",
                "RFC 9113 §6.7",
                Verdict::Lenient {
                    observed: "connection closed by the peer (EOF)".into(),
                    strict_expected: "GOAWAY(PROTOCOL_ERROR)".into(),
                    rule: rule("RFC 9113 §5.4.1", "An endpoint that encounters a connection error SHOULD first send a GOAWAY frame."),
                },
                None,
            ),
            case("rfc9113/6.7/a-fail", "RFC 9113 §6.7", fail(), None),
            case("rfc9113/6.8/a-known-failure", "RFC 9113 §6.8", fail(), Some("server sends RST_STREAM; reported upstream")),
            case("rfc9113/6.8/an-unexpected-pass", "RFC 9113 §6.8", Verdict::Pass { observed: "GOAWAY".into(), rule: requirement() }, Some("was broken")),
            case("rfc9113/6.8/a-skip", "RFC 9113 §6.8", Verdict::Skip { reason: "no SETTINGS_MAX_CONCURRENT_STREAMS <none>".into() }, None),
            case("rfc7541/6.1/an-error", "RFC 7541 §6.1", Verdict::Error { problem: "connection refused by 127.0.0.1:8080".into() }, None),
        ],
    }
}

fn check(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).expect("write golden");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("missing {} (UPDATE_GOLDEN=1 creates it)", path.display()));
    assert_eq!(actual, expected, "{name} differs from its golden file");
}

/// The JUnit timestamp is the time of rendering; everything else is deterministic.
pub fn junit_normalised(report: &RunReport) -> String {
    let xml = junit::render(report).expect("junit renders");
    let mut out = String::new();
    let mut rest = xml.as_str();
    while let Some(i) = rest.find("timestamp=\"") {
        out.push_str(&rest[..i + 11]);
        rest = &rest[i + 11..];
        let end = rest.find('"').expect("closing quote");
        out.push_str("TIMESTAMP");
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[test]
fn junit_golden() {
    check("report.junit.xml", &junit_normalised(&sample()));
}

#[test]
fn json_golden_and_schema_fields() {
    let text = json::render(&sample());
    check("report.json", &text);
    let v: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(v["schema"], "h2probe-report/2");
    assert_eq!(v["summary"]["failed"], 1);
    assert_eq!(v["summary"]["alternative"], 1);
    assert_eq!(v["results"][1]["verdict"]["status"], "alternative");
    assert_eq!(v["results"][2]["verdict"]["status"], "lenient");
    assert_eq!(v["results"][3]["verdict"]["status"], "fail");
    assert_eq!(v["results"][3]["verdict"]["rule"]["section"], "RFC 9113 §5.4");
}

#[test]
fn terminal_golden_plain_and_coloured() {
    let r = sample();
    let plain = terminal::render(&r, &terminal::TerminalOptions { color: false, verbose: false });
    assert!(!plain.contains('\x1b'), "no escapes without colour");
    check("report.terminal.txt", &plain);
    let coloured = terminal::render(&r, &terminal::TerminalOptions { color: true, verbose: true });
    assert!(coloured.contains("\x1b[31m"));
}

#[test]
fn html_golden_and_escaping() {
    let page = html::render(&sample());
    assert!(!page.contains("<with>") && page.contains("&lt;with&gt;"));
    check("report.html", &page);
}

#[test]
fn matrix_golden() {
    let a = sample();
    let mut b = sample();
    b.results.truncate(3);
    let cols = [
        matrix::Column { name: "alpha | h2c", server: Some("alpha/1.0 <x>"), report: &a },
        matrix::Column { name: "beta", server: None, report: &b },
    ];
    check("matrix.md", &matrix::matrix_markdown(&cols));
    let page = matrix::matrix_html(&cols);
    check("matrix.html", &page);
    assert!(page.contains("<th>alpha | h2c</th>") && page.contains("alpha/1.0 &lt;x&gt;"));
    // A failure opens to its transcript; other cells carry their details as a tooltip.
    assert!(page.contains("<details><summary>FAIL</summary>") && page.contains("GOAWAY last_stream=0"));
    assert!(page.contains("title=\"skipped: no SETTINGS_MAX_CONCURRENT_STREAMS &lt;none&gt;\""));
}

#[test]
fn junit_times_have_at_most_three_decimals() {
    // Durations whose f64 sum is not exact (0.1 + 0.2 …) once printed unrounded.
    let mut r = sample();
    for (i, c) in r.results.iter_mut().enumerate() {
        c.duration_ms = [100, 200, 1278, 7, 33, 1, 9][i % 7];
        c.info.section = "RFC 9113 §6.7".into();
    }
    let xml = junit::render(&r).expect("renders");
    for part in xml.split(" time=\"").skip(1) {
        let value = &part[..part.find('"').expect("closing quote")];
        let decimals = value.split('.').nth(1).map_or(0, str::len);
        assert!(decimals <= 3, "time=\"{value}\" has more than 3 decimals");
    }
}
