//! Fixtures shared by the harness's integration tests: a case around a script, and tiny
//! TCP servers on 127.0.0.1 written with the codec, bounded in what they send and how long.

#![allow(dead_code)] // each test binary uses its own subset

pub mod hostile;

use h2probe_codec::frame::PREFACE;
use h2probe_codec::{frames, SettingId};
use h2probe_harness::case::{Case, Ctx, Script, Setup};
use h2probe_harness::model::Level;
use std::future::Future;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A MUST-level case named `id` around `script`, with the standard set-up.
pub fn case(id: &'static str, script: fn(&Ctx) -> Result<Script, String>) -> Case {
    Case {
        id,
        section: "test",
        h2spec: None,
        aliases: &[],
        level: Level::Must,
        description: "fixture",
        requirement: "fixture",
        tags: &[],
        setup: Setup::STANDARD,
        script,
        reactions: &[],
        peer: h2probe_harness::case::Peer::Server,
    }
}

/// Reads the client preface and first SETTINGS (bounded), so the fixture can then misbehave.
pub async fn read_preface(s: &mut TcpStream) {
    let mut buf = vec![0u8; PREFACE.len() + 64];
    let _ = tokio::time::timeout(Duration::from_secs(2), s.read(&mut buf)).await;
}

/// The server's half of the handshake: its SETTINGS and the ACK of ours.
pub async fn settings_exchange(s: &mut TcpStream) {
    read_preface(s).await;
    let mut out = frames::settings().set(SettingId::MAX_FRAME_SIZE, 16_384).build().to_bytes();
    out.extend(frames::settings_ack().to_bytes());
    let _ = s.write_all(&out).await;
}

/// Serves one behaviour on every connection, each connection bounded to `limit`; the URL.
pub async fn serve<F, Fut>(behaviour: F, limit: Duration) -> String
where
    F: Fn(TcpStream) -> Fut + Send + Sync + 'static + Clone,
    Fut: Future<Output = ()> + Send,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((s, _)) = listener.accept().await {
            let b = behaviour.clone();
            tokio::spawn(async move {
                let _ = tokio::time::timeout(limit, b(s)).await;
            });
        }
    });
    format!("http://{addr}/")
}
