//! `h2probe matrix` end to end: against an in-process hyper server (always), and against the
//! real servers `ci/test.sh` starts, where the committed `docs/compat-matrix.md` must equal a
//! fresh run. `H2PROBE_TARGETS` and `H2PROBE_SERVERS_RUNNING` are read as in
//! `cases/tests/real_servers.rs`: only rows whose server is running take part.

use bytes::Bytes;
use http_body_util::Full;
use hyper_util::rt::{TokioExecutor, TokioIo};
use std::collections::BTreeMap;
use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const REGENERATE: &str = "cargo run --release -- matrix --targets ci/servers/targets.tsv --markdown docs/compat-matrix.md \
--html docs/compat-matrix.html --times docs/compat-matrix-times.md --runs 5 (with every server of ci/servers/targets.tsv \
running: ci/servers/up.sh), or UPDATE_GOLDEN=1 ci/test.sh";

fn h2probe(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_h2probe")).args(args).output().expect("run h2probe")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn tmp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("h2probe-matrix-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp dir");
    dir
}

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// hyper's HTTP/2 server on an ephemeral loopback port, on its own thread and runtime so the
/// test can block on the h2probe process. It lives as long as the test process.
fn start_hyper() -> u16 {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
            tx.send(listener.local_addr().expect("addr").port()).expect("send port");
            loop {
                let Ok((stream, _)) = listener.accept().await else { continue };
                tokio::spawn(async move {
                    let svc = hyper::service::service_fn(|_req| async {
                        Ok::<_, Infallible>(hyper::Response::new(Full::new(Bytes::from_static(b"hello from the matrix test\n"))))
                    });
                    let _ = hyper::server::conn::http2::Builder::new(TokioExecutor::new()).serve_connection(TokioIo::new(stream), svc).await;
                });
            }
        });
    });
    rx.recv().expect("server port")
}

#[test]
fn matrix_over_two_targets_writes_markdown_html_and_times() {
    let port = start_hyper();
    let dir = tmp_dir("hyper");
    let targets = dir.join("targets.tsv");
    std::fs::write(&targets, format!("# two names for one server, both line forms\nhyper\thttp\t{port}\nsame-hyper http://127.0.0.1:{port}/x\n"))
        .expect("write targets");
    let (md, html, times) = (dir.join("m.md"), dir.join("m.html"), dir.join("t.md"));
    let p = |p: &Path| p.to_str().expect("utf-8 path").to_string();
    let o = h2probe(&[
        "matrix", "--targets", &p(&targets), "--runs", "2", "--markdown", &p(&md), "--html", &p(&html), "--times", &p(&times),
        "rfc9113/6.5", "rfc9113/6.7",
    ]);
    let (out, err) = (text(&o.stdout), text(&o.stderr));
    assert_eq!(o.status.code(), Some(0), "stdout:\n{out}\nstderr:\n{err}");
    assert!(out.contains("verdicts identical in all 2 runs"), "{out}");
    assert!(out.contains("hyper h2c") && out.contains("same-hyper"), "{out}");
    assert_eq!(err.matches("run 2/2:").count(), 2, "a wall time per server per run: {err}");
    let md = std::fs::read_to_string(&md).expect("markdown written");
    assert!(md.contains("| case | hyper h2c | same-hyper |"), "{md}");
    assert!(md.contains(&format!("| same-hyper | `http://127.0.0.1:{port}/x` |")), "{md}");
    assert!(md.contains("| `rfc9113/6.7/ack-echoes-payload` | pass | pass |"), "{md}");
    assert!(!md.contains(" s |") && !md.contains("hyper/"), "no times or versions in the Markdown: {md}");
    let html = std::fs::read_to_string(&html).expect("html written");
    assert!(html.starts_with("<!doctype html>") && html.contains("<th>same-hyper</th>"));
    let times = std::fs::read_to_string(&times).expect("times written");
    assert!(times.contains("| hyper h2c |") && times.contains("2 runs"), "{times}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_targets_and_unreachable_servers_exit_2_with_one_line() {
    let dir = tmp_dir("bad");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let closed = listener.local_addr().expect("addr").port();
    drop(listener);
    for (body, want) in [
        ("nginx http 80\nnginx gopher 70\n", ":2: scheme 'gopher'"),
        ("# empty\n", "lists no server"),
        (&format!("gone http {closed}\n") as &str, "gone h2c (http://127.0.0.1:"),
    ] {
        let f = dir.join("t.tsv");
        std::fs::write(&f, body).expect("write");
        let o = h2probe(&["matrix", "--targets", f.to_str().expect("utf-8"), "--timeout", "500ms"]);
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{body}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{body}: not one line: {err}");
        assert!(err.starts_with("h2probe: error:") && err.contains(want), "{body}: {err}");
    }
    let o = h2probe(&["matrix", "--targets", "/nonexistent/targets.tsv"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("/nonexistent/targets.tsv"));
    let o = h2probe(&["matrix", "--targets", "x", "--runs", "0"]);
    assert_eq!(o.status.code(), Some(2), "--runs 0 is a usage error");
    let f = dir.join("t.tsv");
    std::fs::write(&f, format!("gone http {closed}\n")).expect("write");
    let o = h2probe(&["matrix", "--targets", f.to_str().expect("utf-8"), "--expectations", "/nonexistent/expectations"]);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("--expectations /nonexistent/expectations: not a directory") && !err.contains("gone"), "checked first: {err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Rows of a targets file that are not comments, and those whose server is running.
fn target_rows() -> Option<(PathBuf, Vec<String>, Vec<String>)> {
    let path = PathBuf::from(std::env::var_os("H2PROBE_TARGETS")?);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read H2PROBE_TARGETS {path:?}: {e}"));
    let only: Option<Vec<String>> =
        std::env::var("H2PROBE_SERVERS_RUNNING").ok().map(|s| s.split_whitespace().map(str::to_string).collect());
    let all: Vec<String> = text.lines().filter(|l| !l.trim_start().starts_with('#') && !l.trim().is_empty()).map(str::to_string).collect();
    let running = all
        .iter()
        .filter(|l| match &only {
            None => true,
            Some(o) => l.split_whitespace().next().is_some_and(|name| o.iter().any(|n| n == name)),
        })
        .cloned()
        .collect();
    Some((path, all, running))
}

/// The two tables of a matrix document: server → its summary row, (case, server) → cell.
type Tables = (BTreeMap<String, String>, BTreeMap<(String, String), String>);

fn tables(md: &str) -> Tables {
    let (mut servers, mut cells) = (BTreeMap::new(), BTreeMap::new());
    let mut header: Vec<String> = Vec::new();
    let split = |l: &str| -> Vec<String> {
        let inner = l.trim().trim_start_matches('|').trim_end_matches('|');
        inner.replace("\\|", "\u{0}").split('|').map(|c| c.trim().replace('\u{0}', "|")).collect()
    };
    for line in md.lines().filter(|l| l.starts_with('|') && !l.starts_with("|---")) {
        let row = split(line);
        if row.first().is_some_and(|c| c == "server" || c == "case") {
            header = row;
            continue;
        }
        match header.first().map(String::as_str) {
            Some("server") => {
                servers.insert(row[0].clone(), line.to_string());
            }
            Some("case") => {
                for (name, cell) in header.iter().zip(&row).skip(1) {
                    cells.insert((row[0].clone(), name.clone()), cell.clone());
                }
            }
            _ => {}
        }
    }
    (servers, cells)
}

/// Every difference between the fresh matrix and the committed one, for the servers of the
/// fresh one (a partial run checks its own columns only).
fn differences(fresh: &str, committed: &str) -> Vec<String> {
    let ((fs, fc), (cs, cc)) = (tables(fresh), tables(committed));
    let mut out = Vec::new();
    for (name, row) in &fs {
        match cs.get(name) {
            None => out.push(format!("server {name} is not in the committed matrix")),
            Some(old) if old != row => out.push(format!("server row changed:\n  was {old}\n  now {row}")),
            Some(_) => {}
        }
    }
    for ((case, server), cell) in &fc {
        match cc.get(&(case.clone(), server.clone())) {
            None => out.push(format!("{server} {case}: new ({cell})")),
            Some(old) if old != cell => out.push(format!("{server} {case}: was {old}, now {cell}")),
            Some(_) => {}
        }
    }
    for (case, server) in cc.keys() {
        if fs.contains_key(server) && !fc.contains_key(&(case.clone(), server.clone())) {
            out.push(format!("{server} {case}: in the committed matrix but no longer runs"));
        }
    }
    out
}

#[test]
fn committed_matrix_matches_the_running_servers() {
    let Some((path, all, running)) = target_rows() else {
        // One line that `cargo test` shows (a direct write, not the captured eprintln!), then
        // a pass: a fresh clone's `cargo test` must pass without the real servers.
        // ci/test.sh sets H2PROBE_TARGETS; H2PROBE_REQUIRE_SERVERS=1 makes its absence fail.
        use std::io::Write;
        assert!(std::env::var_os("H2PROBE_REQUIRE_SERVERS").is_none(), "H2PROBE_TARGETS is not set, but H2PROBE_REQUIRE_SERVERS is");
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED matrix::committed_matrix_matches_the_running_servers: H2PROBE_TARGETS is not set (ci/test.sh starts the real servers and runs it)"
        );
        return;
    };
    assert!(!running.is_empty(), "no server of {path:?} is running");
    let dir = tmp_dir("real");
    let targets = dir.join("targets.tsv");
    std::fs::write(&targets, running.join("\n") + "\n").expect("write targets");
    let committed_path = repo_root().join("docs/compat-matrix.md");
    let complete = running.len() == all.len()
        && std::fs::canonicalize(&path).ok() == std::fs::canonicalize(repo_root().join("ci/servers/targets.tsv")).ok();
    let update = complete && std::env::var_os("UPDATE_GOLDEN").is_some();
    let md = if update { committed_path.clone() } else { dir.join("compat-matrix.md") };
    let mut args = vec!["matrix".to_string(), "--targets".into(), targets.display().to_string(), "--markdown".into(), md.display().to_string()];
    if update {
        args.extend(["--html".to_string(), repo_root().join("docs/compat-matrix.html").display().to_string()]);
    }
    let o = Command::new(env!("CARGO_BIN_EXE_h2probe")).args(&args).output().expect("run h2probe");
    eprintln!("{}", text(&o.stdout));
    assert_eq!(o.status.code(), Some(0), "h2probe matrix failed: {}", text(&o.stderr));
    let fresh = std::fs::read_to_string(&md).expect("matrix written");
    let committed = std::fs::read_to_string(&committed_path).unwrap_or_default();
    let _ = std::fs::remove_dir_all(&dir);
    let mut problems = differences(&fresh, &committed);
    if complete && problems.is_empty() && fresh != committed {
        problems.push("the text around the tables differs".into());
    }
    assert!(
        problems.is_empty(),
        "docs/compat-matrix.md is out of date ({} differences):\n{}\nregenerate with: {REGENERATE}",
        problems.len(),
        problems.iter().take(40).cloned().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn differences_compare_only_the_fresh_columns() {
    let committed = "| server | URL | pass |\n|---|---|---:|\n| a h2c | `u` | 2 |\n| b tls | `v` | 1 |\n\n\
                     | case | a h2c | b tls |\n|---|---|---|\n| `x` | pass | FAIL |\n| `y` | skip | pass |\n";
    let partial = "| server | URL | pass |\n|---|---|---:|\n| b tls | `v` | 1 |\n\n| case | b tls |\n|---|---|\n| `x` | FAIL |\n| `y` | pass |\n";
    assert!(differences(partial, committed).is_empty());
    let changed = partial.replace("| `x` | FAIL |", "| `x` | pass |");
    assert_eq!(differences(&changed, committed), ["b tls `x`: was FAIL, now pass"]);
    let dropped = partial.replace("| `y` | pass |\n", "");
    assert_eq!(differences(&dropped, committed), ["b tls `y`: in the committed matrix but no longer runs"]);
}
