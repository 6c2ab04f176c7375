//! The judge proven per client case: every client case runs through the client runner with
//! the scripted client (`h2probe_harness::scripted_client`) as the client under test,
//! enacting each of its reaction rows (the canonical reaction, the alternatives the RFC
//! allows, forbidden ones such as ignoring the violation, a retry after GOAWAY, a crash),
//! and must get the verdict class the row names; the passive checks of the client's output
//! watch every row, and a row the RFC allows must trip none of them. Every row runs over
//! h2c, and a sample over TLS too. A client case without rows fails, so the next case is
//! right the first time.
//!
//! `H2PROBE_REACTIONS=<id prefix>` runs only the cases whose id starts with it;
//! `H2PROBE_REACTIONS_TRANSCRIPT=1` shows the whole transcript of a wrong row.

use h2probe_cases::client;
use h2probe_harness::case::Case;
use h2probe_harness::client_run::{run_case, ClientOptions};
use h2probe_harness::model::Class;
use h2probe_harness::reaction::{Reaction, Role, Row};
use h2probe_harness::runner::RunOptions;
use h2probe_harness::scripted::self_signed_acceptor;
use h2probe_harness::scripted_client::ScriptedLauncher;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// The case's wait for an answer: long enough for loopback under a loaded CI machine, short
/// enough that rows decided by a deadline (a client that hangs, a dropped PING) keep the
/// test quick.
const TIMEOUT: Duration = Duration::from_millis(600);

/// Rows in flight at once: each holds a listener, a client task and a few connections.
const PARALLEL: usize = 32;

/// The hostile cases (tag `hostile`: floods, 32 MiB field blocks) run beside the others,
/// but only a few at a time and with a longer wait, as floods run alone in a server run:
/// a row builds, sends and reads megabytes (a 32 MiB block takes a second of CPU), and
/// many at once would starve the rest of the CPU and their own deadlines. They are started
/// first, so their long rows overlap the many short ones.
const HOSTILE_TAG: &str = "hostile";
const HOSTILE_PARALLEL: usize = 3;
const HOSTILE_TIMEOUT: Duration = Duration::from_millis(5000);

/// The passive check a client that closes without GOAWAY trips (a SHOULD, RFC 9113 §6.8).
const GOAWAY_BEFORE_CLOSE: &str = "rfc9113/6.8/client-goaway-before-close";

/// Every how many rows one also runs over TLS (the first of each case always does).
const TLS_SAMPLE: usize = 4;

fn rows_of(case: &Case) -> Vec<Row> {
    case.reactions.iter().flat_map(|g| g.iter().copied()).collect()
}

/// Runs `case` with the scripted client enacting `row`; the problem, if the verdict is not
/// the row's.
async fn check(case: &'static Case, row: Row, tls: bool, timeout: Duration) -> Option<String> {
    let tls = if tls {
        match self_signed_acceptor() {
            Ok(a) => Some(a),
            Err(e) => return Some(format!("{}: {e}", case.id)),
        }
    } else {
        None
    };
    let over = if tls.is_some() { "TLS" } else { "h2c" };
    let opts = ClientOptions { run: RunOptions { timeout, jobs: 1, ..RunOptions::default() }, tls, ..ClientOptions::default() };
    let launcher = ScriptedLauncher::new(case, row.reaction);
    let result = run_case(case, &launcher, &opts, None).await;
    let got = result.verdict.class();
    // The passive checks, on every case's traffic: a reaction the RFC allows breaks none of
    // their rules, except going without GOAWAY where the reaction does.
    if row.verdict != Class::Fail {
        let closes_bare = matches!(row.reaction, Reaction::Close | Reaction::GiveUp | Reaction::ResetThenClose(..));
        let wrong: Vec<String> = result
            .server_output
            .iter()
            .filter(|f| !(closes_bare && f.check == GOAWAY_BEFORE_CLOSE))
            .map(|f| format!("{}: {}", f.check, f.detail))
            .collect();
        if !wrong.is_empty() {
            let found = wrong.join("; ");
            return Some(format!("{} ({over}): reaction \"{}\" broke no rule, yet passive checks found: {found}", case.id, row.reaction));
        }
    }
    (got != row.verdict).then(|| {
        let lines = if std::env::var_os("H2PROBE_REACTIONS_TRANSCRIPT").is_some() { usize::MAX } else { 8 };
        let last: Vec<String> = result.transcript.iter().rev().take(lines).rev().map(|l| format!("{} {}", l.at_ms, l.text)).collect();
        format!(
            "{} ({over}): reaction \"{}\" must be {}, was {}: {}\n      transcript tail: {}",
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
async fn every_client_case_gets_the_verdict_of_each_of_its_reaction_rows() {
    let cases: Vec<&'static Case> = client().iter().filter(|c| !c.is_passive()).collect();
    let without_rows: Vec<&str> = cases.iter().filter(|c| rows_of(c).is_empty()).map(|c| c.id).collect();
    let only = std::env::var("H2PROBE_REACTIONS").ok();
    let (mut n_cases, mut n_rows, mut n_tls) = (0, 0, 0);
    let mut problems = Vec::new();
    let (mut ordered, others): (Vec<&'static Case>, Vec<&'static Case>) = cases.iter().partition(|c| c.tags.contains(&HOSTILE_TAG));
    ordered.extend(others);
    let (all_slots, hostile_slots) = (Arc::new(Semaphore::new(PARALLEL)), Arc::new(Semaphore::new(HOSTILE_PARALLEL)));
    let mut set = tokio::task::JoinSet::new();
    for case in ordered {
        if only.as_deref().is_some_and(|p| !case.id.starts_with(p)) {
            continue;
        }
        let rows = rows_of(case);
        if rows.is_empty() {
            continue;
        }
        n_cases += 1;
        let is_hostile = case.tags.contains(&HOSTILE_TAG);
        let timeout = if is_hostile { HOSTILE_TIMEOUT } else { TIMEOUT };
        for (i, row) in rows.into_iter().enumerate() {
            for tls in [false, true] {
                if tls && i % TLS_SAMPLE != 0 {
                    continue;
                }
                n_rows += usize::from(!tls);
                n_tls += usize::from(tls);
                let (all_slots, hostile_slots) = (all_slots.clone(), hostile_slots.clone());
                set.spawn(async move {
                    let _hostile = if is_hostile { hostile_slots.acquire_owned().await.ok() } else { None };
                    let _slot = all_slots.acquire_owned().await.ok();
                    check(case, row, tls, timeout).await
                });
            }
        }
    }
    while let Some(r) = set.join_next().await {
        match r {
            Ok(Some(p)) => problems.push(p),
            Ok(None) => {}
            Err(e) => problems.push(format!("a reaction check panicked: {e}")),
        }
    }
    problems.sort();
    eprintln!(
        "client reaction tests: {n_cases} cases, {n_rows} rows (h2c) + {n_tls} over TLS, {} wrong verdicts, {} cases without rows",
        problems.len(),
        without_rows.len()
    );
    assert!(
        problems.is_empty() && (without_rows.is_empty() || only.is_some()),
        "{} wrong verdicts:\n{}\n{} client cases have no reaction rows: {}",
        problems.len(),
        problems.join("\n"),
        without_rows.len(),
        without_rows.join(" ")
    );
}

#[test]
fn client_row_sets_have_a_canonical_row_two_forbidden_ones_and_an_ignoring_one() {
    let mut problems = Vec::new();
    let mut checked = 0;
    for c in client().iter().filter(|c| !c.is_passive()) {
        if !c.is_client() {
            problems.push(format!("{}: in the client catalogue but not a client case", c.id));
        }
        let rows = rows_of(c);
        if rows.is_empty() {
            continue; // reported by the test above
        }
        checked += 1;
        if !rows.iter().any(|r| r.verdict == Class::Pass) {
            problems.push(format!("{}: no canonical (pass) row", c.id));
        }
        let forbidden = rows.iter().filter(|r| r.verdict == Class::Fail).count();
        if forbidden < 2 {
            problems.push(format!("{}: {forbidden} forbidden rows, at least two are needed", c.id));
        }
        if !rows.iter().any(|r| r.reaction == Reaction::Ignore) {
            problems.push(format!("{}: no row for ignoring the violation (or for taking the response normally)", c.id));
        }
        let foreign: Vec<String> = rows.iter().filter(|r| !r.reaction.applies_to(Role::Client)).map(|r| r.reaction.to_string()).collect();
        if !foreign.is_empty() {
            problems.push(format!("{}: rows a client cannot enact: {}", c.id, foreign.join("; ")));
        }
        for r in &rows {
            if rows.iter().any(|o| o.reaction == r.reaction && o.verdict != r.verdict) {
                problems.push(format!("{}: \"{}\" has rows with two verdicts", c.id, r.reaction));
            }
        }
    }
    problems.dedup();
    eprintln!("{checked} client cases with rows, {} problems", problems.len());
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}
