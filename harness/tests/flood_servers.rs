//! The flood driver and its verdict against in-process servers that react to a flood in
//! each way the oracle distinguishes: a limit (GOAWAY(ENHANCE_YOUR_CALM) after K frames),
//! none (accepts everything), death (stops accepting connections), and a hang (stops
//! answering anyone). Each fixture is a small HTTP/2 server on 127.0.0.1 written with the
//! codec, bounded in time; each test fails if the verdict is the wrong class.

use h2probe_codec::frame::{Frame, PREFACE};
use h2probe_codec::{frames, ErrorCode, SettingId};
use h2probe_harness::case::{Case, Ctx, Script, Setup, Step};
use h2probe_harness::expectation::Expectation;
use h2probe_harness::model::{CaseResult, Level, Verdict};
use h2probe_harness::resilience::{Flood, FloodLimits, Unit};
use h2probe_harness::runner::{run_case, RunOptions};
use h2probe_harness::safety::{authorize, Ownership};
use h2probe_harness::transport::{Connector, Target, TlsOptions};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

const TIMEOUT: Duration = Duration::from_millis(800);

/// What the fixture does once it has counted `k` flood PINGs on a connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum After {
    /// GOAWAY(ENHANCE_YOUR_CALM) and close.
    Calm,
    /// Nothing: it keeps acknowledging and serving.
    Nothing,
    /// Closes every connection and the listener: the process "died".
    Die,
    /// Stops reading this connection and answering any other.
    Hang,
    /// Answers requests on stream 1 only (the probes'), leaving every other stream open.
    HoldStreams,
}

struct Fixture {
    after: After,
    k: u64,
    dead: AtomicBool,
    hung: AtomicBool,
    died: Notify,
    /// Flood PINGs counted on the connection that reached `k` (or the most on any).
    counted: AtomicU64,
}

fn flood_ping_case() -> Case {
    Case {
        id: "test/flood",
        section: "test",
        h2spec: None,
        aliases: &[],
        reactions: &[],
        peer: h2probe_harness::case::Peer::Server,
        level: Level::Should,
        description: "fixture",
        requirement: "fixture",
        tags: &["flood"],
        setup: Setup::STANDARD,
        script: |_: &Ctx| {
            let flood = Flood {
                unit_desc: "PING",
                noun: "PINGs",
                units: Arc::new(|i| {
                    let mut p = *b"h2pp\0\0\0\0";
                    p[4..].copy_from_slice(&(i as u32).to_be_bytes());
                    Unit { frames: vec![frames::ping(p).build().into()], opens: None }
                }),
                max_units: None,
                fence: true,
                note: None,
            };
            Ok(Script::steps(vec![Step::Flood(flood)], Expectation::Resilience { watch: None }))
        },
    }
}

async fn serve_conn(mut s: TcpStream, fx: Arc<Fixture>) {
    if fx.hung.load(Ordering::SeqCst) {
        tokio::time::sleep(Duration::from_secs(10)).await;
        return;
    }
    let mut buf = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    while buf.len() < PREFACE.len() {
        match s.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    if buf[..PREFACE.len()] != PREFACE[..] {
        return;
    }
    buf.drain(..PREFACE.len());
    let settings = frames::settings().set(SettingId::MAX_CONCURRENT_STREAMS, 100).build().to_bytes();
    if s.write_all(&settings).await.is_err() {
        return;
    }
    let mut count = 0u64;
    loop {
        let mut out = Vec::new();
        loop {
            let (frame, used) = match Frame::decode_bytes(&buf) {
                Ok(Some(x)) => x,
                Ok(None) => break,
                Err(_) => return,
            };
            buf.drain(..used);
            match frame {
                Frame::Settings(st) if !st.ack => frames::settings_ack().encode(&mut out),
                Frame::Ping(p) if !p.ack => {
                    if p.payload[..4] == b"h2pp"[..] {
                        count += 1;
                        fx.counted.fetch_max(count, Ordering::SeqCst);
                        if count == fx.k {
                            match fx.after {
                                After::Calm => {
                                    let _ = s.write_all(&out).await;
                                    let _ = s.write_all(&frames::goaway(0, ErrorCode::ENHANCE_YOUR_CALM).debug("too many pings").build().to_bytes()).await;
                                    return;
                                }
                                After::Die => {
                                    fx.dead.store(true, Ordering::SeqCst);
                                    fx.died.notify_waiters();
                                    return;
                                }
                                After::Hang => {
                                    fx.hung.store(true, Ordering::SeqCst);
                                    tokio::time::sleep(Duration::from_secs(10)).await;
                                    return;
                                }
                                After::Nothing | After::HoldStreams => {}
                            }
                        }
                    }
                    frames::ping(p.payload).ack().build().encode(&mut out);
                }
                Frame::Headers(h) if h.end_headers && (fx.after != After::HoldStreams || h.stream_id.0 == 1) => {
                    frames::headers(h.stream_id.0).status(200).end_stream().build().encode(&mut out);
                }
                _ => {}
            }
        }
        if fx.dead.load(Ordering::SeqCst) {
            return;
        }
        if !out.is_empty() && s.write_all(&out).await.is_err() {
            return;
        }
        match s.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

/// Starts the fixture; every connection is bounded to 10 s, the listener to 20 s.
async fn fixture(after: After, k: u64) -> (String, Arc<Fixture>) {
    let fx = Arc::new(Fixture { after, k, dead: AtomicBool::new(false), hung: AtomicBool::new(false), died: Notify::new(), counted: AtomicU64::new(0) });
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let addr = listener.local_addr().expect("addr");
    let f = fx.clone();
    tokio::spawn(async move {
        let stop = tokio::time::sleep(Duration::from_secs(20));
        tokio::pin!(stop);
        loop {
            tokio::select! {
                accepted = listener.accept() => {
                    let Ok((s, _)) = accepted else { continue };
                    if f.dead.load(Ordering::SeqCst) {
                        break;
                    }
                    let f = f.clone();
                    tokio::spawn(async move {
                        let _ = tokio::time::timeout(Duration::from_secs(10), serve_conn(s, f)).await;
                    });
                }
                _ = f.died.notified() => break,
                _ = &mut stop => break,
            }
        }
        // The listener is dropped here: new connections are refused.
    });
    (format!("http://{addr}/"), fx)
}

/// Opens streams that stay open until the server closes them (like the server-reset flood).
fn stream_opening_case() -> Case {
    Case {
        script: |ctx: &Ctx| {
            let block = ctx.get(1).encoded_block();
            let flood = Flood {
                unit_desc: "HEADERS (GET)",
                noun: "streams",
                units: Arc::new(move |i| {
                    let s = 1 + 2 * i as u32;
                    Unit {
                        frames: vec![frames::headers(s).block(block.clone()).end_stream().build().into()],
                        opens: Some(h2probe_codec::StreamId(s)),
                    }
                }),
                max_units: None,
                fence: true,
                note: None,
            };
            Ok(Script::steps(vec![Step::Flood(flood)], Expectation::Resilience { watch: None }))
        },
        ..flood_ping_case()
    }
}

async fn run(url: &str, strict: bool) -> (CaseResult, Duration) {
    run_this(url, strict, flood_ping_case()).await
}

async fn run_this(url: &str, strict: bool, case: Case) -> (CaseResult, Duration) {
    let target = Target::parse(url).expect("url");
    let connector = Connector::new(&target, &TlsOptions::default()).expect("connector");
    let permit = authorize(&target, Ownership::NotDeclared).await.expect("loopback is allowed");
    let limits = FloodLimits { max_frames: 5_000, max_duration: Duration::from_secs(3), ..FloodLimits::default() };
    let opts = RunOptions { timeout: TIMEOUT, strict, limits, flood_permit: Some(permit), ..RunOptions::default() };
    let start = Instant::now();
    let r = run_case(&case, &target, &connector, &opts).await;
    let took = start.elapsed();
    assert!(r.transcript.len() <= 401, "transcript must stay bounded, got {}", r.transcript.len());
    // Sending is bounded by max_duration; fences, settling and three probes by the timeout.
    assert!(took < Duration::from_secs(3) + TIMEOUT * 8, "took {took:?}");
    (r, took)
}

/// The frame counts of `after 1 272–1 784 frames`, `after 1 500 frames` or
/// `after at most 8 frames`: (lower bound, upper bound).
fn frames_range(text: &str) -> (u64, u64) {
    let rest = &text[text.find("after ").expect("an 'after N frames' clause") + 6..];
    let span = &rest[..rest.find(" frame").expect("'frames'")];
    let num = |s: &str| s.replace(' ', "").parse::<u64>().expect("a count");
    match (span.strip_prefix("at most "), span.split_once('–')) {
        (Some(hi), _) => (0, num(hi)),
        (None, Some((lo, hi))) => (num(lo), num(hi)),
        (None, None) => (num(span), num(span)),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn goaway_after_k_frames_passes_and_reports_about_k() {
    const K: u64 = 1_500;
    let (url, fx) = fixture(After::Calm, K).await;
    let (r, _) = run(&url, true).await;
    let Verdict::Pass { observed, .. } = &r.verdict else { panic!("expected a pass, got {:?}", r.verdict) };
    eprintln!("{observed}");
    assert!(observed.starts_with("GOAWAY(ENHANCE_YOUR_CALM, \"too many pings\", last stream 0) + close after"), "{observed}");
    let (lo, hi) = frames_range(observed);
    assert!(lo <= K && K <= hi, "the server stopped at {K}, the verdict says {lo}–{hi}: {observed}");
    assert!(hi - lo <= 2 * h2probe_harness::flood::MAX_BATCH, "range {lo}–{hi} is too loose: {observed}");
    assert_eq!(fx.counted.load(Ordering::SeqCst), K);
    assert!(observed.contains("a fresh connection's GET answered 200"), "{observed}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accepting_everything_is_lenient_and_fails_under_strict() {
    let (url, fx) = fixture(After::Nothing, u64::MAX).await;
    let (r, _) = run(&url, false).await;
    match &r.verdict {
        Verdict::Lenient { observed, .. } => {
            assert!(observed.starts_with("no limit seen: kept accepting all 5 000 frames (5 000 PINGs) in"), "{observed}");
            assert!(observed.contains("during the flood: answered 200"), "{observed}");
        }
        other => panic!("expected a lenient pass, got {other:?}"),
    }
    assert_eq!(fx.counted.load(Ordering::SeqCst), 5_000, "the flood must stop at --max-frames");
    let (r, _) = run(&url, true).await;
    assert!(r.verdict.is_fail(), "--strict: no limit is a failure: {:?}", r.verdict);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_dies_fails() {
    let (url, _fx) = fixture(After::Die, 700).await;
    let (r, _) = run(&url, false).await;
    match &r.verdict {
        Verdict::Fail { actual, .. } => {
            eprintln!("{actual}");
            assert!(actual.contains("closed the connection") || actual.contains("reset the connection"), "{actual}");
            assert!(actual.contains("then a fresh connection's GET failed"), "{actual}");
        }
        other => panic!("expected a failure, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_hangs_fails() {
    let (url, _fx) = fixture(After::Hang, 700).await;
    let (r, _) = run(&url, false).await;
    match &r.verdict {
        Verdict::Fail { actual, .. } => {
            eprintln!("{actual}");
            assert!(actual.contains("the server stopped reading or answering after"), "{actual}");
            assert!(actual.contains("GET failed"), "{actual}");
        }
        other => panic!("expected a failure, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streams_left_open_stop_the_flood_within_max_concurrent_streams() {
    let (url, _fx) = fixture(After::HoldStreams, u64::MAX).await;
    let (r, _) = run_this(&url, false, stream_opening_case()).await;
    match &r.verdict {
        Verdict::Lenient { observed, .. } => {
            assert!(observed.contains("left 100 of our streams open after 101 frames"), "{observed}")
        }
        other => panic!("expected a lenient pass, got {other:?}"),
    }
}

#[tokio::test]
async fn floods_need_a_permit() {
    let (url, fx) = fixture(After::Nothing, u64::MAX).await;
    let target = Target::parse(&url).expect("url");
    let connector = Connector::new(&target, &TlsOptions::default()).expect("connector");
    let r = run_case(&flood_ping_case(), &target, &connector, &RunOptions::default()).await;
    assert!(matches!(&r.verdict, Verdict::Error { problem } if problem.contains("permit")), "{:?}", r.verdict);
    assert_eq!(fx.counted.load(Ordering::SeqCst), 0, "nothing may be sent without a permit");
}
