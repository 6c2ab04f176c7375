//! `h2probe fuzz` and `h2probe replay` as scripts use them: the loopback gate before any
//! connection, usage errors as one line and exit 2, a campaign's summary and exit status.

use std::net::TcpListener;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn h2probe(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_h2probe")).args(args).output().expect("run h2probe")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn scratch(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("h2probe-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

#[test]
fn fuzzing_a_target_that_is_not_loopback_is_refused_before_any_connection() {
    let started = Instant::now();
    for args in [
        vec!["fuzz", "http://192.0.2.1:80/"],
        vec!["fuzz", "https://[2001:db8::1]:443/", "--max-inputs", "5"],
        vec!["replay", "no-such-file.json", "http://192.0.2.1:80/"],
    ] {
        let o = h2probe(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        let err = stderr(&o);
        assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
        if args[0] == "fuzz" {
            assert!(err.contains("--i-own-this-target") && err.contains("refusing to fuzz"), "{err}");
        }
    }
    // 192.0.2.1 is TEST-NET-1: a connection attempt would hang until the timeout.
    assert!(started.elapsed() < Duration::from_secs(5), "refused without connecting");
}

#[test]
fn bad_flags_are_usage_errors() {
    for args in [
        vec!["fuzz", "http://127.0.0.1:1/", "--shard", "2/2"],
        vec!["fuzz", "http://127.0.0.1:1/", "--shard", "1"],
        vec!["fuzz", "http://127.0.0.1:1/", "--max-seconds", "0"],
        vec!["fuzz", "http://127.0.0.1:1/", "--jobs", "0"],
        vec!["fuzz", "http://127.0.0.1:1/", "--targets", "t.tsv"],
        vec!["fuzz"],
        vec!["replay", "x.json"],
    ] {
        let o = h2probe(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn an_unreachable_target_is_exit_2() {
    let port = TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
    let o = h2probe(&["fuzz", &format!("http://127.0.0.1:{port}/"), "--max-inputs", "5", "-q"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("refused"), "{}", stderr(&o));
}

#[test]
fn replay_names_what_is_wrong_with_a_file() {
    let dir = scratch("replay-files");
    std::fs::create_dir_all(&dir).expect("dir");
    let not_json = dir.join("a.json");
    std::fs::write(&not_json, "{").expect("write");
    let future = dir.join("b.json");
    std::fs::write(&future, r#"{"version": 2}"#).expect("write");
    for (file, says) in [(&not_json, "not an h2probe reproducer"), (&future, "version 2")] {
        let o = h2probe(&["replay", &file.display().to_string(), "http://127.0.0.1:1/"]);
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr(&o).contains(says), "{}", stderr(&o));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn help_lists_the_campaign_flags() {
    let o = h2probe(&["fuzz", "--help"]);
    let text = String::from_utf8_lossy(&o.stdout);
    for flag in ["--seed", "--shard", "--findings", "--corpus", "--spawn", "--server-pid", "--i-own-this-target", "--max-inputs", "--max-seconds", "--targets", "--jobs"] {
        assert!(text.contains(flag), "{flag} missing from fuzz --help");
    }
    assert!(!text.contains("--send-only"), "the benchmark flag stays hidden");
}
