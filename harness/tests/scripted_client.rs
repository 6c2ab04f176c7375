//! The scripted client as the client under test of a client run: a few client cases of the
//! shapes the catalogue has (a response to take, a malformed one to refuse, a refusal to
//! retry, a connection error), run through `client_run::run_case` with the scripted client
//! enacting reactions, over h2c and TLS. The catalogue's own rows are proven in
//! cases/tests/client_reactions.rs; this pins the launcher itself, catalogue or not.

use h2probe_codec::{frames, ErrorCode, StreamId};
use h2probe_harness::case::{Action, Case, Ctx, Others, Peer, Script, Setup};
use h2probe_harness::client_run::{run_case, ClientOptions};
use h2probe_harness::expectation::Expectation;
use h2probe_harness::model::{Class, Level};
use h2probe_harness::reaction::Reaction::{self, *};
use h2probe_harness::runner::RunOptions;
use h2probe_harness::scripted::self_signed_acceptor;
use h2probe_harness::scripted_client::ScriptedLauncher;
use std::time::Duration;

const fn case(id: &'static str, action: Action, script: fn(&Ctx) -> Result<Script, String>) -> Case {
    Case {
        id,
        section: "RFC 9113 §8.1",
        h2spec: None,
        aliases: &[],
        level: Level::Must,
        description: "a test case",
        requirement: "a test requirement",
        tags: &[],
        setup: Setup::STANDARD,
        script,
        reactions: &[],
        peer: Peer::Client(action),
    }
}

fn served(ctx: &Ctx) -> Result<Script, String> {
    let s = ctx.stream();
    Ok(Script::send(ctx.respond(s), Expectation::Accepted { stream: StreamId(s) }))
}

fn malformed(ctx: &Ctx) -> Result<Script, String> {
    let s = ctx.stream();
    let headers = ctx.response_headers(s, 200).field("Upper-Case", "x").build();
    Ok(Script::send([headers.into(), ctx.body(s)], Expectation::Rejected { stream: StreamId(s) }))
}

fn refused(ctx: &Ctx) -> Result<Script, String> {
    let s = ctx.stream();
    Ok(Script::send([frames::rst_stream(s, ErrorCode::REFUSED_STREAM)], Expectation::Retried { stream: StreamId(s), goaway_last: None }))
}

fn goaway(ctx: &Ctx) -> Result<Script, String> {
    let s = ctx.stream();
    Ok(Script::send([frames::goaway(0, ErrorCode::NO_ERROR)], Expectation::Retried { stream: StreamId(s), goaway_last: Some(0) })
        .others(Others::Serve))
}

fn data_on_zero(_: &Ctx) -> Result<Script, String> {
    let bad = frames::raw(h2probe_codec::FrameType::DATA).stream(0).payload(b"x".to_vec());
    Ok(Script::send([bad], Expectation::connection_error(&[ErrorCode::PROTOCOL_ERROR])))
}

static SERVED_GET: Case = case("test/served-get", Action::Get, served);
static SERVED_POST: Case = case("test/served-post", Action::Post(100_000), served);
static SERVED_MULTI: Case = case("test/served-multi", Action::Parallel(3), served);
static MALFORMED: Case = case("test/malformed", Action::Get, malformed);
static REFUSED: Case = case("test/refused", Action::Get, refused);
static GOAWAY: Case = case("test/goaway", Action::Get, goaway);
static DATA_ON_ZERO: Case = case("test/data-on-zero", Action::Get, data_on_zero);

fn rows() -> Vec<(&'static Case, Reaction, Class)> {
    let p = ErrorCode::PROTOCOL_ERROR;
    vec![
        (&SERVED_GET, Ignore, Class::Pass),
        (&SERVED_GET, Reset(1, p), Class::Fail),
        (&SERVED_GET, GoAway(p), Class::Fail),
        (&SERVED_GET, Hang, Class::Fail),
        (&SERVED_GET, Crash, Class::Fail),
        (&SERVED_GET, GiveUp, Class::Fail),
        (&SERVED_POST, Ignore, Class::Pass),
        (&SERVED_POST, IgnoreFlowControl, Class::Pass),
        (&SERVED_MULTI, Ignore, Class::Pass),
        (&SERVED_MULTI, Reset(1, p), Class::Fail),
        (&MALFORMED, Reset(1, p), Class::Pass),
        (&MALFORMED, ResetThenGoAway(1, p, p), Class::Pass),
        (&MALFORMED, GoAway(p), Class::Alternative),
        (&MALFORMED, Ignore, Class::Fail),
        (&MALFORMED, Deliver, Class::Fail),
        (&MALFORMED, ResetAndDeliver(1, p), Class::Fail),
        (&MALFORMED, Reset(1, ErrorCode::HTTP_1_1_REQUIRED), Class::Fail),
        (&MALFORMED, Hang, Class::Fail),
        (&REFUSED, RetryNewConnection, Class::Pass),
        (&REFUSED, RetrySameConnection, Class::Pass),
        (&REFUSED, GiveUp, Class::Lenient),
        (&REFUSED, Hang, Class::Fail),
        (&GOAWAY, RetryNewConnection, Class::Pass),
        (&GOAWAY, RetrySameConnection, Class::Fail),
        (&GOAWAY, Ignore, Class::Lenient),
        (&DATA_ON_ZERO, GoAway(p), Class::Pass),
        (&DATA_ON_ZERO, Ignore, Class::Fail),
        (&DATA_ON_ZERO, Reset(1, p), Class::Fail),
    ]
}

async fn check(case: &'static Case, reaction: Reaction, want: Class, tls: bool) -> Option<String> {
    let launcher = ScriptedLauncher::new(case, reaction);
    let tls = if tls { Some(self_signed_acceptor().expect("a certificate")) } else { None };
    let opts = ClientOptions { run: RunOptions { timeout: Duration::from_millis(800), jobs: 1, ..RunOptions::default() }, tls, ..ClientOptions::default() };
    let r = run_case(case, &launcher, &opts, None).await;
    let got = r.verdict.class();
    (got != want).then(|| {
        let tail: Vec<String> = r.transcript.iter().rev().take(8).rev().map(|l| l.text.clone()).collect();
        format!("{}: \"{reaction}\" must be {}, was {}: {}\n      {}", case.id, want.display(), got.display(), r.verdict.observed(), tail.join(" | "))
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_scripted_client_enacts_each_reaction_through_a_client_run() {
    let mut set = tokio::task::JoinSet::new();
    for (i, (case, reaction, want)) in rows().into_iter().enumerate() {
        // Every row over h2c; every third over TLS as well.
        for tls in [false, true] {
            if !tls || i % 3 == 0 {
                set.spawn(check(case, reaction, want, tls));
            }
        }
    }
    let mut wrong = Vec::new();
    while let Some(r) = set.join_next().await {
        match r {
            Ok(Some(p)) => wrong.push(p),
            Ok(None) => {}
            Err(e) => wrong.push(format!("a check panicked: {e}")),
        }
    }
    wrong.sort();
    assert!(wrong.is_empty(), "{} wrong verdicts:\n{}", wrong.len(), wrong.join("\n"));
}

#[tokio::test]
async fn a_stopped_run_ends_as_killed_and_a_run_stops_at_its_limit() {
    use h2probe_harness::launch::{Launch, Launcher};
    let launch = Launch { action: Action::Get, urls: vec!["http://127.0.0.1:9/x".into()], file: None, host: "127.0.0.1".into(), port: 9, path: "/x".into() };
    // Nothing listens there: the run fails as a client that cannot connect does.
    let e = ScriptedLauncher::lenient().launch(&launch).expect("launch").ended.await.expect("ended");
    assert_eq!(e.code, Some(1), "{e:?}");
    // A listener that never answers: stopped, the run ends as if killed; at its limit, as timed out.
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = l.local_addr().expect("addr").port();
    let launch = Launch { urls: vec![format!("http://127.0.0.1:{port}/x")], port, ..launch };
    let mut run = ScriptedLauncher::lenient().launch(&launch).expect("launch");
    (run.stop)();
    let e = tokio::time::timeout(Duration::from_secs(2), run.ended).await.expect("in time").expect("ended");
    assert_eq!((e.code, e.signal), (None, Some(9)));
    let run = ScriptedLauncher::lenient().with_limit(Duration::from_millis(100)).launch(&launch).expect("launch");
    let e = tokio::time::timeout(Duration::from_secs(2), run.ended).await.expect("in time").expect("ended");
    assert_eq!((e.code, e.signal), (Some(h2probe_harness::scripted_client::TIMED_OUT), None), "a failure, as timeout(1) reports it, not a crash");
    drop(l);
}
