//! The client catalogue against real clients, with golden verdicts.
//!
//! `ci/test.sh` installs the clients (ci/clients/install.sh) and points `H2PROBE_CLIENTS` at
//! their table, ci/clients/clients.tsv. For every client this test runs the whole client
//! catalogue twice, over h2c with prior knowledge and over TLS (a self-signed certificate),
//! and compares each case's verdict with `ci/expectations/client-<name>-<http|https>.verdicts`.
//! Any change fails the test, as for the servers. `UPDATE_GOLDEN=1` rewrites the files,
//! keeping reasons already there; `H2PROBE_CLIENTS_RUNNING="curl go"` runs only those.

use h2probe_harness::client_run::{self, ClientOptions};
use h2probe_harness::launch::parse_clients;
use h2probe_harness::runner::RunOptions;
use h2probe_harness::select::select;
use h2probe_harness::transport::accept;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

mod golden;
use golden::{compare, parse, render, repo_root, skip};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn golden_verdicts_per_client() {
    let Some(path) = std::env::var_os("H2PROBE_CLIENTS") else {
        return skip("real_clients::golden_verdicts_per_client", "H2PROBE_CLIENTS is not set", "clients");
    };
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read H2PROBE_CLIENTS {path:?}: {e}"));
    let only: Option<Vec<String>> = std::env::var("H2PROBE_CLIENTS_RUNNING").ok().map(|s| s.split_whitespace().map(str::to_string).collect());
    let rows: Vec<_> = parse_clients(&text)
        .unwrap_or_else(|e| panic!("{path:?}: {e}"))
        .into_iter()
        .filter(|r| only.as_ref().is_none_or(|o| o.contains(&r.name)))
        .collect();
    assert!(!rows.is_empty(), "H2PROBE_CLIENTS lists no client (or H2PROBE_CLIENTS_RUNNING names none of them)");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let tls = accept::self_signed().expect("a self-signed certificate");
    let mut problems = Vec::new();
    for row in rows {
        for scheme in ["http", "https"] {
            let mut commands = row.commands.clone();
            // The table's command lines run from the repository root.
            commands.dir = Some(repo_root());
            let opts = ClientOptions {
                run: RunOptions::default(),
                tls: (scheme == "https").then(|| tls.clone()),
                bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
                ..ClientOptions::default()
            };
            let cases = select(h2probe_cases::client(), &[], &[], false).expect("default selection");
            let report = client_run::run(cases, Arc::new(commands), opts, &Default::default(), None).await;
            let s = report.summary();
            eprintln!(
                "{:<8} {:<5} {} passed, {} by an alternative, {} lenient, {} failed, {} skipped, {} errors in {} ms",
                row.name, scheme, s.passed, s.alternative, s.lenient, s.failed, s.skipped, s.errors, report.duration_ms
            );
            let file = repo_root().join("ci/expectations").join(format!("client-{}-{scheme}.verdicts", row.name));
            let old = std::fs::read_to_string(&file).unwrap_or_default();
            let golden = parse(&old);
            if update {
                std::fs::write(&file, render(&report, &golden, "client")).expect("write golden file");
                continue;
            }
            if old.is_empty() {
                problems.push(format!("{}: no golden file (create it with UPDATE_GOLDEN=1)", file.display()));
                continue;
            }
            compare(&format!("{} {scheme}", row.name), &report, &golden, &mut problems);
        }
    }
    assert!(problems.is_empty(), "client verdicts changed:\n{}", problems.join("\n"));
}
