//! The command line as scripts and CI jobs use it: exit statuses, one-line errors, `list`.

use std::process::{Command, Output};

/// Runs h2probe with its output piped and no colour forced by the caller's environment (a CI
/// runner's FORCE_COLOR would put escape codes in every output the tests read).
fn h2probe(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_h2probe"))
        .args(args)
        .env_remove("CLICOLOR_FORCE")
        .env_remove("FORCE_COLOR")
        .output()
        .expect("run h2probe")
}

/// Whether this is a clone of the repository, not a crates.io package: a package holds src/
/// and tests/ but not ci/ or docs/, so the tests that read those pass there without them.
fn in_clone() -> bool {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ci").is_dir()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn list_json_has_the_documented_fields_and_every_h2spec_alias() {
    let o = h2probe(&["list", "--all", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let cases: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).expect("one JSON array");
    for c in &cases {
        for key in ["id", "section", "h2spec", "level", "description", "tags"] {
            assert!(c.get(key).is_some(), "{key} missing in {c}");
        }
    }
    let aliases: std::collections::HashSet<&str> = cases
        .iter()
        .flat_map(|c| c["h2spec"].as_str().into_iter().chain(c["aliases"].as_array().into_iter().flatten().filter_map(|a| a.as_str())))
        .collect();
    let mut missing = Vec::new();
    for id in h2spec_ids() {
        if !aliases.contains(id.as_str()) {
            missing.push(id);
        }
    }
    assert!(missing.is_empty(), "h2spec cases without an equivalent: {missing:?}");
}

/// h2spec's 147 case ids (generic 44, http2 95, hpack 8), from its published case list.
fn h2spec_ids() -> Vec<String> {
    let mut ids = Vec::new();
    let groups: &[(&str, &[(&str, u32)])] = &[
        (
            "generic",
            &[("1", 1), ("2", 5), ("3.1", 3), ("3.2", 3), ("3.3", 5), ("3.4", 1), ("3.5", 1), ("3.7", 1), ("3.8", 1), ("3.9", 2), ("3.10", 2), ("4", 4), ("5", 15)],
        ),
        (
            "http2",
            &[
                ("3.5", 2), ("4.1", 3), ("4.2", 3), ("4.3", 3), ("5.1", 13), ("5.1.1", 2), ("5.1.2", 1), ("5.3.1", 2), ("5.4.1", 2), ("5.5", 2),
                ("6.1", 3), ("6.2", 4), ("6.3", 2), ("6.4", 3), ("6.5", 3), ("6.5.2", 5), ("6.5.3", 2), ("6.7", 4), ("6.8", 1), ("6.9", 3),
                ("6.9.1", 3), ("6.9.2", 3), ("6.10", 6), ("7", 2), ("8.1", 1), ("8.1.2", 1), ("8.1.2.1", 4), ("8.1.2.2", 2), ("8.1.2.3", 7),
                ("8.1.2.6", 2), ("8.2", 1),
            ],
        ),
        ("hpack", &[("2.3.3", 2), ("4.2", 1), ("5.2", 3), ("6.1", 1), ("6.3", 1)]),
    ];
    for (group, sections) in groups {
        for (section, n) in *sections {
            for i in 1..=*n {
                ids.push(format!("{group}/{section}/{i}"));
            }
        }
    }
    assert_eq!(ids.len(), 147);
    ids
}

#[test]
fn bad_url_is_a_one_line_usage_error() {
    for url in ["ftp://127.0.0.1/", "127.0.0.1:80", "http://", "http://user@127.0.0.1/"] {
        let o = h2probe(&["conform", url]);
        assert_eq!(o.status.code(), Some(2), "{url}: {}", stderr(&o));
        let err = stderr(&o);
        assert_eq!(err.trim_end().lines().count(), 1, "{url}: not one line: {err}");
        assert!(err.starts_with("h2probe: error:"), "{err}");
    }
}

#[test]
fn refused_connection_exits_2_naming_the_cause() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    let o = h2probe(&["conform", &format!("http://127.0.0.1:{port}/"), "--timeout", "500ms"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("refused"), "{}", stderr(&o));
}

#[test]
fn unknown_selection_and_unreadable_files_exit_2() {
    let o = h2probe(&["list", "rfc9113/99.9"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no case matches"), "{}", stderr(&o));
    let o = h2probe(&["conform", "https://127.0.0.1:1/", "--ca", "/nonexistent/ca.pem"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("/nonexistent/ca.pem"), "{}", stderr(&o));
}

#[test]
fn serve_demo_refuses_non_loopback_and_bad_key_files_before_listening() {
    for addr in ["0.0.0.0:0", "[::]:0", "192.0.2.1:0"] {
        let o = h2probe(&["serve-demo", "--listen", addr]);
        assert_eq!(o.status.code(), Some(2), "{addr}: {}", stderr(&o));
        assert!(stderr(&o).contains("only loopback"), "{addr}: {}", stderr(&o));
    }
    let o = h2probe(&["serve-demo", "--listen", "127.0.0.1:0", "--tls-listen", "[::]:0", "--cert", "/x", "--key", "/y"]);
    assert!(stderr(&o).contains("--tls-listen") && stderr(&o).contains("only loopback"), "{}", stderr(&o));
    let o = h2probe(&["serve-demo", "--listen", "127.0.0.1:0", "--tls-listen", "127.0.0.1:0", "--cert", "/nonexistent/c.pem", "--key", "/y"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.starts_with("h2probe: error:") && err.contains("/nonexistent/c.pem"), "{err}");
}

#[test]
fn demo_runs_the_suite_against_the_embedded_server_and_writes_reports() {
    let dir = std::env::temp_dir().join(format!("h2probe-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let junit = dir.join("r.xml");
    let json = dir.join("r.json");
    let o = h2probe(&["demo", "--junit", junit.to_str().unwrap_or_default(), "--json", json.to_str().unwrap_or_default()]);
    // hyper's server has known deviations, so 1 (a case failed) is a valid outcome; 2 is not.
    assert!(matches!(o.status.code(), Some(0) | Some(1)), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).expect("json written")).expect("valid json");
    assert_eq!(report["schema"], "h2probe-report/2");
    assert!(report["results"].as_array().is_some_and(|r| r.len() > 100));
    let xml = std::fs::read_to_string(&junit).expect("junit written");
    assert!(xml.contains("<testsuite"), "{xml}");
    // A real run's JUnit against the published schema (ci/test.sh provides it).
    if let Ok(xsd) = std::env::var("H2PROBE_JUNIT_XSD") {
        let out = Command::new("xmllint").args(["--noout", "--schema", &xsd]).arg(&junit).output().expect("xmllint runs");
        assert!(out.status.success(), "demo JUnit does not validate: {}", String::from_utf8_lossy(&out.stderr));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn floods_refuse_targets_outside_loopback_before_connecting() {
    // 0.0.0.0 is not loopback, yet a connection attempt by mistake would stay on this host.
    for args in [
        vec!["stress", "http://0.0.0.0:9/"],
        vec!["stress", "https://0.0.0.0:9/", "rfc9113/10.5/ping-flood"],
        vec!["conform", "http://0.0.0.0:9/", "flood"],
        vec!["conform", "http://0.0.0.0:9/", "rfc9113/10.5/hpack-bomb"],
    ] {
        let started = std::time::Instant::now();
        let o = h2probe(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        let err = stderr(&o);
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: not one line: {err}");
        assert!(err.contains("refusing to flood 0.0.0.0") && err.contains("--i-own-this-target"), "{err}");
        assert!(started.elapsed() < std::time::Duration::from_secs(2), "{args:?}: refused only after trying");
    }
}

#[test]
fn stress_runs_only_resilience_cases_and_checks_its_bounds() {
    let o = h2probe(&["stress", "http://127.0.0.1:9/", "rfc9113/6.5"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("names no resilience case"), "{}", stderr(&o));
    for bad in [["--max-seconds", "0"], ["--max-seconds", "301"], ["--max-frames", "0"], ["--max-frames", "10000001"]] {
        let o = h2probe(&["stress", "http://127.0.0.1:9/", bad[0], bad[1]]);
        assert_eq!(o.status.code(), Some(2), "{bad:?}: {}", stderr(&o));
    }
    // The conformance run leaves the flood group out unless it is selected.
    let o = h2probe(&["list", "--format", "json"]);
    let cases: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).expect("one JSON array");
    assert!(cases.iter().all(|c| !c["tags"].as_array().is_some_and(|t| t.iter().any(|t| t == "flood"))));
}

#[test]
fn demo_floods_the_embedded_server_and_reports_each_reaction() {
    let dir = std::env::temp_dir().join(format!("h2probe-cli-flood-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let json = dir.join("r.json");
    let o = h2probe(&["demo", "flood", "--max-frames", "3000", "--json", json.to_str().unwrap_or_default()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).expect("json written")).expect("valid json");
    let results = report["results"].as_array().expect("results");
    assert_eq!(results.len(), h2probe_cases::all().iter().filter(|c| c.tags.contains(&"flood")).count(), "one case per attack class");
    for r in results {
        let status = r["verdict"]["status"].as_str().unwrap_or_default();
        assert!(status == "pass" || status == "lenient", "{}: {}", r["info"]["id"], r["verdict"]);
    }
    // hyper's h2 answers Rapid Reset with GOAWAY(ENHANCE_YOUR_CALM) "too_many_resets".
    let rapid = results.iter().find(|r| r["info"]["id"] == "rfc9113/10.5/rapid-reset").expect("rapid reset ran");
    assert!(rapid["verdict"]["observed"].as_str().is_some_and(|o| o.contains("ENHANCE_YOUR_CALM")), "{rapid}");
    // The server runs inside h2probe: its process figures would be the attack's too.
    let slow = results.iter().find(|r| r["info"]["id"] == "rfc9113/10.5/slow-preface").expect("slow preface ran");
    assert!(slow["verdict"]["observed"].as_str().is_some_and(|o| o.contains("judged on the canary alone")), "{slow}");
    let _ = std::fs::remove_dir_all(&dir);
}

// ---------------------------------------------------------------------------------------
// Endpoints that are not HTTP/2: one line, exit 2, before any case (in-process fixtures on
// 127.0.0.1, each connection bounded in time).

mod fixtures {
    use std::io::{Read, Write};
    use std::net::{TcpListener, TcpStream};
    use std::time::Duration;

    /// A fatal handshake_failure alert, as a TLS server sends to a client it cannot talk to.
    pub const TLS_ALERT: [u8; 7] = [0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28];

    /// Serves `behaviour` on up to 32 connections, each on its own thread; the port.
    pub fn serve(behaviour: fn(TcpStream)) -> u16 {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().expect("addr").port();
        std::thread::spawn(move || {
            for stream in listener.incoming().take(32).flatten() {
                let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
                std::thread::spawn(move || behaviour(stream));
            }
        });
        port
    }

    fn read_some(s: &mut TcpStream) {
        let mut buf = [0u8; 256];
        let _ = s.read(&mut buf);
    }

    pub fn http1(mut s: TcpStream) {
        read_some(&mut s);
        let _ = s.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    }

    pub fn tls(mut s: TcpStream) {
        read_some(&mut s);
        let _ = s.write_all(&TLS_ALERT);
    }

    pub fn silent(s: TcpStream) {
        std::thread::sleep(Duration::from_secs(3));
        drop(s);
    }

    pub fn garbage(mut s: TcpStream) {
        read_some(&mut s);
        let _ = s.write_all(b"SSH-2.0-OpenSSH_9.2p1\r\n");
        std::thread::sleep(Duration::from_secs(3));
    }

    /// GOAWAY debug data that tries to break out of a report: the end of a CDATA section,
    /// markup closing the test case and opening a forged one, a terminal escape, a script.
    pub const HOSTILE_DEBUG: &[u8] =
        b"]]></failure></system-out></testcase><testcase name=\"forged\"><system-out>\x1b[2J\x1b]8;;http://x/\x07<script>alert(1)</script>\r\nforged line";

    /// An HTTP/2 server that completes the handshake, then answers the first frame a case
    /// sends (anything but SETTINGS and WINDOW_UPDATE) with GOAWAY(PROTOCOL_ERROR) carrying
    /// [`HOSTILE_DEBUG`], and closes.
    pub fn hostile_goaway(mut s: TcpStream) {
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        let mut answered_settings = false;
        loop {
            match s.read(&mut chunk) {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
            if buf.len() < 24 {
                continue;
            }
            if !answered_settings {
                // Our SETTINGS (none) and the ACK of the client's.
                let _ = s.write_all(&[0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 4, 1, 0, 0, 0, 0]);
                answered_settings = true;
            }
            let mut at = 24;
            while let Some(head) = buf.get(at..at + 9) {
                let len = u32::from_be_bytes([0, head[0], head[1], head[2]]) as usize;
                if head[3] != 0x4 && head[3] != 0x8 {
                    let mut goaway = Vec::new();
                    let payload_len = 8 + HOSTILE_DEBUG.len() as u32;
                    goaway.extend_from_slice(&payload_len.to_be_bytes()[1..]);
                    goaway.extend_from_slice(&[7, 0, 0, 0, 0, 0]);
                    goaway.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 1]);
                    goaway.extend_from_slice(HOSTILE_DEBUG);
                    let _ = s.write_all(&goaway);
                    std::thread::sleep(Duration::from_millis(50));
                    return;
                }
                at += 9 + len;
            }
        }
    }
}

#[test]
fn a_hostile_server_cannot_write_into_the_reports() {
    let port = fixtures::serve(fixtures::hostile_goaway);
    let url = format!("http://127.0.0.1:{port}/");
    let dir = std::env::temp_dir().join(format!("h2probe-cli-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let (junit, html, json) = (dir.join("r.xml"), dir.join("r.html"), dir.join("r.json"));
    let o = h2probe(&[
        "conform",
        &url,
        "rfc9113/6.7",
        "-v",
        "--timeout",
        "1s",
        "--junit",
        junit.to_str().unwrap_or_default(),
        "--html",
        html.to_str().unwrap_or_default(),
        "--json",
        json.to_str().unwrap_or_default(),
    ]);
    assert!(matches!(o.status.code(), Some(0) | Some(1)), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).expect("json")).expect("valid json");
    let ran = report["results"].as_array().map_or(0, Vec::len);
    assert!(ran >= 4, "{report}");
    // JSON keeps the server's text (escaped by JSON itself) ...
    let texts: Vec<&str> = report["results"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|r| r["transcript"].as_array().into_iter().flatten())
        .filter_map(|l| l["text"].as_str())
        .collect();
    assert!(texts.iter().any(|t| t.contains("<testcase name=\\\"forged\\\">")), "the debug data reached the report: {texts:?}");
    // ... the terminal shows it, with no escape sequence and no line of its own ...
    let out = stdout(&o);
    assert!(out.contains("<testcase name=\\\"forged\\\">"), "{out}");
    assert!(!out.contains('\x1b') && !out.contains('\x07') && !out.contains('\r'), "raw control bytes on the terminal");
    assert!(!out.lines().any(|l| l.trim_start().starts_with("forged line")), "{out}");
    // ... the JUnit file is well-formed with one <testcase> per result, none forged ...
    let xml = std::fs::read_to_string(&junit).expect("junit");
    let doc = roxmltree::Document::parse(&xml).expect("well-formed JUnit");
    let names: Vec<&str> = doc.descendants().filter(|n| n.has_tag_name("testcase")).filter_map(|n| n.attribute("name")).collect();
    assert_eq!(names.len(), ran, "{names:?}");
    assert!(!names.contains(&"forged") && !xml.contains("CDATA"));
    assert!(doc.descendants().any(|n| n.text().is_some_and(|t| t.contains("<testcase name=\\\"forged\\\">"))), "shown as text");
    if let Ok(xsd) = std::env::var("H2PROBE_JUNIT_XSD") {
        let v = Command::new("xmllint").args(["--noout", "--schema", &xsd]).arg(&junit).output().expect("xmllint runs");
        assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stderr));
    }
    // ... and the HTML carries it as escaped text only.
    let page = std::fs::read_to_string(&html).expect("html");
    assert!(!page.contains("<testcase") && !page.contains("<script>alert") && !page.contains('\x1b'));
    assert!(page.contains("&lt;testcase name=\\&quot;forged\\&quot;&gt;"), "escaped in the page");
    let _ = std::fs::remove_dir_all(&dir);
}

fn one_line_error(o: &Output) -> String {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "not one line: {err}");
    assert!(err.starts_with("h2probe: error:"), "{err}");
    assert!(o.stdout.is_empty(), "no report: {}", String::from_utf8_lossy(&o.stdout));
    err
}

#[test]
fn not_http2_endpoints_are_one_line_and_exit_2() {
    for (behaviour, want) in [
        (fixtures::http1 as fn(std::net::TcpStream), "the server answered HTTP/1.1 400: it does not speak h2c with prior knowledge on this port"),
        (fixtures::tls, "this port speaks TLS (it answered the h2c preface with a TLS alert record): use https://127.0.0.1:"),
        (fixtures::silent, "no SETTINGS within 500ms: the server accepted the connection but sent nothing"),
        (fixtures::garbage, "garbage where its SETTINGS frame was due, first octets 53 53 48 2d"),
    ] {
        let port = fixtures::serve(behaviour);
        let url = format!("http://127.0.0.1:{port}/");
        let err = one_line_error(&h2probe(&["conform", &url, "--timeout", "500ms"]));
        assert!(err.contains(want), "{want}: {err}");
        // Same check for stress (a loopback target, so floods are allowed) ...
        let err = one_line_error(&h2probe(&["stress", &url, "--timeout", "500ms"]));
        assert!(err.contains(want), "stress: {want}: {err}");
    }
    // ... and for each target of a matrix, named.
    let port = fixtures::serve(fixtures::http1);
    let dir = std::env::temp_dir().join(format!("h2probe-cli-matrix-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let targets = dir.join("t.tsv");
    std::fs::write(&targets, format!("old http {port}\n")).expect("write");
    let err = one_line_error(&h2probe(&["matrix", "--targets", targets.to_str().unwrap_or_default(), "--timeout", "500ms"]));
    assert!(err.contains(&format!("old h2c (http://127.0.0.1:{port}/): 127.0.0.1:{port}: the server answered HTTP/1.1 400")), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

// ---------------------------------------------------------------------------------------
// CLI habits

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn durations_need_units_and_zero_is_refused() {
    for bad in [["--timeout", "2"], ["--timeout", "0s"], ["--timeout", "0"], ["--deadline", "0"], ["--deadline", "600"], ["--jobs", "0"]] {
        let o = h2probe(&["conform", "http://127.0.0.1:1/", bad[0], bad[1]]);
        assert_eq!(o.status.code(), Some(2), "{bad:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(&format!("invalid value '{}' for '{}", bad[1], bad[0])), "{bad:?}: {}", stderr(&o));
    }
    let o = h2probe(&["conform", "http://127.0.0.1:1/", "--timeout", "2"]);
    assert!(stderr(&o).contains("write 2s for seconds or 2ms for milliseconds"), "{}", stderr(&o));
    let o = h2probe(&["conform", "http://127.0.0.1:1/", "-j", "report.xml"]);
    assert!(stderr(&o).contains("--junit FILE"), "{}", stderr(&o));
}

#[test]
fn h2spec_flags_get_a_hint() {
    for (flag, hint) in [
        ("-S", "use --strict"),
        ("--dryrun", "`h2probe list [SELECTION]`"),
        ("-o", "use --timeout 2s (h2spec's -o is in seconds"),
        ("-P", "use --path P"),
    ] {
        let o = h2probe(&["conform", "http://127.0.0.1:1/", flag]);
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr(&o).contains(hint), "{flag}: {}", stderr(&o));
    }
}

/// The JSON report of a demo run written to stdout (`--json -`), the terminal report on stderr.
fn demo_json(args: &[&str]) -> (Output, serde_json::Value) {
    let mut all = vec!["demo", "--json", "-"];
    all.extend_from_slice(args);
    let o = h2probe(&all);
    let v = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("stdout is the JSON report alone ({e}): {}", stdout(&o)));
    (o, v)
}

#[test]
fn exclude_takes_one_value_and_the_selection_stays_positional() {
    let (o, report) = demo_json(&["--exclude", "rfc9113/8", "rfc9113/3.4"]);
    assert!(matches!(o.status.code(), Some(0) | Some(1)), "{}", stderr(&o));
    let ids: Vec<&str> = report["results"].as_array().expect("results").iter().filter_map(|r| r["info"]["id"].as_str()).collect();
    assert!(!ids.is_empty() && ids.iter().all(|id| id.starts_with("rfc9113/3.4/")), "{ids:?}");
    assert!(stderr(&o).contains("h2probe 0.1.0 against"), "terminal report on stderr: {}", stderr(&o));
}

#[test]
fn list_shows_what_conform_runs_grouped_by_section() {
    let o = h2probe(&["list", "--format", "json"]);
    let listed: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).expect("json");
    let (_, report) = demo_json(&[]);
    assert_eq!(report["results"].as_array().map(Vec::len), Some(listed.len()), "list and conform agree on the default set");

    let text = stdout(&h2probe(&["list", "rfc9113/6.5"]));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.first().copied(), Some("RFC 9113 §6.5  SETTINGS"), "{text}");
    assert!(lines.contains(&"RFC 9113 §6.5.3  Settings Synchronization"), "{text}");
    let pos = |s: &str| lines.iter().position(|l| l.starts_with(s)).unwrap_or_else(|| panic!("{s} missing: {text}"));
    assert!(pos("RFC 9113 §6.5.2") < pos("RFC 9113 §6.5.3"), "sections in RFC order: {text}");
    assert!(pos("  rfc9113/6.5.2/accepts-largest-initial-window") < pos("  rfc9113/6.5.2/unknown-setting"), "{text}");
    assert!(text.ends_with("18 cases\n"), "13 cases and 5 passive checks: {text}");
    assert!(stdout(&h2probe(&["list", "rfc9113/6.5.3/ack"])).ends_with("\n1 case\n"));
}

/// The README's catalogue section counts what `h2probe list` lists (it had fallen behind the
/// catalogue by 58 entries).
#[test]
fn the_readme_counts_the_catalogue() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README.md");
    let section = readme.split("### The catalogue").nth(1).and_then(|s| s.split("\n### ").next()).expect("catalogue section");
    let list = |args: &[&str]| -> Vec<serde_json::Value> {
        let o = h2probe(&[&["list", "--format", "json"], args].concat());
        serde_json::from_slice(&o.stdout).expect("json")
    };
    let tagged = |c: &serde_json::Value, tag: &str| c["tags"].as_array().is_some_and(|t| t.iter().any(|x| x == tag));
    let all = list(&["--all"]);
    let default = list(&[]);
    let is_check = |c: &serde_json::Value| tagged(c, "server-output");
    let count = |set: &[serde_json::Value], f: &dyn Fn(&serde_json::Value) -> bool| set.iter().filter(|c| f(c)).count();
    let rfc = |c: &serde_json::Value, prefixes: &[&str]| {
        !is_check(c) && !tagged(c, "flood") && prefixes.iter().any(|p| c["id"].as_str().is_some_and(|id| id.starts_with(p)))
    };
    let want = [
        format!("{} entries (`h2probe list --all`): {} cases,", all.len(), count(&all, &|c| !is_check(c))),
        format!("and {} passive checks:", count(&all, &is_check)),
        format!("| RFC 9113 | {} |", count(&all, &|c| rfc(c, &["rfc9113/"]))),
        format!("| RFC 7541 (HPACK) | {} |", count(&all, &|c| rfc(c, &["rfc7541/"]))),
        format!("| RFC 9218, RFC 8441 | {} |", count(&all, &|c| rfc(c, &["rfc9218/", "rfc8441/"]))),
        format!("| resilience (RFC 9113 §10.5) | {} |", count(&all, &|c| tagged(c, "flood"))),
        format!("| passive checks (tag `server-output`) | {} |", count(&all, &is_check)),
        format!("{} cases and {} checks", count(&default, &|c| !is_check(c)), count(&default, &is_check)),
    ];
    let flat = section.split_whitespace().collect::<Vec<_>>().join(" ");
    for w in want {
        assert!(flat.contains(&w), "README.md's catalogue section should say {w:?}");
    }
}

#[test]
fn selections_ignore_case_and_suggest_near_misses() {
    let o = h2probe(&["list", "RFC9113/3.4"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = h2probe(&["list", "rfc9113/3.4/invalid-prefac"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("did you mean 'rfc9113/3.4/invalid-preface'?"), "{}", stderr(&o));
}

#[test]
fn a_closed_pipe_ends_quietly() {
    use std::io::Read;
    let mut child = Command::new(env!("CARGO_BIN_EXE_h2probe"))
        .args(["list", "--all", "--format", "json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut first = [0u8; 16];
    child.stdout.take().expect("stdout").read_exact(&mut first).expect("some output");
    // The read end is dropped here, like `| head -c 16`; the rest (far more than a pipe
    // buffer holds) then fails with EPIPE.
    let o = child.wait_with_output().expect("wait");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).is_empty(), "no panic, no message: {}", stderr(&o));
}

#[test]
fn report_paths_are_checked_before_connecting() {
    let o = h2probe(&["conform", "http://127.0.0.1:1/", "--junit", "/nonexistent/dir/r.xml"]);
    let err = one_line_error(&o);
    assert!(err.contains("cannot write --junit /nonexistent/dir/r.xml: no directory /nonexistent/dir"), "{err}");
    let o = h2probe(&["conform", "http://127.0.0.1:1/", "--json", "-", "--html", "-"]);
    assert!(one_line_error(&o).contains("both write stdout"));
}

#[test]
fn colour_by_flag_and_environment() {
    let esc = |o: &Output| o.stdout.contains(&0x1b) || o.stderr.contains(&0x1b);
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_h2probe"));
        c.args(["demo", "rfc9113/3.4"]).args(args).env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE").env_remove("FORCE_COLOR");
        for (k, v) in env {
            c.env(k, v);
        }
        c.output().expect("run")
    };
    assert!(!esc(&run(&[], &[])), "piped: no colour");
    assert!(esc(&run(&["--color", "always"], &[("NO_COLOR", "1")])), "--color always wins");
    assert!(esc(&run(&[], &[("CLICOLOR_FORCE", "1")])), "CLICOLOR_FORCE");
    assert!(esc(&run(&[], &[("FORCE_COLOR", "1")])), "FORCE_COLOR");
    assert!(!esc(&run(&[], &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")])), "NO_COLOR beats CLICOLOR_FORCE");
    assert!(!esc(&run(&["--color", "never"], &[("CLICOLOR_FORCE", "1")])));
}

#[test]
fn quiet_prints_failures_and_the_summary_only() {
    let full = stdout(&h2probe(&["demo"]));
    let o = h2probe(&["demo", "-q"]);
    let quiet = stdout(&o);
    let counts = |t: &str| t.lines().last().and_then(|l| l.split(" in ").next()).map(str::to_string);
    assert_eq!(counts(&quiet), counts(&full), "same summary line (the time differs)");
    let first = |t: &str| t.lines().next().and_then(|l| l.split(':').next()).map(str::to_string);
    assert_eq!(first(&quiet), first(&full), "same first line (the port differs)");
    let failed = quiet.lines().filter(|l| l.starts_with("✗ ")).count();
    assert_eq!(quiet.lines().count(), failed + 2, "{quiet}");
    assert!(!quiet.contains("✓"), "{quiet}");
}

#[test]
fn written_known_failures_make_the_next_run_pass() {
    let dir = std::env::temp_dir().join(format!("h2probe-cli-expect-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let file = dir.join("known.txt");
    let path = file.to_str().unwrap_or_default();
    // The whole suite: hyper fails some cases (which ones changes with the judge; if none
    // fails, the file lists none).
    let o = h2probe(&["demo", "--write-expect", path]);
    let failed = match o.status.code() {
        Some(1) => true,
        Some(0) => false,
        other => panic!("{other:?}: {}", stderr(&o)),
    };
    let text = std::fs::read_to_string(&file).expect("written");
    let listed: Vec<&str> = text.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).collect();
    assert_eq!(!listed.is_empty(), failed, "{text}");
    assert!(listed.iter().all(|l| l.contains(" expected ") && l.contains("; got ")), "reasons prefilled: {text}");
    let o = h2probe(&["demo", "--expect", path]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));

    // h2spec ids are accepted; a case listed twice is not.
    // http2/3.5/1 is rfc9113/3.4/server-preface-is-settings, which hyper passes.
    std::fs::write(&file, "http2/3.5/1 alias\n").expect("write");
    let o = h2probe(&["demo", "rfc9113/3.4/server-preface-is-settings", "--expect", path]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("unexpected pass"), "the alias named the case: {}", stdout(&o));
    std::fs::write(&file, "rfc9113/3.4/invalid-preface a\nrfc9113/3.4/invalid-preface b\n").expect("write");
    // Read before connecting: the unreachable port is never tried.
    let err = one_line_error(&h2probe(&["conform", "http://127.0.0.1:1/", "--expect", path]));
    assert!(err.contains(":2: rfc9113/3.4/invalid-preface is listed twice (first on line 1)"), "{err}");

    // The CI examples' file names real cases.
    if in_clone() {
        let shipped = concat!(env!("CARGO_MANIFEST_DIR"), "/ci/examples/nghttpd-known-failures.txt");
        let o = h2probe(&["demo", "rfc9113/3.4", "--expect", shipped]);
        assert!(matches!(o.status.code(), Some(0) | Some(1)), "{}", stderr(&o));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The CI examples start green only while their known-failures file lists what nghttpd over
/// TLS fails today: the same cases as its golden verdicts (a case it has since passed would be
/// an "unexpected pass" in every user's first run, one it now fails would make the job red).
#[test]
fn the_ci_examples_known_failures_are_nghttpds_golden_failures() {
    if !in_clone() {
        return;
    }
    let root = env!("CARGO_MANIFEST_DIR");
    let read = |p: &str| std::fs::read_to_string(format!("{root}/{p}")).unwrap_or_else(|e| panic!("{p}: {e}"));
    let ids = |text: &str, keep: &dyn Fn(&str) -> bool| -> std::collections::BTreeSet<String> {
        text.lines()
            .filter(|l| !l.starts_with('#') && keep(l))
            .filter_map(|l| l.split_whitespace().next().map(str::to_string))
            .collect()
    };
    let shipped = ids(&read("ci/examples/nghttpd-known-failures.txt"), &|_| true);
    let golden = ids(&read("ci/expectations/nghttpd-https.verdicts"), &|l| l.split_whitespace().nth(1) == Some("fail"));
    assert_eq!(
        shipped, golden,
        "ci/examples/nghttpd-known-failures.txt is stale: regenerate it against nghttpd as the examples start it \
         (h2probe conform https://127.0.0.1:8443/ --insecure --write-expect …) and keep its header"
    );
}

#[test]
fn options_that_do_nothing_are_not_offered() {
    let help = |cmd: &str| stdout(&h2probe(&[cmd, "--help"]));
    assert!(!help("stress").contains("--jobs"), "floods run one at a time");
    assert!(!help("stress").contains("--no-fence"));
    assert!(!help("demo").contains("--i-own-this-target"), "demo floods only its own server");
    assert!(!help("conform").contains("in a matrix"));
    assert!(help("matrix").contains("each server's run"));
    assert!(help("conform").contains("--no-fence"), "named in the README, so shown");
}

#[test]
fn completions_man_page_and_version() {
    let o = h2probe(&["completions", "bash"]);
    assert!(o.status.success() && stdout(&o).contains("_h2probe"), "{}", stderr(&o));
    let o = h2probe(&["man"]);
    assert!(o.status.success() && stdout(&o).contains(".TH h2probe"), "{}", stderr(&o));
    let v = stdout(&h2probe(&["--version"]));
    assert!(v.starts_with(&format!("h2probe {}", env!("CARGO_PKG_VERSION"))), "{v}");
}

#[test]
fn one_slash_urls_are_named_as_such() {
    let err = one_line_error(&h2probe(&["conform", "http:/127.0.0.1:1/"]));
    assert!(err.contains("needs two slashes after 'http:': write http://127.0.0.1:1/"), "{err}");
}

#[test]
fn docs_requirements_md_is_the_generated_map() {
    if !in_clone() {
        return;
    }
    let o = h2probe(&["list", "--requirements"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/requirements.md");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == stdout(&o),
        "docs/requirements.md is out of date; regenerate it with `cargo run --release -- list --requirements > docs/requirements.md`"
    );
    let json = h2probe(&["list", "--requirements", "--format", "json"]);
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&json.stdout).expect("a JSON array");
    assert!(rows.len() >= 300, "{} requirements", rows.len());
}
