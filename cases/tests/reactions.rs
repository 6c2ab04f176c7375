//! The judge proven per case: every case of the catalogue runs against the scripted server
//! enacting each of its reaction rows (the canonical reaction, the alternatives the RFC
//! allows, forbidden reactions such as ignoring the violation), and must get the verdict
//! class the row names. A case without rows fails, so the next case is right the first time.
//!
//! Attack cases are judged by their harm, not by the event judge; their known truth is the
//! vulnerable server of tests/vulnerable.rs.

use h2probe_cases::all;
use h2probe_harness::case::{Case, Ctx, Step};
use h2probe_harness::conn::ServerSettings;
use h2probe_harness::reaction::Row;
use h2probe_harness::resilience::FloodLimits;
use h2probe_harness::runner::{run_case, RunOptions};
use h2probe_harness::scripted::{Core, Profile, Scripted};
use h2probe_harness::transport::{Connector, Target, TlsOptions};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// The case's wait for an answer: long enough for loopback under a loaded CI machine, short
/// enough that rows decided by a deadline (a dropped PING, a response that never ends) keep
/// the test quick.
const TIMEOUT: Duration = Duration::from_millis(500);

fn ctx_for(server: &Scripted, profile: &Profile, scheme: &'static str) -> Ctx {
    Ctx {
        scheme,
        authority: server.authority(),
        path: "/".into(),
        server: ServerSettings { params: profile.settings.iter().copied().collect(), first_frame_was_settings: true },
        limits: FloodLimits::default(),
        ..Ctx::example()
    }
}

/// Runs `case` against the scripted server enacting `row`; the problem, if the verdict is
/// not the row's.
async fn check(case: &'static Case, row: Row) -> Option<String> {
    // h2c first; a case that runs only over TLS gets the TLS listener.
    let mut skipped = Vec::new();
    let mut built = None;
    'schemes: for (scheme, tls) in [("http", false), ("https", true)] {
        let server = match if tls { Scripted::bind_tls().await } else { Scripted::bind().await } {
            Ok(s) => s,
            Err(e) => return Some(format!("{}: {e}", case.id)),
        };
        for profile in Profile::all() {
            match (case.script)(&ctx_for(&server, &profile, scheme)) {
                Ok(s) => {
                    built = Some((server, profile, s));
                    break 'schemes;
                }
                Err(reason) => skipped.push(reason),
            }
        }
    }
    let Some((server, profile, script)) = built else {
        return Some(format!("{}: the script skips against every scripted server profile: {}", case.id, skipped.join("; ")));
    };
    let segments: Vec<Vec<u8>> = script
        .steps
        .iter()
        .filter_map(|s| match s {
            Step::Send(outs) => Some(outs.iter().flat_map(|o| o.to_bytes()).collect()),
            _ => None,
        })
        .collect();
    let url = server.url();
    let handle = server.serve(Core::new(profile, segments, row.reaction), Duration::from_secs(10));
    let target = match Target::parse(&url) {
        Ok(t) => t,
        Err(e) => return Some(format!("{url}: {e}")),
    };
    let connector = match Connector::new(&target, &TlsOptions { insecure: true, ..TlsOptions::default() }) {
        Ok(c) => c,
        Err(e) => return Some(format!("{url}: {e}")),
    };
    let opts = RunOptions { timeout: TIMEOUT, jobs: 1, ..RunOptions::default() };
    let result = run_case(case, &target, &connector, &opts).await;
    handle.abort();
    let got = result.verdict.class();
    (got != row.verdict).then(|| {
        let last: Vec<String> = result.transcript.iter().rev().take(6).rev().map(|l| l.text.clone()).collect();
        format!(
            "{}: reaction \"{}\" must be {}, was {}: {}\n      transcript tail: {}",
            case.id,
            row.reaction,
            row.verdict.display(),
            got.display(),
            result.verdict.observed(),
            last.join(" | ")
        )
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_case_gets_the_verdict_of_each_of_its_reaction_rows() {
    let cases: Vec<&'static Case> = all().iter().filter(|c| !c.is_flood() && !c.is_passive() && !c.is_client()).collect();
    let without_rows: Vec<&str> = cases.iter().filter(|c| c.reactions.iter().all(|g| g.is_empty())).map(|c| c.id).collect();
    let only = std::env::var("H2PROBE_REACTIONS").ok();
    let sem = Arc::new(Semaphore::new(32));
    let mut set = tokio::task::JoinSet::new();
    let (mut n_cases, mut n_rows) = (0, 0);
    for case in cases.iter().copied() {
        if only.as_deref().is_some_and(|p| !case.id.starts_with(p)) {
            continue;
        }
        let rows: Vec<Row> = case.reactions.iter().flat_map(|g| g.iter().copied()).collect();
        if rows.is_empty() {
            continue;
        }
        n_cases += 1;
        for row in rows {
            n_rows += 1;
            let sem = sem.clone();
            set.spawn(async move {
                let _slot = sem.acquire_owned().await.ok();
                check(case, row).await
            });
        }
    }
    let mut problems = Vec::new();
    while let Some(r) = set.join_next().await {
        match r {
            Ok(Some(p)) => problems.push(p),
            Ok(None) => {}
            Err(e) => problems.push(format!("a reaction check panicked: {e}")),
        }
    }
    problems.sort();
    eprintln!("reaction tests: {n_cases} cases, {n_rows} rows, {} wrong verdicts, {} cases without rows", problems.len(), without_rows.len());
    assert!(
        problems.is_empty() && (without_rows.is_empty() || only.is_some()),
        "{} wrong verdicts:\n{}\n{} cases have no reaction rows: {}",
        problems.len(),
        problems.join("\n"),
        without_rows.len(),
        without_rows.join(" ")
    );
}

#[test]
fn row_sets_have_a_canonical_row_and_two_forbidden_ones_including_ignoring() {
    use h2probe_harness::model::Class;
    use h2probe_harness::reaction::{Reaction, Role};
    for c in all().iter().filter(|c| !c.is_flood() && !c.is_passive() && !c.is_client()) {
        let rows: Vec<Row> = c.reactions.iter().flat_map(|g| g.iter().copied()).collect();
        if rows.is_empty() {
            continue; // reported by the test above
        }
        assert!(rows.iter().any(|r| r.verdict == Class::Pass), "{}: no canonical (pass) row", c.id);
        let forbidden = rows.iter().filter(|r| r.verdict == Class::Fail).count();
        assert!(forbidden >= 2, "{}: {forbidden} forbidden rows, at least two are needed", c.id);
        let ignoring = rows.iter().any(|r| r.reaction == Reaction::Ignore);
        assert!(ignoring, "{}: no row for ignoring the violation (or for serving normally)", c.id);
        let foreign: Vec<String> = rows.iter().filter(|r| !r.reaction.applies_to(Role::Server)).map(|r| r.reaction.to_string()).collect();
        assert!(foreign.is_empty(), "{}: rows a server cannot enact: {}", c.id, foreign.join("; "));
    }
}

#[test]
#[ignore = "a survey for developers: which scripts skip against the scripted server's profile"]
fn survey_scripts_that_skip() {
    for c in all().iter().filter(|c| !c.is_flood() && !c.is_passive() && !c.is_client()) {
        let reasons: Vec<String> = Profile::all()
            .iter()
            .filter_map(|profile| {
                let ctx = Ctx {
                    scheme: "http",
                    authority: "127.0.0.1:1".into(),
                    path: "/".into(),
                    server: ServerSettings { params: profile.settings.iter().copied().collect(), first_frame_was_settings: true },
                    limits: FloodLimits::default(),
                    ..Ctx::example()
                };
                (c.script)(&ctx).err()
            })
            .collect();
        if reasons.len() == Profile::all().len() {
            eprintln!("{}: {}", c.id, reasons.join("; "));
        }
    }
}
