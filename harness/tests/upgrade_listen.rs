//! Client mode's two other ways in, against scripted clients on real sockets: h2c by
//! `Upgrade` (RFC 7540 §3.2) and `--listen` (the index page, a case per port, the end).

use h2probe_codec::frame::{Frame, FrameDecoder, PREFACE};
use h2probe_codec::{frames, SettingId};
use h2probe_harness::case::{Action, Case};
use h2probe_harness::client_run::{self, ClientOptions};
use h2probe_harness::launch::{Ended, Launch, LaunchError, Launched, Launcher};
use h2probe_harness::listen::Lobby;
use h2probe_harness::model::RunReport;
use h2probe_harness::upgrade;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tokio::time::{timeout, Instant};

const BOUND: Duration = Duration::from_secs(5);

fn case(id: &str) -> &'static Case {
    h2probe_cases::client().iter().find(|c| c.id == id).unwrap_or_else(|| panic!("no case {id}"))
}

/// Reads an HTTP/1.1 response head and returns it (the octets after it stay unread).
async fn read_head(io: &mut TcpStream) -> String {
    let mut head = Vec::new();
    let mut b = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match timeout(BOUND, io.read(&mut b)).await {
            Ok(Ok(1)) => head.push(b[0]),
            _ => break,
        }
    }
    String::from_utf8_lossy(&head).into_owned()
}

/// A scripted client's preface and SETTINGS, then `request` if any.
async fn open_h2(io: &mut TcpStream, request: Option<Frame>) {
    let mut out = PREFACE.to_vec();
    frames::settings().build().encode(&mut out);
    if let Some(r) = request {
        r.encode(&mut out);
    }
    let _ = io.write_all(&out).await;
}

/// The reading half of a scripted client: ACKs what needs one; returns the body of stream 1
/// once it ends (or, when `keep`, once the connection ends, as a browser would keep it),
/// and the first frame read.
async fn h2_exchange(io: &mut TcpStream, keep: bool) -> (Vec<u8>, Option<Frame>) {
    let decoder = FrameDecoder::new();
    let (mut buf, mut body, mut first) = (Vec::new(), Vec::new(), None);
    let until = Instant::now() + BOUND;
    loop {
        while let Ok(Some((head, payload))) = decoder.next_raw(&buf) {
            let used = 9 + payload.len();
            let f = Frame::decode(&head, payload);
            buf.drain(..used);
            let Ok(f) = f else { return (body, first) };
            first.get_or_insert_with(|| f.clone());
            let reply = match &f {
                Frame::Settings(s) if !s.ack => Some(frames::settings_ack()),
                Frame::Ping(p) if !p.ack => Some(frames::ping(p.payload).ack().build()),
                Frame::Data(d) if d.stream_id.0 == 1 => {
                    body.extend_from_slice(&d.data);
                    if d.end_stream && !keep {
                        return (body, first);
                    }
                    None
                }
                Frame::GoAway(_) => return (body, first),
                _ => None,
            };
            if let Some(r) = reply {
                let _ = io.write_all(&r.to_bytes()).await;
            }
        }
        let mut chunk = [0u8; 16384];
        match tokio::time::timeout_at(until, io.read(&mut chunk)).await {
            Ok(Ok(n)) if n > 0 => buf.extend_from_slice(&chunk[..n]),
            _ => return (body, first),
        }
    }
}

/// A client that only starts HTTP/2 by Upgrade, as Java's HttpClient does; `upgrade` false
/// sends a plain HTTP/1.1 request instead.
struct UpgradingClient {
    upgrade: bool,
}

impl Launcher for UpgradingClient {
    fn launch(&self, launch: &Launch) -> Result<Launched, LaunchError> {
        let (tx, ended) = oneshot::channel();
        let (port, path, upgrade) = (launch.port, launch.path.clone(), self.upgrade);
        let task = tokio::spawn(async move {
            let mut ended = Ended::default();
            let Ok(mut io) = TcpStream::connect(("127.0.0.1", port)).await else { return };
            let settings = upgrade::encode_settings(&[(SettingId::ENABLE_PUSH, 0), (SettingId::INITIAL_WINDOW_SIZE, 1 << 20)]);
            let extra = if upgrade {
                format!("Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: {settings}\r\n")
            } else {
                String::new()
            };
            let req = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{extra}User-Agent: scripted\r\n\r\n");
            let _ = io.write_all(req.as_bytes()).await;
            let head = read_head(&mut io).await;
            ended.stderr = head.clone().into_bytes();
            if head.starts_with("HTTP/1.1 101") {
                open_h2(&mut io, None).await;
                let (body, first) = h2_exchange(&mut io, false).await;
                let _ = io.write_all(&frames::goaway(1, h2probe_codec::ErrorCode::NO_ERROR).build().to_bytes()).await;
                ended.code = Some(if matches!(first, Some(Frame::Settings(_))) { 0 } else { 3 });
                ended.stdout = body;
            } else {
                ended.code = Some(1);
            }
            let _ = tx.send(ended);
        });
        let stop = Box::new(move || task.abort());
        Ok(Launched { ended, stop, pid: None })
    }

    fn supports(&self, action: Action) -> bool {
        action == Action::Get
    }

    fn describe(&self) -> String {
        "a scripted upgrading client".into()
    }
}

async fn run_upgrading(upgrade: bool, id: &str) -> RunReport {
    let opts = ClientOptions { upgrade: true, ..ClientOptions::default() };
    let client: Arc<dyn Launcher> = Arc::new(UpgradingClient { upgrade });
    timeout(Duration::from_secs(30), client_run::run(vec![case(id)], client, opts, &Default::default(), None)).await.expect("run bounded")
}

#[tokio::test]
async fn an_upgrade_request_becomes_stream_1_and_the_case_is_judged_on_it() {
    let report = run_upgrading(true, "client/rfc9113/6.3/priority-accepted").await;
    let r = &report.results[0];
    assert_eq!(r.verdict.label(), "pass", "{:?}\n{:#?}", r.verdict, r.transcript);
    let lines: Vec<&str> = r.transcript.iter().map(|l| l.text.as_str()).collect();
    let at = |s: &str| lines.iter().position(|l| l.contains(s)).unwrap_or_else(|| panic!("no {s:?} in {lines:#?}"));
    // The 101, then the request as stream 1, then our SETTINGS first (RFC 7540 §3.2), then
    // the client's preface.
    assert!(at("101 Switching Protocols") < at("request on stream 1"));
    assert!(at("request on stream 1") < at("SETTINGS len="));
    assert!(at("SETTINGS len=") < at("connection preface"));
    // The client's HTTP2-Settings are in force: no finding of the passive checks about them.
    assert!(r.server_output.is_empty(), "{:?}", r.server_output);
}

#[tokio::test]
async fn a_plain_http1_request_is_told_to_upgrade_and_the_case_cannot_run() {
    let report = run_upgrading(false, "client/rfc9113/6.3/priority-accepted").await;
    let r = &report.results[0];
    assert_eq!(r.verdict.label(), "error", "{:?}", r.verdict);
    assert!(r.verdict.observed().contains("without Upgrade: h2c"), "{:?}", r.verdict);
}

/// GET `path` from the index server over HTTP/1.1.
async fn get_http1(port: u16, path: &str) -> String {
    let mut io = TcpStream::connect(("127.0.0.1", port)).await.expect("connect to the index");
    let _ = io.write_all(format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").as_bytes()).await;
    let mut all = Vec::new();
    let _ = timeout(BOUND, io.read_to_end(&mut all)).await;
    let text = String::from_utf8_lossy(&all).into_owned();
    text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default()
}

#[tokio::test]
async fn a_scripted_browser_reads_the_index_and_runs_two_cases_then_says_done() {
    let ids = ["client/rfc9113/6.3/priority-accepted", "client/rfc9113/6.7/ping-answered", "client/rfc9113/6.5.3/settings-acknowledged"];
    let cases: Vec<&'static Case> = ids.iter().map(|id| case(id)).collect();
    let lobby = Lobby::bind("127.0.0.1:0".parse().expect("addr"), ClientOptions::default()).await.expect("bind");
    let url = lobby.url();
    let port: u16 = url.trim_end_matches('/').rsplit(':').next().and_then(|p| p.parse().ok()).expect("port");
    let browser = tokio::spawn(async move {
        let index = get_http1(port, "/").await;
        let json = index.split("const CASES = ").nth(1).and_then(|s| s.split(";\n").next()).expect("the cases in the page").replace("<\\/", "</");
        let listed: serde_json::Value = serde_json::from_str(&json).expect("the page's cases are JSON");
        let listed = listed.as_array().expect("a list").clone();
        assert_eq!(listed.len(), 3, "{listed:?}");
        let mut verdicts = Vec::new();
        // The first two, as the page would: the case's URL on its own port, then its verdict.
        for (i, c) in listed.iter().take(2).enumerate() {
            let u = url::Url::parse(c["urls"][0].as_str().expect("a URL")).expect("URL");
            let mut io = TcpStream::connect(("127.0.0.1", u.port().expect("port"))).await.expect("connect to the case");
            let get = frames::headers(1).request("GET", u.path()).scheme("http").authority(&format!("127.0.0.1:{}", u.port().unwrap_or(0))).end_stream().build();
            open_h2(&mut io, Some(get)).await;
            // A browser keeps the connection and answers PINGs (the fence) while it lives.
            let kept = tokio::spawn(async move { h2_exchange(&mut io, true).await });
            let until = Instant::now() + Duration::from_secs(20);
            let verdict = loop {
                let v = get_http1(port, &format!("/verdict/{i}")).await;
                if !v.starts_with("pending") || Instant::now() > until {
                    break v;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            };
            kept.abort();
            verdicts.push(verdict);
        }
        assert_eq!(get_http1(port, "/nothing").await, "not found");
        get_http1(port, "/done").await;
        verdicts
    });
    let report = timeout(Duration::from_secs(60), lobby.run(cases, Duration::from_secs(40), &Default::default(), None, std::future::pending()))
        .await
        .expect("the run ends when the page says done");
    let verdicts = browser.await.expect("the scripted browser");
    let labels: Vec<&str> = report.results.iter().map(|r| r.verdict.label()).collect();
    assert_eq!(labels, ["pass", "pass", "skip"], "{:#?}", report.results.iter().map(|r| &r.verdict).collect::<Vec<_>>());
    assert!(verdicts.iter().all(|v| v.starts_with("pass")), "{verdicts:?}");
    assert!(report.results[2].verdict.observed().contains("did not request"), "{:?}", report.results[2].verdict);
    // Each case on a fresh connection of its own: our SETTINGS first, its own request on stream 1.
    for (r, id) in report.results.iter().zip(ids).take(2) {
        let first = r.transcript.first().map(|l| l.text.as_str()).unwrap_or_default();
        assert!(first.starts_with("SETTINGS"), "{id}: {first}");
        assert!(r.transcript.iter().any(|l| l.text.contains(&format!("request on stream 1: GET /{id}"))), "{id}");
    }
}
