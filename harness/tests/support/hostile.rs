//! Hostile HTTP/2 servers on loopback: each [`Mode`] is one way a server under test can try
//! to crash h2probe, stall it past its deadlines or swell its memory and reports. Used by
//! `tests/hostile_servers.rs` and by `examples/hostile_server.rs` (which `ci/bench/hostile.sh`
//! runs the whole suite against).
//!
//! Every connection is bounded in time and in octets sent ([`Bounds`]), and the listener
//! binds 127.0.0.1 only. The servers are written with the codec, like the other fixtures.

#![allow(dead_code)] // the test and the example each use part of it

use h2probe_codec::frame::{Frame, Head, HEAD_LEN, PREFACE};
use h2probe_codec::{frames, ErrorCode, FrameType, SettingId};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::time::{sleep_until, timeout_at, Instant};

/// One hostile behaviour, the same on every connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// After the handshake, DATA frames of 16 KiB on stream 1 without end, answering nothing
    /// (no PING ACK, no response): every wait of a case runs while they pour in.
    EndlessData,
    /// The same with frames of an unknown type (0xfa), 16 KiB of payload each.
    EndlessUnknown,
    /// The same with GOAWAY(NO_ERROR, last stream 2^31-1) frames with 8 KiB of debug data:
    /// none decides a case, and none ends the connection.
    EndlessGoaway,
    /// The same with SETTINGS frames of 2 000 parameters each, every one asking for an ACK.
    EndlessSettings,
    /// A first SETTINGS frame with 10 000 parameters (60 000 octets), then a polite server.
    HugeSettings,
    /// After the handshake, PING frames without pause, each asking for an ACK, between the
    /// answers of a polite server: a wait for the grace period after the fence, or for a
    /// flood's fences, runs while they pour in.
    PingFlood,
    /// The same with empty SETTINGS frames.
    SettingsFlood,
    /// A polite server until the client has sent it 64 frames on a connection, then PINGs
    /// without pause on top of its answers: it floods back whoever floods it, so a flood's
    /// probes are answered while the flooded connection never falls silent.
    FloodsBack,
    /// Answers every request with 200 and a large body in DATA frames of one octet each.
    TinyData,
    /// Answers every request with a field block of about 1 MB in CONTINUATION frames (just
    /// under what h2probe assembles, `MAX_FIELD_BLOCK`), 1 000 fields that decode to just
    /// under its 1 MiB header-list limit: the most a response can make a case hold.
    HugeHeaders,
    /// Sends its SETTINGS and the ACK of ours, then never reads again and sends nothing.
    NeverReads,
    /// Serves the first request of each connection (200), then stops reading it: what a
    /// flood meets when the server leaves the flooded connection to the socket buffers.
    StopsReading,
    /// A polite server whose every text field is junk: markup, quotes, control characters,
    /// invalid UTF-8 and escape sequences in field names and values, GOAWAY debug data,
    /// PRIORITY_UPDATE values, undefined error codes and setting ids.
    Junk,
}

impl Mode {
    /// Every mode, in the benchmark's order.
    pub const ALL: [Mode; 13] = [
        Mode::EndlessData,
        Mode::EndlessUnknown,
        Mode::EndlessGoaway,
        Mode::EndlessSettings,
        Mode::HugeSettings,
        Mode::PingFlood,
        Mode::SettingsFlood,
        Mode::FloodsBack,
        Mode::TinyData,
        Mode::HugeHeaders,
        Mode::NeverReads,
        Mode::StopsReading,
        Mode::Junk,
    ];

    /// The mode's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Mode::EndlessData => "endless-data",
            Mode::EndlessUnknown => "endless-unknown",
            Mode::EndlessGoaway => "endless-goaway",
            Mode::EndlessSettings => "endless-settings",
            Mode::HugeSettings => "huge-settings",
            Mode::PingFlood => "ping-flood",
            Mode::SettingsFlood => "settings-flood",
            Mode::FloodsBack => "floods-back",
            Mode::TinyData => "tiny-data",
            Mode::HugeHeaders => "huge-headers",
            Mode::NeverReads => "never-reads",
            Mode::StopsReading => "stops-reading",
            Mode::Junk => "junk",
        }
    }

    /// The mode named `name`.
    pub fn parse(name: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|m| m.name() == name)
    }

    /// The frames written again and again, or `None` for the polite modes.
    fn junk(self) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        match self {
            Mode::EndlessData => (0..4).for_each(|_| frames::data(1, vec![b'a'; 16_384]).build().encode(&mut out)),
            Mode::EndlessUnknown => (0..4).for_each(|_| frames::unknown(0xfa, 1, vec![b'u'; 16_384]).encode(&mut out)),
            Mode::EndlessGoaway => (0..8).for_each(|_| {
                frames::goaway(0x7fff_ffff, ErrorCode::NO_ERROR).debug(vec![b'g'; 8_192]).build().encode(&mut out)
            }),
            Mode::EndlessSettings => {
                let mut s = frames::settings();
                for i in 0..2_000u16 {
                    s = s.set(SettingId(0x100 + i), u32::from(i));
                }
                let s = s.build();
                (0..5).for_each(|_| s.encode(&mut out))
            }
            Mode::PingFlood | Mode::FloodsBack => (0..4_000u32).for_each(|i| {
                let mut p = *b"hostile\0";
                p[4..].copy_from_slice(&i.to_be_bytes());
                frames::ping(p).build().encode(&mut out)
            }),
            Mode::SettingsFlood => (0..4_000).for_each(|_| frames::settings().build().encode(&mut out)),
            _ => return None,
        }
        Some(out)
    }

    /// Whether it reads the client at all after the handshake.
    fn reads(self) -> bool {
        self != Mode::NeverReads
    }

    /// Whether it answers requests and PINGs.
    fn polite(self) -> bool {
        matches!(
            self,
            Mode::HugeSettings
                | Mode::PingFlood
                | Mode::SettingsFlood
                | Mode::FloodsBack
                | Mode::TinyData
                | Mode::HugeHeaders
                | Mode::StopsReading
                | Mode::Junk
        )
    }
}

/// How long a connection lasts and how much it sends at most.
#[derive(Clone, Copy, Debug)]
pub struct Bounds {
    /// Wall time of a connection.
    pub time: Duration,
    /// Octets a connection sends.
    pub octets: u64,
}

impl Default for Bounds {
    /// 10 s and 256 MiB per connection.
    fn default() -> Self {
        Bounds { time: Duration::from_secs(10), octets: 256 << 20 }
    }
}

/// Serves `mode` on 127.0.0.1 (an ephemeral port); the URL. The listener runs as long as
/// the runtime does; each connection within `bounds`.
pub async fn serve(mode: Mode, bounds: Bounds) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(accept(listener, mode, bounds));
    format!("http://{addr}/")
}

/// Accepts connections on `listener` and serves each in `mode`.
pub async fn accept(listener: TcpListener, mode: Mode, bounds: Bounds) {
    while let Ok((s, _)) = listener.accept().await {
        tokio::spawn(async move {
            let end = Instant::now() + bounds.time;
            let _ = timeout_at(end, connection(s, mode, bounds, end)).await;
        });
    }
}

/// What the reading half tells the writing half.
#[derive(Debug)]
enum Work {
    /// The client's SETTINGS (not an ACK): acknowledge it.
    Settings,
    /// A PING to answer.
    Ping([u8; 8]),
    /// A request's HEADERS on this stream (END_HEADERS or not).
    Request(u32),
    /// The client has sent enough frames for [`Mode::FloodsBack`] to start.
    FloodBack,
}

/// Frames from the client after which [`Mode::FloodsBack`] floods back.
const FLOOD_BACK_AFTER: u64 = 64;

async fn connection(s: TcpStream, mode: Mode, bounds: Bounds, end: Instant) {
    let (rd, mut wr) = s.into_split();
    let mut first = match mode {
        Mode::HugeSettings => {
            let mut b = frames::settings();
            for i in 0..10_000u16 {
                b = b.set(SettingId(0x1000 + i), u32::from(i));
            }
            b.build()
        }
        _ => frames::settings().set(SettingId::MAX_CONCURRENT_STREAMS, 100).build(),
    }
    .to_bytes();
    frames::settings_ack().encode(&mut first);
    if wr.write_all(&first).await.is_err() {
        return;
    }
    if !mode.reads() {
        // Holds both halves open, reading nothing, until the bound.
        let _keep = rd;
        sleep_until(end).await;
        return;
    }
    let (tx, rx) = mpsc::channel(256);
    tokio::spawn(read_client(rd, tx, mode, end));
    let mut w = Writer { wr, sent: first.len() as u64, bounds, end, mode, bodies: Vec::new(), requests: 0, flooding: false };
    w.run(rx).await;
}

/// Reads the client's frames and passes on what needs an answer. [`Mode::StopsReading`]
/// stops after the first HEADERS and keeps the connection open.
async fn read_client(mut rd: OwnedReadHalf, tx: mpsc::Sender<Work>, mode: Mode, end: Instant) {
    let mut buf: Vec<u8> = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    let mut preface = true;
    let mut frames = 0u64;
    loop {
        match timeout_at(end, rd.read(&mut chunk)).await {
            Ok(Ok(n)) if n > 0 => buf.extend_from_slice(&chunk[..n]),
            _ => return,
        }
        if preface {
            if buf.len() < PREFACE.len() {
                continue;
            }
            if buf[..PREFACE.len()] == PREFACE[..] {
                buf.drain(..PREFACE.len());
            }
            preface = false;
        }
        while let Some(head) = Head::parse(&buf) {
            let total = HEAD_LEN + head.length as usize;
            if buf.len() < total {
                break;
            }
            let work = match Frame::decode(&head, &buf[HEAD_LEN..total]) {
                Ok(Frame::Settings(s)) if !s.ack => Some(Work::Settings),
                Ok(Frame::Ping(p)) if !p.ack => Some(Work::Ping(p.payload)),
                _ if head.kind == FrameType::HEADERS => Some(Work::Request(head.stream_id.0)),
                _ => None,
            };
            buf.drain(..total);
            frames += 1;
            let request = matches!(work, Some(Work::Request(_)));
            if let Some(work) = work {
                // A client that floods us is answered as far as the queue allows.
                let _ = tx.try_send(work);
            }
            if frames == FLOOD_BACK_AFTER && mode == Mode::FloodsBack && tx.send(Work::FloodBack).await.is_err() {
                return;
            }
            if request && mode == Mode::StopsReading {
                let _keep = rd;
                sleep_until(end).await;
                return;
            }
        }
        if buf.len() > 1 << 20 {
            // Not frames we can parse (a case's garbage): start over.
            buf.clear();
        }
    }
}

struct Writer {
    wr: OwnedWriteHalf,
    sent: u64,
    bounds: Bounds,
    end: Instant,
    mode: Mode,
    /// Streams whose one-octet body is under way ([`Mode::TinyData`]).
    bodies: Vec<u32>,
    requests: u32,
    /// [`Mode::FloodsBack`] has begun.
    flooding: bool,
}

impl Writer {
    async fn run(&mut self, mut rx: mpsc::Receiver<Work>) {
        let junk = self.mode.junk();
        loop {
            if Instant::now() >= self.end || self.sent >= self.bounds.octets {
                return;
            }
            let mut out = Vec::new();
            while let Ok(work) = rx.try_recv() {
                self.answer(work, &mut out);
            }
            if let (Some(junk), true) = (&junk, self.mode != Mode::FloodsBack || self.flooding) {
                out.extend_from_slice(junk);
            } else if !self.bodies.is_empty() {
                // 4 096 one-octet DATA frames per write, round robin over the bodies.
                for i in 0..4_096usize {
                    let s = self.bodies[i % self.bodies.len()];
                    frames::data(s, vec![b'x']).build().encode(&mut out);
                }
            } else if out.is_empty() {
                match timeout_at(self.end, rx.recv()).await {
                    Ok(Some(work)) => self.answer(work, &mut out),
                    // The reader ended (the client closed, or it stopped reading): hold on.
                    Ok(None) => {
                        sleep_until(self.end).await;
                        return;
                    }
                    Err(_) => return,
                }
            }
            if out.is_empty() {
                continue;
            }
            match timeout_at(self.end, self.wr.write_all(&out)).await {
                Ok(Ok(())) => self.sent += out.len() as u64,
                _ => return,
            }
        }
    }

    /// The polite modes answer; the others acknowledge SETTINGS only (so the handshake
    /// completes) and answer nothing else.
    fn answer(&mut self, work: Work, out: &mut Vec<u8>) {
        match work {
            Work::Settings => frames::settings_ack().encode(out),
            Work::FloodBack => self.flooding = true,
            Work::Ping(p) if self.mode.polite() => frames::ping(p).ack().build().encode(out),
            Work::Request(s) if self.mode.polite() => self.respond(s, out),
            _ => {}
        }
    }

    fn respond(&mut self, stream: u32, out: &mut Vec<u8>) {
        self.requests += 1;
        match self.mode {
            Mode::TinyData => {
                frames::headers(stream).status(200).build().encode(out);
                if self.bodies.len() < 16 && !self.bodies.contains(&stream) {
                    self.bodies.push(stream);
                }
            }
            Mode::Junk => junk_response(stream, self.requests, out),
            Mode::HugeHeaders => {
                let mut h = frames::headers(stream).status(200);
                for i in 0..1_000 {
                    h = h.field(format!("x-huge-{i:04}").into_bytes(), vec![b'h'; 1_000]);
                }
                for f in h.end_stream().build_split(16_000) {
                    f.encode(out);
                }
            }
            _ => {
                frames::headers(stream).status(200).set("content-length", "5").build().encode(out);
                frames::data(stream, b"hello".to_vec()).end_stream().build().encode(out);
            }
        }
    }
}

/// Markup, quotes, control characters, escape sequences and invalid UTF-8: what a report
/// must carry without being broken by it.
pub const JUNK: &[u8] = b"<script>alert(\"h2\")</script>]]></testcase><![CDATA[ & &amp; '\"\\ \x1b[31;1mred\x1b[0m \x1b]8;;http://x\x07link \x00\x01\x7f \xff\xfe\xc3\x28 \r\n<!-- -->";

/// A response whose every text field is junk, and frames around it with junk in their
/// text: an unknown frame, a PRIORITY_UPDATE, a RST_STREAM with an undefined code, SETTINGS
/// with undefined ids; every third request, a GOAWAY with junk debug data and an undefined
/// code.
fn junk_response(stream: u32, n: u32, out: &mut Vec<u8>) {
    frames::headers(stream)
        .status(200)
        .field(b"server".to_vec(), JUNK.to_vec())
        .field(b"X-<B>Junk</B>".to_vec(), JUNK.to_vec())
        .field(JUNK.to_vec(), b"value".to_vec())
        .field(b"content-length".to_vec(), b"<1>".to_vec())
        .build()
        .encode(out);
    frames::data(stream, JUNK.to_vec()).end_stream().build().encode(out);
    frames::unknown(0xfb, stream, JUNK.to_vec()).encode(out);
    frames::priority_update(stream, &String::from_utf8_lossy(JUNK)).encode(out);
    frames::rst_stream(stream, ErrorCode(0xdead_beef)).encode(out);
    frames::settings().set(SettingId(0xfffe), 0xffff_ffff).set(SettingId(0x7a7a), 7).build().encode(out);
    if n % 3 == 0 {
        frames::goaway(stream, ErrorCode(0xffff_ffff)).debug(JUNK.to_vec()).build().encode(out);
    }
}
