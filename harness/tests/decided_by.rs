//! `CaseResult::decided_by` names what ended each wait: the speed claim of the PING fence
//! ("no verdict waits out a deadline where the fence can decide") rests on it being right.
//! Each fixture is a tiny server on 127.0.0.1 that answers in one way, bounded in time.

mod support;

use h2probe_codec::{frames, ErrorCode, FrameType};
use h2probe_harness::case::{Case, Ctx, Script};
use h2probe_harness::expectation::Expectation;
use h2probe_harness::judge::FENCE;
use h2probe_harness::model::{DecidedBy, Verdict};
use h2probe_harness::runner::{run_case, RunOptions};
use h2probe_harness::transport::{Connector, Target, TlsOptions};
use std::future::Future;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const TIMEOUT: Duration = Duration::from_millis(400);

fn case(script: fn(&Ctx) -> Result<Script, String>) -> Case {
    support::case("test/decided-by", script)
}

fn wants_goaway(_: &Ctx) -> Result<Script, String> {
    let ping_on_stream = frames::raw(FrameType::PING).stream(1).payload([0; 8]).build();
    Ok(Script::send([ping_on_stream], Expectation::connection_error(&[ErrorCode::PROTOCOL_ERROR])))
}

fn wants_ignored(_: &Ctx) -> Result<Script, String> {
    Ok(Script::send([frames::unknown(0xfa, 0, vec![1, 2, 3])], Expectation::Ignored { close_ok: false }))
}

fn skipped(_: &Ctx) -> Result<Script, String> {
    Err("precondition missing".to_string())
}

/// Serves `behaviour` after the SETTINGS exchange, each connection bounded to 5 s.
async fn fixture<F, Fut>(behaviour: F) -> String
where
    F: Fn(TcpStream) -> Fut + Send + Sync + 'static + Clone,
    Fut: Future<Output = ()> + Send,
{
    support::serve(
        move |mut s: TcpStream| {
            let b = behaviour.clone();
            async move {
                support::settings_exchange(&mut s).await;
                b(s).await
            }
        },
        Duration::from_secs(5),
    )
    .await
}

/// Ignores everything but the fence, which it acknowledges, and stays open.
async fn acks_fence(mut s: TcpStream) {
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    while let Ok(Ok(n)) = tokio::time::timeout(Duration::from_secs(2), s.read(&mut buf)).await {
        if n == 0 {
            return;
        }
        seen.extend_from_slice(&buf[..n]);
        if seen.windows(FENCE.len()).any(|w| w == FENCE) {
            let _ = s.write_all(&frames::ping(FENCE).ack().build().to_bytes()).await;
            tokio::time::sleep(Duration::from_secs(2)).await;
            return;
        }
    }
}

async fn sends_goaway(mut s: TcpStream) {
    let _ = s.write_all(&frames::goaway(0, ErrorCode::PROTOCOL_ERROR).build().to_bytes()).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
}

/// Reads and says nothing, not even the fence ACK.
async fn silent(mut s: TcpStream) {
    let mut buf = [0u8; 4096];
    while let Ok(Ok(n)) = tokio::time::timeout(Duration::from_secs(2), s.read(&mut buf)).await {
        if n == 0 {
            return;
        }
    }
}

async fn judge(url: &str, case: &Case) -> (Verdict, DecidedBy) {
    let target = Target::parse(url).expect("url");
    let connector = Connector::new(&target, &TlsOptions::default()).expect("connector");
    let opts = RunOptions { timeout: TIMEOUT, ..RunOptions::default() };
    let r = run_case(case, &target, &connector, &opts).await;
    (r.verdict, r.decided_by)
}

#[tokio::test]
async fn an_error_frame_is_an_event() {
    let url = fixture(sends_goaway).await;
    let (v, by) = judge(&url, &case(wants_goaway)).await;
    assert!(matches!(v, Verdict::Pass { .. }), "{v:?}");
    assert_eq!(by, DecidedBy::Event);
}

#[tokio::test]
async fn an_ignored_violation_is_decided_by_the_fence() {
    let url = fixture(acks_fence).await;
    let (v, by) = judge(&url, &case(wants_goaway)).await;
    assert!(matches!(v, Verdict::Fail { .. }), "{v:?}");
    assert_eq!(by, DecidedBy::Fence);
    let (v, by) = judge(&url, &case(wants_ignored)).await;
    assert!(matches!(v, Verdict::Pass { .. }), "{v:?}");
    assert_eq!(by, DecidedBy::Fence);
}

#[tokio::test]
async fn silence_is_decided_by_the_deadline() {
    let url = fixture(silent).await;
    let (v, by) = judge(&url, &case(wants_goaway)).await;
    assert!(matches!(v, Verdict::Fail { .. }), "{v:?}");
    assert_eq!(by, DecidedBy::Deadline);
}

#[tokio::test]
async fn no_exchange_is_setup() {
    let url = fixture(silent).await;
    let (v, by) = judge(&url, &case(skipped)).await;
    assert!(matches!(v, Verdict::Skip { .. }), "{v:?}");
    assert_eq!(by, DecidedBy::Setup);
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let closed = format!("http://{}/", listener.local_addr().expect("addr"));
    drop(listener);
    let (v, by) = judge(&closed, &case(skipped)).await;
    assert!(matches!(v, Verdict::Error { .. }), "{v:?}");
    assert_eq!(by, DecidedBy::Setup);
}
