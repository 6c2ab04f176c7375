//! The command line as scripts and CI jobs use it: exit statuses, one-line errors, `list`.

use std::process::{Command, Output};

fn h2probe(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_h2probe")).args(args).output().expect("run h2probe")
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
    let o = h2probe(&["conform", &format!("http://127.0.0.1:{port}/"), "--timeout", "500"]);
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
    assert_eq!(results.len(), 7, "one case per flood class");
    for r in results {
        let status = r["verdict"]["status"].as_str().unwrap_or_default();
        assert!(status == "pass" || status == "lenient", "{}: {}", r["info"]["id"], r["verdict"]);
    }
    // hyper's h2 answers Rapid Reset with GOAWAY(ENHANCE_YOUR_CALM) "too_many_resets".
    let rapid = results.iter().find(|r| r["info"]["id"] == "rfc9113/10.5/rapid-reset").expect("rapid reset ran");
    assert!(rapid["verdict"]["observed"].as_str().is_some_and(|o| o.contains("ENHANCE_YOUR_CALM")), "{rapid}");
    let _ = std::fs::remove_dir_all(&dir);
}
