//! The preflight against in-process endpoints that are not HTTP/2, each bounded in time: an
//! HTTP/1.1 server, a TLS server on an h2c URL (one that answers with an alert record, one
//! that hangs up and answers only a ClientHello), a silent acceptor, a closer, a garbage
//! writer; and a real HTTP/2 handshake that passes.

mod support;

use h2probe_harness::preflight::{check, NotHttp2};
use h2probe_harness::transport::{Connector, Target, TlsOptions};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Per-wait timeout of the checks: short, since several cases wait it out on purpose.
const TIMEOUT: Duration = Duration::from_millis(400);
/// How long any fixture connection lives.
const LIMIT: Duration = Duration::from_secs(5);

/// A fatal handshake_failure alert, TLS 1.2 record version.
const ALERT: [u8; 7] = [0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28];

async fn run(url: &str) -> Result<(), NotHttp2> {
    let target = Target::parse(url).expect("fixture url");
    let connector = Connector::new(&target, &TlsOptions::default()).expect("connector");
    // Bounded whatever happens: the check has its own deadline, this is a backstop.
    let checked = tokio::time::timeout(Duration::from_secs(10), check(&target, &connector, TIMEOUT)).await;
    checked.expect("preflight ends by itself").map(|_| ())
}

async fn read_some(s: &mut TcpStream) {
    let mut buf = [0u8; 256];
    let _ = tokio::time::timeout(Duration::from_secs(2), s.read(&mut buf)).await;
}

#[tokio::test]
async fn http1_server_is_named_with_its_status_line() {
    let url = support::serve(
        |mut s| async move {
            read_some(&mut s).await;
            let _ = s.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").await;
        },
        LIMIT,
    )
    .await;
    let e = run(&url).await.expect_err("not HTTP/2");
    assert!(matches!(&e, NotHttp2::Http1 { status, .. } if status == "HTTP/1.1 400"), "{e:?}");
    let msg = e.to_string();
    assert!(msg.contains("the server answered HTTP/1.1 400: it does not speak h2c with prior knowledge on this port"), "{msg}");
}

#[tokio::test]
async fn tls_record_on_an_h2c_url_says_use_https() {
    let url = support::serve(
        |mut s| async move {
            read_some(&mut s).await;
            let _ = s.write_all(&ALERT).await;
        },
        LIMIT,
    )
    .await;
    let e = run(&url).await.expect_err("TLS");
    assert!(matches!(e, NotHttp2::TlsOnH2c { .. }), "{e:?}");
    assert!(e.to_string().contains("this port speaks TLS (it answered the h2c preface with a TLS alert record): use https://127.0.0.1:"), "{e}");
}

#[tokio::test]
async fn tls_server_that_hangs_up_on_the_preface_is_recognised_by_a_client_hello() {
    // First connection (the preface): close without a word. Later ones (the ClientHello):
    // answer with a TLS alert, as a TLS server that cannot agree on anything would.
    let n = Arc::new(AtomicUsize::new(0));
    let url = support::serve(
        move |mut s| {
            let n = n.clone();
            async move {
                let first = n.fetch_add(1, Ordering::SeqCst) == 0;
                read_some(&mut s).await;
                if !first {
                    let _ = s.write_all(&ALERT).await;
                }
            }
        },
        LIMIT,
    )
    .await;
    let e = run(&url).await.expect_err("TLS");
    assert!(e.to_string().contains("this port speaks TLS (it closed on the h2c preface and answers a TLS ClientHello)"), "{e}");
}

#[tokio::test]
async fn silent_acceptor_is_one_timeout() {
    let url = support::serve(|s| async move { tokio::time::sleep(LIMIT).await; drop(s) }, LIMIT).await;
    let e = run(&url).await.expect_err("silent");
    assert!(matches!(e, NotHttp2::Silent { after, .. } if after == TIMEOUT), "{e:?}");
    assert!(e.to_string().contains("no SETTINGS within 400ms: the server accepted the connection but sent nothing"), "{e}");
}

#[tokio::test]
async fn closer_is_named() {
    let url = support::serve(|mut s| async move { read_some(&mut s).await }, LIMIT).await;
    let e = run(&url).await.expect_err("closed");
    assert!(matches!(e, NotHttp2::Closed { .. }), "{e:?}");
    assert!(e.to_string().contains("closed the connection before sending any frame"), "{e}");
}

#[tokio::test]
async fn garbage_shows_its_first_octets() {
    let url = support::serve(
        |mut s| async move {
            read_some(&mut s).await;
            let _ = s.write_all(b"SSH-2.0-OpenSSH_9.2p1 Debian\r\n").await;
            tokio::time::sleep(LIMIT).await;
        },
        LIMIT,
    )
    .await;
    let e = run(&url).await.expect_err("garbage");
    assert!(matches!(e, NotHttp2::Garbage { .. }), "{e:?}");
    assert!(e.to_string().contains("first octets 53 53 48 2d"), "{e}");
}

#[tokio::test]
async fn http2_server_passes() {
    let url = support::serve(
        |mut s| async move {
            support::settings_exchange(&mut s).await;
            tokio::time::sleep(LIMIT).await;
        },
        LIMIT,
    )
    .await;
    run(&url).await.expect("an HTTP/2 handshake");
}
