//! The tester against servers that misbehave on purpose: it must never panic, never hang,
//! and keep memory bounded, whatever the server sends. Each fixture is a tiny TCP server on
//! 127.0.0.1 written with the codec, bounded in what it sends and how long it runs.

mod support;

use support::{read_preface, settings_exchange};
use h2probe_codec::hpack::{Encoder, Representation};
use h2probe_codec::frames;
use h2probe_harness::case::{Case, Ctx, Script};
use h2probe_harness::expectation::Expectation;
use h2probe_harness::model::Verdict;
use h2probe_harness::runner::{run_case, RunOptions};
use h2probe_harness::transport::{Connector, Target, TlsOptions};
use std::future::Future;
use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

const TIMEOUT: Duration = Duration::from_millis(800);

fn get_case(script: fn(&Ctx) -> Result<Script, String>) -> Case {
    support::case("test/misbehaving", script)
}

fn get_response(ctx: &Ctx) -> Result<Script, String> {
    Ok(Script::send([ctx.get(1)], Expectation::served(1)))
}

/// Serves one behaviour on every connection, each connection bounded to 10 s.
async fn fixture<F, Fut>(behaviour: F) -> String
where
    F: Fn(TcpStream) -> Fut + Send + Sync + 'static + Clone,
    Fut: Future<Output = ()> + Send,
{
    support::serve(behaviour, Duration::from_secs(10)).await
}

async fn judge_against(url: &str, case: &Case) -> (Verdict, Duration) {
    let target = Target::parse(url).expect("url");
    let connector = Connector::new(&target, &TlsOptions::default()).expect("connector");
    let opts = RunOptions { timeout: TIMEOUT, ..RunOptions::default() };
    let start = Instant::now();
    let result = run_case(case, &target, &connector, &opts).await;
    assert!(result.transcript.len() <= 401, "transcript must stay bounded, got {}", result.transcript.len());
    (result.verdict, start.elapsed())
}

fn assert_not_pass(v: &Verdict, took: Duration, what: &str) {
    assert!(!v.is_pass(), "{what}: a misbehaving server must not pass: {v:?}");
    assert!(took < TIMEOUT * 4, "{what}: took {took:?}, more than the deadlines allow");
}

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok()))
        .unwrap_or(0)
}

#[tokio::test]
async fn garbage_bytes() {
    let url = fixture(|mut s: TcpStream| async move {
        read_preface(&mut s).await;
        let _ = s.write_all(&[0xff; 64 * 1024]).await;
    })
    .await;
    let (v, took) = judge_against(&url, &get_case(get_response)).await;
    assert!(matches!(v, Verdict::Error { ref problem } if problem.contains("handshake")), "{v:?}");
    assert_not_pass(&v, took, "garbage");
}

#[tokio::test]
async fn endless_continuation_toward_the_client() {
    let url = fixture(|mut s: TcpStream| async move {
        settings_exchange(&mut s).await;
        let mut head = frames::headers(1).status(200).no_end_headers().build().to_bytes();
        let _ = s.write_all(&head).await;
        head.clear();
        let chunk = frames::continuation(1, vec![0x82; 16_000]).build().to_bytes();
        // Bounded: at most 500 frames (8 MB), and only while the client reads.
        for _ in 0..500 {
            if s.write_all(&chunk).await.is_err() {
                break;
            }
        }
    })
    .await;
    let (v, took) = judge_against(&url, &get_case(get_response)).await;
    match &v {
        Verdict::Fail { actual, .. } => assert!(actual.contains("exceeds"), "{actual}"),
        other => panic!("expected a failure naming the oversized block, got {other:?}"),
    }
    assert_not_pass(&v, took, "endless CONTINUATION");
}

#[tokio::test]
async fn hpack_bomb_header_block() {
    let before = peak_rss_kib();
    let url = fixture(|mut s: TcpStream| async move {
        settings_exchange(&mut s).await;
        // One 4000-octet entry in the dynamic table, then 60 000 references to it: 240 MB
        // of fields from a 60 KB block, if a decoder materialised them all.
        let mut enc = Encoder::new();
        let mut block = Vec::new();
        enc.encode_repr(&Representation::indexed(8), &mut block);
        enc.encode_repr(&Representation::literal("x-bomb", vec![b'a'; 4000]).incremental(), &mut block);
        for _ in 0..60_000 {
            enc.encode_repr(&Representation::indexed(62), &mut block);
        }
        let frames = frames::headers(1).block(block).end_stream().build_split(16_000);
        let mut out = Vec::new();
        for f in frames {
            f.encode(&mut out);
        }
        let _ = s.write_all(&out).await;
    })
    .await;
    let (v, took) = judge_against(&url, &get_case(get_response)).await;
    assert!(matches!(v, Verdict::Fail { ref actual, .. } if actual.contains("does not decode")), "{v:?}");
    assert_not_pass(&v, took, "HPACK bomb");
    let grew = peak_rss_kib().saturating_sub(before);
    assert!(grew < 200 * 1024, "peak memory grew by {grew} KiB decoding a bomb");
}

#[tokio::test]
async fn server_that_never_reads() {
    fn flood(ctx: &Ctx) -> Result<Script, String> {
        // 16 MB of DATA toward a server that never reads: the write must time out.
        let mut frames: Vec<h2probe_harness::conn::Outgoing> = vec![ctx.post(1).build().into()];
        for _ in 0..1024 {
            frames.push(frames::data(1, vec![0; 16_384]).build().into());
        }
        Ok(Script::send(frames, Expectation::served(1)))
    }
    let url = fixture(|mut s: TcpStream| async move {
        settings_exchange(&mut s).await;
        tokio::time::sleep(Duration::from_secs(8)).await;
        drop(s);
    })
    .await;
    let (v, took) = judge_against(&url, &get_case(flood)).await;
    assert_not_pass(&v, took, "never reads");
}

#[tokio::test]
async fn slowloris_server() {
    let url = fixture(|mut s: TcpStream| async move {
        read_preface(&mut s).await;
        let settings = frames::settings().build().to_bytes();
        for b in settings {
            if s.write_all(&[b]).await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    })
    .await;
    let (v, took) = judge_against(&url, &get_case(get_response)).await;
    assert!(matches!(v, Verdict::Error { ref problem } if problem.contains("handshake")), "{v:?}");
    assert_not_pass(&v, took, "slowloris");
}

#[tokio::test]
async fn close_mid_frame() {
    let url = fixture(|mut s: TcpStream| async move {
        settings_exchange(&mut s).await;
        // Half a HEADERS frame, then close.
        let bytes = frames::headers(1).status(200).build().to_bytes();
        let _ = s.write_all(&bytes[..bytes.len() / 2]).await;
    })
    .await;
    let (v, took) = judge_against(&url, &get_case(get_response)).await;
    match &v {
        Verdict::Fail { actual, .. } => assert!(actual.contains("closed"), "{actual}"),
        other => panic!("{other:?}"),
    }
    assert_not_pass(&v, took, "close mid-frame");
}

#[tokio::test]
async fn refused_connection_is_an_error_not_a_failure() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}/", listener.local_addr().expect("addr"));
    drop(listener);
    let (v, _) = judge_against(&url, &get_case(get_response)).await;
    assert!(matches!(v, Verdict::Error { .. }), "{v:?}");
}
