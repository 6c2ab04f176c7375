//! Golden files for every renderer over one sample report covering every verdict kind, a
//! known failure, an unexpected pass, a section where every case skipped, a passive check
//! that failed (and the case whose connection broke it), the run's metadata, and hostile
//! strings where the server controls the text. Set `UPDATE_GOLDEN=1` to rewrite the
//! goldens; then review the diff.
//!
//! Besides the goldens, each format is parsed by a real parser to prove that what a hostile
//! server sent stays text: the JUnit file has no forged `<testcase>`, the HTML no forged
//! element, the terminal no escape sequence but ours.

#![allow(dead_code)] // junit_xsd.rs includes this file for `sample()` only.

use h2probe_harness::model::*;
use h2probe_reports::{html, json, junit, matrix, terminal};
use std::path::PathBuf;

/// What a hostile server would put in a GOAWAY's debug data: the end of a CDATA section,
/// markup that closes the test case and opens a forged one, a terminal escape that clears
/// the screen, NUL, a script, a bidirectional override and a raw newline.
pub const HOSTILE: &str = "]]></failure></system-out></testcase><testcase name=\"forged\"><failure>\x1b[2J\0<script>alert(1)</script>\u{202e}\nforged line";

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
        duration_us: 12_345,
        transcript: vec![
            TranscriptLine { at_ms: 0, dir: Direction::Sent, text: "PING (raw) stream=1 len=0x8 flags=0x00\n  payload: 00 00 00 00 00 00 00 00".into() },
            TranscriptLine {
                at_ms: 1,
                dir: Direction::Sent,
                text: "HEADERS stream=1 len=0x1b flags=0x05 (END_STREAM|END_HEADERS)\n  :method: GET\n  x-test: \" leading space\"".into(),
            },
            TranscriptLine { at_ms: 3, dir: Direction::Received, text: "GOAWAY len=0x8 last_stream=0 code=PROTOCOL_ERROR debug=\"<bad>\"".into() },
            TranscriptLine { at_ms: 3, dir: Direction::Note, text: "done".into() },
        ],
        server_output: vec![],
        checked: Default::default(),
        harm: None,
    }
}

fn rule(section: &str, text: &str) -> Citation {
    Citation { section: section.into(), text: text.into() }
}

/// The sample report every golden renders.
pub fn sample() -> RunReport {
    let requirement = || rule("RFC 9113 §6.7", "An endpoint MUST treat this as a connection error (Section 5.4.1) of type PROTOCOL_ERROR.");
    let fail = || Verdict::Fail {
        expected: "connection error PROTOCOL_ERROR".into(),
        actual: "RST_STREAM stream=1 code=CANCEL <&>".into(),
        rule: rule("RFC 9113 §5.4", "If a frame causes a connection error, that error MUST be reported."),
    };
    let mut hostile = case(
        "rfc9113/6.8/hostile-debug-data",
        "RFC 9113 §6.8",
        Verdict::Fail {
            expected: "GOAWAY(PROTOCOL_ERROR) with nothing after it".into(),
            actual: format!("GOAWAY(NO_ERROR, debug {HOSTILE:?}) then {HOSTILE}"),
            rule: rule("RFC 9113 §6.8", "Endpoints MUST NOT increase the value they send in the last stream identifier."),
        },
        None,
    );
    hostile.transcript.push(TranscriptLine { at_ms: 4, dir: Direction::Received, text: format!("HTTP/1.1 400 {HOSTILE}") });
    hostile.server_output.push(Finding { check: "rfc9113/4.1/server-reserved-bit".into(), detail: format!("WINDOW_UPDATE with R=1 {HOSTILE}"), at_ms: 4 });
    let mut passive_fail = case(
        "rfc9113/4.1/server-reserved-bit",
        "RFC 9113 §4.1",
        Verdict::Fail {
            expected: "the server never sets the reserved bit".into(),
            actual: format!("WINDOW_UPDATE with R=1 {HOSTILE} (in case rfc9113/6.8/hostile-debug-data, 4 ms into its connection)"),
            rule: rule("RFC 9113 §4.1", "The semantics of this bit are undefined, and the bit MUST remain unset (0x00) when sending."),
        },
        None,
    );
    passive_fail.info.tags = vec!["server-output".into()];
    passive_fail.transcript = vec![];
    passive_fail.duration_ms = 0;
    passive_fail.duration_us = 0;
    let mut passive_pass = case(
        "rfc9113/6.5/server-settings-ack",
        "RFC 9113 §6.5",
        Verdict::Pass { observed: "no connection broke it (9 frames or blocks checked on 9 connections)".into(), rule: requirement() },
        None,
    );
    passive_pass.info.tags = vec!["server-output".into()];
    passive_pass.transcript = vec![];
    passive_pass.duration_us = 0;
    let mut submillisecond = case("rfc9113/6.7/a-pass", "RFC 9113 §6.7", Verdict::Pass { observed: "GOAWAY(PROTOCOL_ERROR)".into(), rule: requirement() }, None);
    submillisecond.duration_ms = 0;
    submillisecond.duration_us = 412;
    RunReport {
        tool_version: "0.1.0".into(),
        target: "http://127.0.0.1:8080/".into(),
        strict: false,
        duration_ms: 1234,
        started_at: Some("2026-11-23T09:14:03Z".into()),
        tool_commit: Some("3f2a9c1e0b".into()),
        server: Some(format!("evil/1.0 {HOSTILE}")),
        tls: Some("TLS 1.3, cipher TLS13_AES_128_GCM_SHA256, ALPN h2".into()),
        server_settings: vec![
            Setting { name: "MAX_CONCURRENT_STREAMS".into(), value: 100 },
            Setting { name: "INITIAL_WINDOW_SIZE".into(), value: 65_535 },
        ],
        results: vec![
            submillisecond,
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
            hostile,
            case("rfc8441/4/all-skipped-1", "RFC 8441 §4", Verdict::Skip { reason: "SETTINGS_ENABLE_CONNECT_PROTOCOL not sent".into() }, None),
            case("rfc8441/4/all-skipped-2", "RFC 8441 §4", Verdict::Skip { reason: "SETTINGS_ENABLE_CONNECT_PROTOCOL not sent".into() }, None),
            case("rfc7541/6.1/an-error", "RFC 7541 §6.1", Verdict::Error { problem: "connection refused by 127.0.0.1:8080".into() }, None),
            passive_fail,
            passive_pass,
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

#[test]
fn junit_golden() {
    check("report.junit.xml", &junit::render(&sample()).expect("junit renders"));
}

#[test]
fn junit_is_well_formed_and_forges_nothing() {
    let r = sample();
    let xml = junit::render(&r).expect("junit renders");
    assert!(!xml.contains("CDATA"), "no CDATA sections at all");
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let cases: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("testcase")).collect();
    let names: Vec<&str> = cases.iter().filter_map(|n| n.attribute("name")).collect();
    let ids: Vec<&str> = r.results.iter().map(|c| c.info.id.as_str()).collect();
    assert_eq!(names.len(), ids.len(), "one <testcase> per result, none forged: {names:?}");
    for id in &ids {
        assert!(names.contains(id), "{id} missing");
    }
    assert!(!names.contains(&"forged"));
    // The hostile text is there, as text: markup characters intact, controls made visible.
    let hostile = cases.iter().find(|n| n.attribute("name") == Some("rfc9113/6.8/hostile-debug-data")).expect("case");
    let failure = hostile.children().find(|n| n.has_tag_name("failure")).expect("a failure");
    let body = failure.text().expect("failure body");
    assert!(body.contains("]]></failure></system-out></testcase><testcase name=\"forged\">"), "{body}");
    assert!(body.contains("\\x1b[2J\\x00<script>alert(1)</script>\\u{202e}\\nforged line"), "{body}");
    assert!(!body.contains('\x1b') && !body.contains('\0'));
    assert!(failure.attribute("message").is_some_and(|m| m.contains("<testcase name=\"forged\">") && !m.contains('\n')));
    // Suites: one per RFC section, with the run's properties.
    let suites: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("testsuite")).collect();
    assert_eq!(suites.len(), r.by_section().len());
    let props = |suite: &roxmltree::Node, name: &str| {
        suite.descendants().find(|p| p.has_tag_name("property") && p.attribute("name") == Some(name)).and_then(|p| p.attribute("value")).map(str::to_string)
    };
    assert_eq!(props(&suites[0], "h2probe.target").as_deref(), Some("http://127.0.0.1:8080/"));
    assert_eq!(props(&suites[0], "h2probe.version").as_deref(), Some("0.1.0"));
    assert_eq!(props(&suites[0], "h2probe.commit").as_deref(), Some("3f2a9c1e0b"));
    assert_eq!(props(&suites[0], "h2probe.strict").as_deref(), Some("false"));
    assert_eq!(props(&suites[0], "server.settings.MAX_CONCURRENT_STREAMS").as_deref(), Some("100"));
    assert_eq!(suites[0].attribute("file"), Some("rfc9113/6.7"));
    assert_eq!(suites[0].attribute("url"), Some("https://www.rfc-editor.org/rfc/rfc9113#section-6.7"));
    // An unexpected pass is visible, not a plain pass; real times, never 0 for a case that ran.
    let unexpected = cases.iter().find(|n| n.attribute("name") == Some("rfc9113/6.8/an-unexpected-pass")).expect("case");
    let skipped = unexpected.children().find(|n| n.has_tag_name("skipped")).expect("marked");
    assert_eq!(skipped.attribute("type"), Some("h2probe.unexpected-pass"));
    let quick = cases.iter().find(|n| n.attribute("name") == Some("rfc9113/6.7/a-pass")).expect("case");
    assert_eq!(quick.attribute("time"), Some("0.001"));
    // The class and the deciding sentence of every verdict.
    let alt = cases.iter().find(|n| n.attribute("name") == Some("rfc9113/6.7/an-alternative")).expect("case");
    let out = alt.children().find(|n| n.has_tag_name("system-out")).and_then(|n| n.text()).expect("system-out");
    assert!(out.contains("verdict:     pass (alternative)") && out.contains("decided by:  RFC 9113 §5.4: \"a generic error code"), "{out}");
}

#[test]
fn json_golden_and_schema_fields() {
    let text = json::render(&sample());
    check("report.json", &text);
    let v: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(v["schema"], "h2probe-report/2");
    assert_eq!(v["summary"]["failed"], 3);
    assert_eq!(v["summary"]["alternative"], 1);
    assert_eq!(v["started_at"], "2026-11-23T09:14:03Z");
    assert_eq!(v["server_settings"][0]["name"], "MAX_CONCURRENT_STREAMS");
    assert_eq!(v["results"][0]["duration_us"], 412);
    assert_eq!(v["results"][1]["verdict"]["status"], "alternative");
    assert_eq!(v["results"][2]["verdict"]["status"], "lenient");
    assert_eq!(v["results"][3]["verdict"]["status"], "fail");
    assert_eq!(v["results"][3]["verdict"]["rule"]["section"], "RFC 9113 §5.4");
    // JSON carries the server's octets exactly (its own escaping is enough).
    assert!(v["server"].as_str().is_some_and(|s| s.ends_with(HOSTILE)));
}

/// Every ESC in `text` starts one of the colour codes the terminal renderer writes.
fn only_our_escapes(text: &str) -> bool {
    text.split('\x1b').skip(1).all(|rest| ["[0m", "[1m", "[2m", "[31m", "[32m", "[33m"].iter().any(|code| rest.starts_with(code)))
}

#[test]
fn terminal_golden_plain_and_coloured() {
    let r = sample();
    let plain = terminal::render(&r, &terminal::TerminalOptions { color: false, verbose: false, quiet: false });
    assert!(!plain.contains('\x1b') && !plain.contains('\0') && !plain.contains('\u{202e}'), "nothing raw from the server");
    assert!(plain.contains("\\x1b[2J\\x00<script>"), "shown escaped");
    assert!(!plain.lines().any(|l| l.starts_with("forged line")), "a server's newline cannot start a line");
    check("report.terminal.txt", &plain);
    let verbose = terminal::render(&r, &terminal::TerminalOptions { color: true, verbose: true, quiet: false });
    assert!(verbose.contains("\x1b[31m"));
    assert!(only_our_escapes(&verbose), "only our colour codes");
    assert!(verbose.contains("decided by RFC 9113 §5.4: \"a generic error code"), "the deciding sentence with --verbose");
    check("report.terminal.verbose.txt", &terminal::render(&r, &terminal::TerminalOptions { color: false, verbose: true, quiet: false }));
    let quiet = terminal::render(&r, &terminal::TerminalOptions { color: true, verbose: false, quiet: true });
    assert!(only_our_escapes(&quiet) && quiet.contains("\\x1b[2J"), "{quiet}");
    check("report.terminal.quiet.txt", &terminal::render(&r, &terminal::TerminalOptions { color: false, verbose: false, quiet: true }));
}

#[test]
fn terminal_sections_say_what_their_cases_did() {
    let plain = terminal::render(&sample(), &terminal::TerminalOptions::default());
    assert!(plain.contains("RFC 8441 §4  skipped\n"), "{plain}");
    assert!(plain.contains("RFC 9113 §6.8  1 failed, 1 known failure, 1 unexpected pass, 1 skipped\n"), "{plain}");
    assert!(plain.contains("Server output (passive checks of every connection)  1 passed, 1 failed\n"), "{plain}");
    assert!(plain.contains("first seen: in case rfc9113/6.8/hostile-debug-data, 4 ms into its connection"), "{plain}");
}

#[test]
fn html_golden_and_escaping() {
    let page = html::render(&sample());
    assert!(!page.contains("<with>") && page.contains("&lt;with&gt;"));
    check("report.html", &page);
}

#[test]
fn html_parses_to_our_markup_only() {
    use html5gum::{DefaultEmitter, Token, Tokenizer};
    let r = sample();
    let page = html::render(&r);
    let mut emitter = DefaultEmitter::default();
    emitter.naively_switch_states(true);
    let mut tags = std::collections::BTreeMap::<String, usize>::new();
    let mut ids = Vec::new();
    let mut text = String::new();
    for token in Tokenizer::new_with_emitter(page.as_str(), emitter).flatten() {
        match token {
            Token::StartTag(t) => {
                *tags.entry(String::from_utf8_lossy(&t.name).into_owned()).or_default() += 1;
                if let Some(id) = t.attributes.get(b"id".as_slice()) {
                    ids.push(String::from_utf8_lossy(id).into_owned());
                }
            }
            Token::String(s) => text.push_str(&String::from_utf8_lossy(&s)),
            _ => {}
        }
    }
    assert_eq!(tags.get("script"), Some(&1), "only our own script: {tags:?}");
    assert!(!tags.contains_key("testcase") && !tags.contains_key("failure"), "{tags:?}");
    assert!(text.contains("<testcase name=\"forged\"><failure>\\x1b[2J\\x00<script>alert(1)</script>"), "shown as text");
    assert!(!text.contains('\x1b') && !text.contains('\0'));
    // An anchor per case, every one distinct, and the failures listed first link to them.
    for c in &r.results {
        assert_eq!(ids.iter().filter(|i| **i == c.info.id).count(), 1, "one id={}", c.info.id);
    }
    let first_row = page.find("<tr class=\"case\"").expect("rows");
    let listed = page.find("<a href=\"#rfc9113/6.7/a-fail\">").expect("failure listed");
    assert!(listed < first_row, "failures come first");
    assert!(page.contains("href=\"https://www.rfc-editor.org/rfc/rfc9113#section-6.7\""));
    assert!(page.contains("<time datetime=\"2026-11-23T09:14:03Z\">"));
    assert!(page.contains("white-space:pre-wrap;overflow-wrap:anywhere"), "transcripts wrap");
    // Classes and deciding sentences: an alternative is named, the sentence quoted.
    assert!(page.contains("<span class=\"badge b-alternative\">pass (alternative)</span>"));
    assert!(page.contains("<dt>decided by</dt><dd><a href=\"https://www.rfc-editor.org/rfc/rfc9113#section-5.4\">RFC 9113 §5.4</a><blockquote>a generic error code"));
    // The filter is there for JavaScript, hidden without it.
    assert!(page.contains("<form class=\"filter\" id=\"filter\" hidden>"));
}

#[test]
fn matrix_golden() {
    let a = sample();
    let mut b = sample();
    b.results.truncate(3);
    let cols = [
        matrix::Column { name: "alpha | h2c", server: Some("alpha/1.0 <x>"), report: &a, races: None },
        matrix::Column { name: "beta", server: None, report: &b, races: None },
    ];
    check("matrix.md", &matrix::matrix_markdown(&cols, matrix::Peers::Servers));
    let page = matrix::matrix_html(&cols, matrix::Peers::Servers);
    check("matrix.html", &page);
    assert!(page.contains("<th>alpha | h2c</th>") && page.contains("alpha/1.0 &lt;x&gt;"));
    // A failure opens to its transcript; other cells carry their details as a tooltip.
    assert!(page.contains("<details><summary>FAIL</summary>") && page.contains("GOAWAY len=0x8 last_stream=0"));
    assert!(page.contains("title=\"skipped: no SETTINGS_MAX_CONCURRENT_STREAMS &lt;none&gt;\""));
    assert!(!page.contains('\x1b') && !page.contains('\0'));
}

/// A peer's own race (a set in its golden file) shows the least favourable of the set,
/// counted so, whichever member this run saw; a verdict outside the set shows as it is.
#[test]
fn matrix_races_show_the_least_favourable_of_their_set() {
    use h2probe_harness::model::Class;
    let r = sample();
    let lenient = r.results.iter().find(|c| c.verdict.class() == Class::Lenient).expect("a lenient case");
    let pass = r.results.iter().find(|c| c.verdict.class() == Class::Pass).expect("a pass");
    let races: std::collections::BTreeMap<String, Vec<Class>> = [
        (lenient.info.id.clone(), vec![Class::Fail, Class::Lenient]),
        (pass.info.id.clone(), vec![Class::Lenient, Class::Skip]),
    ]
    .into();
    let plain = matrix::Column { name: "p", server: None, report: &r, races: None };
    let raced = matrix::Column { name: "r", server: None, report: &r, races: Some(&races) };
    assert_eq!(raced.shown(lenient), Class::Fail);
    assert_eq!(raced.shown(pass), Class::Pass, "outside its set: as seen");
    let (before, after) = (matrix::counts(&plain), matrix::counts(&raced));
    assert_eq!((after[Class::Fail as usize], after[Class::Lenient as usize]), (before[Class::Fail as usize] + 1, before[Class::Lenient as usize] - 1));
    let md = matrix::matrix_markdown(&[raced], matrix::Peers::Clients);
    assert!(md.contains("least favourable of the set"), "the legend says so");
    assert!(md.contains(&format!("| `{}` | FAIL |", lenient.info.id)), "{md}");
    assert!(!matrix::matrix_markdown(&[plain], matrix::Peers::Clients).contains("least favourable"), "no race, no sentence");
    let page = matrix::matrix_html(&[raced], matrix::Peers::Clients);
    assert!(page.contains("(shown as fail: the client&#39;s own race decides between fail and lenient"), "the tooltip says why");
}

#[test]
fn junit_times_have_at_most_three_decimals() {
    // Durations whose f64 sum is not exact (0.1 + 0.2 …) once printed unrounded.
    let mut r = sample();
    for (i, c) in r.results.iter_mut().enumerate() {
        c.duration_ms = [100, 200, 1278, 7, 33, 1, 9][i % 7];
        c.duration_us = c.duration_ms * 1000 + 1;
        c.info.section = "RFC 9113 §6.7".into();
    }
    let xml = junit::render(&r).expect("renders");
    for part in xml.split(" time=\"").skip(1) {
        let value = &part[..part.find('"').expect("closing quote")];
        let decimals = value.split('.').nth(1).map_or(0, str::len);
        assert!(decimals <= 3, "time=\"{value}\" has more than 3 decimals");
    }
}
