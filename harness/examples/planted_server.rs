//! An HTTP/2 server (h2c, prior knowledge) with three planted defects: the fuzzer's proof
//! target (`tests/fuzz_planted.rs`).
//!
//! ```sh
//! cargo run -p h2probe-harness --example planted_server -- --listen 127.0.0.1:19099
//! ```
//!
//! Apart from the defects it is a small conforming server written with the codec: it reads
//! frames with the codec's decoder and answers every error the codec names with the
//! consequence [`FrameError::consequence`] gives (a stream error on an idle stream as a
//! connection error, which RFC 9113 §5.4.1 allows), HPACK errors with
//! GOAWAY(COMPRESSION_ERROR), interrupted field blocks and frames on idle streams with
//! GOAWAY(PROTOCOL_ERROR), and every complete request with `200` and no body. So a
//! campaign against it should find the three defects and nothing else:
//!
//! 1. **crash**: DATA on a stream that the client opened with HEADERS and then reset with
//!    RST_STREAM — a use-after-free in a C server — ends the process (exit status 101);
//! 2. **leak**: a PRIORITY frame that makes a stream depend on itself keeps 512 KiB for good
//!    (RFC 9113 §5.3.1 makes it a stream error; this server files it in a tree it never
//!    prunes), at most 512 MiB in all so the fixture cannot exhaust the machine;
//! 3. **accepted violation**: a PING on a stream other than 0 is answered like any PING,
//!    where RFC 9113 §6.7 requires a connection error of type PROTOCOL_ERROR.
//!
//! With `--worker-log FILE` the crash plays a server whose master replaces a dead worker
//! (Apache, nginx, h2o): the connection is dropped, the process goes on serving, and a
//! moment later a line like Apache's (`child pid N exit signal Segmentation fault (11)`)
//! is appended to FILE — what `h2probe fuzz --server-log FILE` watches for.

use h2probe_codec::frame::{Consequence, Frame, FrameDecoder, Head, HEAD_LEN, PREFACE};
use h2probe_codec::hpack::{self, HeaderField};
use h2probe_codec::{frames, ErrorCode, FrameType, SettingId, StreamId};
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::timeout;

/// Octets kept per self-dependent PRIORITY frame.
const LEAK_PER_FRAME: usize = 512 << 10;
/// The leak stops growing here.
const LEAK_CAP: usize = 512 << 20;
/// The memory the leak keeps (planted defect 2).
static LEAKED: Mutex<Vec<Vec<u8>>> = Mutex::new(Vec::new());
/// `--worker-log FILE`: crashes are a worker's, reported here.
static WORKER_LOG: OnceLock<PathBuf> = OnceLock::new();
/// How long the "master" takes to log a dead worker.
const REAP_DELAY: Duration = Duration::from_millis(300);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Open,
    /// Answered, or reset.
    Closed,
}

/// One connection's state: bytes in, bytes out.
struct Server {
    buf: Vec<u8>,
    out: Vec<u8>,
    decoder: FrameDecoder,
    hpack: hpack::Decoder,
    encoder: hpack::Encoder,
    block: Option<(u32, bool, Vec<u8>)>,
    streams: HashMap<u32, State>,
    /// Streams the client opened with HEADERS and then reset (planted defect 1).
    reset_by_client: HashSet<u32>,
    last_stream: u32,
    closing: bool,
    /// The "worker" serving this connection crashed (`--worker-log`).
    dead: bool,
}

impl Server {
    fn new() -> Server {
        let mut s = Server {
            buf: Vec::new(),
            out: Vec::new(),
            decoder: FrameDecoder::new(),
            hpack: hpack::Decoder::new(),
            encoder: hpack::Encoder::new(),
            block: None,
            streams: HashMap::new(),
            reset_by_client: HashSet::new(),
            last_stream: 0,
            closing: false,
            dead: false,
        };
        frames::settings()
            .set(SettingId::MAX_CONCURRENT_STREAMS, 100)
            .set(SettingId::INITIAL_WINDOW_SIZE, 65_535)
            .build()
            .encode(&mut s.out);
        s
    }

    fn goaway(&mut self, code: ErrorCode) {
        frames::goaway(self.last_stream, code).build().encode(&mut self.out);
        self.closing = true;
    }

    /// A stream error: RST_STREAM on an open stream, a connection error on an idle one
    /// (RST_STREAM must not be sent on idle streams, RFC 9113 §6.4).
    fn stream_error(&mut self, stream: u32, code: ErrorCode) {
        match self.streams.get(&stream) {
            Some(State::Open) => {
                frames::rst_stream(stream, code).encode(&mut self.out);
                self.streams.insert(stream, State::Closed);
            }
            Some(State::Closed) => {}
            None => self.goaway(code),
        }
    }

    fn receive(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
        while !self.closing && !self.dead {
            let (head, total) = match self.decoder.next_raw(&self.buf) {
                Ok(Some((head, payload))) => (head, HEAD_LEN + payload.len()),
                Ok(None) => return,
                Err(_) => return self.goaway(ErrorCode::FRAME_SIZE_ERROR),
            };
            let frame: Vec<u8> = self.buf.drain(..total).collect();
            self.frame(&head, &frame[HEAD_LEN..]);
        }
    }

    fn frame(&mut self, head: &Head, payload: &[u8]) {
        let stream = head.stream_id.0;
        // RFC 9113 §6.10: a field block is continued by CONTINUATION on its stream, only.
        match (&self.block, head.kind) {
            (Some((s, _, _)), FrameType::CONTINUATION) if *s == stream => {}
            (Some(_), _) | (None, FrameType::CONTINUATION) => return self.goaway(ErrorCode::PROTOCOL_ERROR),
            _ => {}
        }
        let f = match Frame::decode(head, payload) {
            Ok(f) => f,
            // Planted defect 3: a PING on a stream is taken for a PING.
            Err(_) if head.kind == FrameType::PING && stream != 0 && payload.len() == 8 => {
                if head.flags & 1 == 0 {
                    let mut p = [0u8; 8];
                    p.copy_from_slice(payload);
                    frames::ping(p).ack().build().encode(&mut self.out);
                }
                return;
            }
            Err(e) => {
                return match e.consequence() {
                    Consequence::Connection(code) => self.goaway(code),
                    Consequence::Stream(s, code) => self.stream_error(s.0, code),
                }
            }
        };
        match f {
            Frame::Settings(s) if !s.ack => {
                for &(id, v) in &s.params {
                    if id == SettingId::HEADER_TABLE_SIZE {
                        self.encoder.set_max_table_size(v.min(1 << 16) as usize);
                    }
                }
                frames::settings_ack().encode(&mut self.out);
            }
            Frame::Ping(p) if !p.ack => frames::ping(p.payload).ack().build().encode(&mut self.out),
            Frame::Headers(h) => {
                if h.end_headers {
                    self.field_block(stream, h.end_stream, &h.block);
                } else {
                    self.block = Some((stream, h.end_stream, h.block));
                }
            }
            Frame::Continuation(c) => {
                if let Some((s, end_stream, mut block)) = self.block.take() {
                    block.extend_from_slice(&c.block);
                    if c.end_headers {
                        self.field_block(s, end_stream, &block);
                    } else {
                        self.block = Some((s, end_stream, block));
                    }
                }
            }
            Frame::Data(d) => {
                // Planted defect 1.
                if self.reset_by_client.contains(&stream) {
                    eprintln!("planted_server: DATA on stream {stream} after the client reset it: crashing");
                    let Some(log) = WORKER_LOG.get() else { std::process::exit(101) };
                    // The worker dies with the connection; its master logs it a moment later.
                    self.out.clear();
                    self.dead = true;
                    let log = log.clone();
                    std::thread::spawn(move || {
                        std::thread::sleep(REAP_DELAY);
                        if let Ok(mut f) = std::fs::OpenOptions::new().create(true).append(true).open(&log) {
                            let _ = writeln!(f, "[core:notice] AH00052: child pid {} exit signal Segmentation fault (11)", std::process::id());
                        }
                    });
                    return;
                }
                let n = d.flow_len() as u32;
                match self.streams.get(&stream).copied() {
                    None => return self.goaway(ErrorCode::PROTOCOL_ERROR),
                    Some(State::Open) => {
                        if n > 0 && !d.end_stream {
                            frames::window_update(stream, n).encode(&mut self.out);
                        }
                        if d.end_stream {
                            self.respond(stream);
                        }
                    }
                    Some(_) => {}
                }
                if n > 0 {
                    frames::window_update(0, n).encode(&mut self.out);
                }
            }
            Frame::RstStream(_) => match self.streams.get(&stream) {
                None => self.goaway(ErrorCode::PROTOCOL_ERROR),
                Some(_) => {
                    self.streams.insert(stream, State::Closed);
                    self.reset_by_client.insert(stream);
                }
            },
            Frame::Priority(p) if p.spec.dependency == StreamId(stream) => {
                // Planted defect 2.
                if let Ok(mut kept) = LEAKED.lock() {
                    if kept.len() * LEAK_PER_FRAME < LEAK_CAP {
                        kept.push(vec![0xa5; LEAK_PER_FRAME]);
                    }
                }
            }
            Frame::WindowUpdate(_) if stream != 0 && !self.streams.contains_key(&stream) => self.goaway(ErrorCode::PROTOCOL_ERROR),
            Frame::PushPromise(_) => self.goaway(ErrorCode::PROTOCOL_ERROR),
            _ => {}
        }
    }

    fn field_block(&mut self, stream: u32, end_stream: bool, block: &[u8]) {
        if let Err(e) = self.hpack.decode(block) {
            if e.is_compression_error() {
                return self.goaway(ErrorCode::COMPRESSION_ERROR);
            }
        }
        match self.streams.get(&stream).copied() {
            None => {
                // RFC 9113 §5.1.1: client streams are odd and increase.
                if stream % 2 == 0 || stream <= self.last_stream {
                    return self.goaway(ErrorCode::PROTOCOL_ERROR);
                }
                self.last_stream = stream;
                self.streams.insert(stream, State::Open);
                if end_stream {
                    self.respond(stream);
                }
            }
            Some(State::Open) if end_stream => self.respond(stream),
            _ => {}
        }
    }

    fn respond(&mut self, stream: u32) {
        let mut block = Vec::new();
        self.encoder.encode(&[HeaderField::new(":status", "200"), HeaderField::new("server", "planted")], &mut block);
        frames::headers(stream).block(block).end_stream().build().encode(&mut self.out);
        self.streams.insert(stream, State::Closed);
    }
}

async fn serve(mut sock: TcpStream) {
    let _ = sock.set_nodelay(true);
    let mut preface = [0u8; 24];
    match timeout(Duration::from_secs(10), sock.read_exact(&mut preface)).await {
        Ok(Ok(_)) if preface == *PREFACE => {}
        _ => return,
    }
    let mut s = Server::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        if s.dead {
            // Gone without a word (unread octets make the close a reset).
            return;
        }
        let out = std::mem::take(&mut s.out);
        if !out.is_empty() && sock.write_all(&out).await.is_err() {
            return;
        }
        if s.closing {
            break;
        }
        match timeout(Duration::from_secs(60), sock.read(&mut buf)).await {
            Ok(Ok(n)) if n > 0 => s.receive(&buf[..n]),
            _ => return,
        }
    }
    // FIN after the GOAWAY, then drain, so unread data does not turn the close into a reset.
    let _ = sock.shutdown().await;
    let _ = timeout(Duration::from_millis(200), async { while matches!(sock.read(&mut buf).await, Ok(n) if n > 0) {} }).await;
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let listen = match args.iter().position(|a| a == "--listen").and_then(|i| args.get(i + 1)) {
        Some(a) => a.clone(),
        None => {
            eprintln!("usage: planted_server --listen 127.0.0.1:PORT [--worker-log FILE]");
            std::process::exit(2);
        }
    };
    if let Some(log) = args.iter().position(|a| a == "--worker-log").and_then(|i| args.get(i + 1)) {
        let _ = WORKER_LOG.set(PathBuf::from(log));
    }
    let rt = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("planted_server: {e}");
            std::process::exit(2);
        }
    };
    rt.block_on(async move {
        let listener = match TcpListener::bind(&listen).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!("planted_server: cannot listen on {listen}: {e}");
                std::process::exit(2);
            }
        };
        loop {
            if let Ok((sock, _)) = listener.accept().await {
                tokio::spawn(serve(sock));
            }
        }
    });
}
