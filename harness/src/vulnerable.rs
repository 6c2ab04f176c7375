//! A deliberately vulnerable HTTP/2 server (h2c), the known truth of the resilience suite:
//! each attack class must say `vulnerable` against it with that class's mitigation off, and
//! `mitigated` or `absorbed` with it on. `h2probe serve-vulnerable` runs it in a process of
//! its own, so its CPU and RSS are its own.
//!
//! Its flaws are those the CVEs describe, made measurable: it reads whatever its output
//! queue holds (so unread ACKs, resets and responses pile up in memory), keeps per-frame
//! bookkeeping (1 KiB per empty or small frame, per reprioritisation, per CONTINUATION, per
//! stream it reset; 2 KiB per small DATA frame it sends),
//! keeps every decoded header field for the session, runs each request's backend work
//! (512 octets for 3 s) whether or not the stream was reset, counts SETTINGS_MAX_CONCURRENT_
//! STREAMS only once its SETTINGS are acknowledged, buffers each response held for 0.8 s (256 KiB)
//! for as long as a zero window holds it, and reads a connection's preface before it
//! accepts the next one. Each [`Mitigations`] flag removes one flaw the way real servers do.
//!
//! Bounded whatever it is sent: its output queue, kept bookkeeping and decoded fields stop
//! at [`MAX_HELD_OCTETS`] per connection (then it closes the connection), so a test cannot
//! exhaust the machine.

use h2probe_codec::frame::{Frame, FrameDecoder, PREFACE};
use h2probe_codec::hpack::{Decoder, DecoderLimits, HeaderField};
use h2probe_codec::{frames, ErrorCode, SettingId};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::time::Instant;

/// The mitigations, one per flaw; all off is the fully vulnerable server.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Mitigations {
    /// At most 1000 unsent PING/SETTINGS ACKs queued, then GOAWAY(ENHANCE_YOUR_CALM) (nghttp2's
    /// `max_outbound_ack`). Fixes the PING and SETTINGS floods.
    pub ack_cap: bool,
    /// Stops reading while more than 1 MiB of output is queued (TCP backpressure honoured).
    /// Fixes internal data buffering.
    pub backpressure: bool,
    /// At most 1000 resets it sends itself, then GOAWAY(ENHANCE_YOUR_CALM) (h2's
    /// `max_local_error_reset_streams`). Fixes the reset flood and MadeYouReset.
    pub reset_budget: bool,
    /// At most 1000 client resets, then GOAWAY(ENHANCE_YOUR_CALM). Fixes Rapid Reset.
    pub rapid_reset_budget: bool,
    /// At most 100 empty DATA or CONTINUATION frames, then GOAWAY(ENHANCE_YOUR_CALM).
    pub empty_frames: bool,
    /// At most 1000 WINDOW_UPDATEs under 1 KiB, then GOAWAY(ENHANCE_YOUR_CALM). Fixes data dribble.
    pub small_window_updates: bool,
    /// At most 10 000 PRIORITY/PRIORITY_UPDATE frames, then GOAWAY(ENHANCE_YOUR_CALM).
    pub priority_cap: bool,
    /// Field blocks: at most 8 CONTINUATIONs and 64 KiB, 1000 fields and 64 KiB decoded (431
    /// beyond), empty names refused, nothing kept past the request. Fixes the CONTINUATION
    /// floods, the HPACK and HTTP/2 bombs and 0-length headers.
    pub header_caps: bool,
    /// SETTINGS_MAX_CONCURRENT_STREAMS enforced before its ACK. Fixes unacknowledged settings.
    pub concurrency_before_ack: bool,
    /// A connection whose streams are all held by zero windows for 300 ms gets
    /// GOAWAY(ENHANCE_YOUR_CALM). Fixes streams held at the limit.
    pub reap_stalled: bool,
    /// Each connection on its own task, the preface within 1 s. Fixes the slow preface.
    pub preface_timeout: bool,
}

impl Mitigations {
    /// Every mitigation on.
    pub fn all() -> Mitigations {
        Mitigations {
            ack_cap: true,
            backpressure: true,
            reset_budget: true,
            rapid_reset_budget: true,
            empty_frames: true,
            small_window_updates: true,
            priority_cap: true,
            header_caps: true,
            concurrency_before_ack: true,
            reap_stalled: true,
            preface_timeout: true,
        }
    }

    /// Names, as `--mitigate` takes them.
    pub const NAMES: &'static [&'static str] = &[
        "ack-cap",
        "backpressure",
        "reset-budget",
        "rapid-reset-budget",
        "empty-frames",
        "small-window-updates",
        "priority-cap",
        "header-caps",
        "concurrency-before-ack",
        "reap-stalled",
        "preface-timeout",
    ];

    /// Turns one on by name (`all` turns on every one).
    pub fn enable(&mut self, name: &str) -> Result<(), String> {
        match name {
            "all" => *self = Mitigations::all(),
            "ack-cap" => self.ack_cap = true,
            "backpressure" => self.backpressure = true,
            "reset-budget" => self.reset_budget = true,
            "rapid-reset-budget" => self.rapid_reset_budget = true,
            "empty-frames" => self.empty_frames = true,
            "small-window-updates" => self.small_window_updates = true,
            "priority-cap" => self.priority_cap = true,
            "header-caps" => self.header_caps = true,
            "concurrency-before-ack" => self.concurrency_before_ack = true,
            "reap-stalled" => self.reap_stalled = true,
            "preface-timeout" => self.preface_timeout = true,
            other => return Err(format!("unknown mitigation '{other}' (one of: all, {})", Mitigations::NAMES.join(", "))),
        }
        Ok(())
    }
}

/// Octets one connection may hold (queued output, bookkeeping, kept fields) before the
/// fixture closes it: its flaws show well below, and the machine is safe.
pub const MAX_HELD_OCTETS: u64 = 512 << 20;
/// Response body of every request.
pub const BODY: usize = 16 * 1024;
/// What a held response costs when unmitigated: an output buffer of its own of this size,
/// whatever the response and its window (the flaw: 100 held streams pin 25 MiB a
/// connection, beyond the two windows per stream that flow control could make a server need).
const HELD_BUFFER: usize = 256 * 1024;
/// How long a stream stays held before it is parked in its [`HELD_BUFFER`]: longer than the
/// 300 ms other attacks keep their connections after their last unit (a dribble's streams,
/// held between its updates, must not pin it too, or their 25 MiB would hide the dribble's own
/// growth), shorter than the 1.5 s that streams held at the limit are kept; later than the
/// 300 ms after which `reap_stalled` reaps them.
const PARK_AFTER: Duration = Duration::from_millis(800);
/// Backend work per request, held this long whether or not the stream is reset.
const BACKEND_OCTETS: usize = 512;
const BACKEND_TIME: Duration = Duration::from_secs(3);
/// Bookkeeping kept per small frame when unmitigated.
const RECORD: usize = 1024;
/// Bookkeeping kept per small DATA frame it sends (data dribble).
const DRIBBLE_RECORD: usize = 2 * 1024;
const MCS: u32 = 100;
const BUDGET: u64 = 1000;

/// Serves `listener` until the process ends.
pub async fn serve(listener: TcpListener, m: Mitigations) {
    loop {
        let Ok((mut sock, _)) = listener.accept().await else { continue };
        let _ = sock.set_nodelay(true);
        if m.preface_timeout {
            tokio::spawn(async move {
                let mut p = [0u8; 24];
                if let Ok(Ok(_)) = tokio::time::timeout(Duration::from_secs(1), sock.read_exact(&mut p)).await {
                    if &p == PREFACE {
                        Conn::run(sock, m).await;
                    }
                }
            });
        } else {
            // The flaw: the preface is read before the next connection is accepted.
            let mut p = [0u8; 24];
            if sock.read_exact(&mut p).await.is_ok() && &p == PREFACE {
                tokio::spawn(Conn::run(sock, m));
            }
        }
    }
}

/// A sink: SETTINGS after the preface, then every octet read and discarded, nothing
/// answered (the benchmark's baseline: how fast h2probe writes when nothing slows it).
pub async fn sink(listener: TcpListener) {
    loop {
        let Ok((mut sock, _)) = listener.accept().await else { continue };
        tokio::spawn(async move {
            // Our SETTINGS and the ACK of the client's first flight, unread: nothing else.
            let mut hello = frames::settings().build().to_bytes();
            hello.extend(frames::settings_ack().to_bytes());
            let _ = sock.write_all(&hello).await;
            let mut buf = vec![0u8; 1 << 20];
            while let Ok(n) = sock.read(&mut buf).await {
                if n == 0 {
                    break;
                }
            }
        });
    }
}

struct Stream {
    /// Its request is complete (END_STREAM received).
    remote_closed: bool,
    /// Our send window.
    window: i64,
    /// Response octets not yet sent (headers already queued).
    pending: usize,
    /// The rest of the response, buffered once a zero window held it for [`PARK_AFTER`]
    /// (the flaw: a held response costs [`HELD_BUFFER`] at least).
    buffered: Option<Vec<u8>>,
    /// Since when the zero window held it.
    stalled_since: Option<Instant>,
}

struct Conn {
    m: Mitigations,
    out: mpsc::UnboundedSender<Vec<u8>>,
    queued: Arc<AtomicU64>,
    queued_acks: Arc<AtomicU64>,
    decoder: Decoder,
    streams: HashMap<u32, Stream>,
    last_stream: u32,
    initial_window: i64,
    conn_window: i64,
    settings_acked: bool,
    /// The field block being received: its stream, octets, CONTINUATIONs, END_STREAM.
    block: Option<(u32, Vec<u8>, u32, bool)>,
    kept: Vec<Vec<u8>>,
    kept_fields: Vec<HeaderField>,
    held: u64,
    local_resets: u64,
    client_resets: u64,
    empty: u64,
    small_updates: u64,
    priorities: u64,
}

enum Next {
    Go,
    Close,
}

impl Conn {
    async fn run(sock: TcpStream, m: Mitigations) {
        let (mut rd, mut wr) = sock.into_split();
        let (tx, mut rx) = mpsc::unbounded_channel::<Vec<u8>>();
        let queued = Arc::new(AtomicU64::new(0));
        let queued_acks = Arc::new(AtomicU64::new(0));
        let (q, qa) = (queued.clone(), queued_acks.clone());
        let writer = tokio::spawn(async move {
            while let Some(b) = rx.recv().await {
                if wr.write_all(&b).await.is_err() {
                    return;
                }
                q.fetch_sub(b.len() as u64, Ordering::Relaxed);
                // One frame per message: a PING or SETTINGS ACK leaves the queue.
                if b.len() >= 9 && (b[3] == 0x6 || b[3] == 0x4) && b[4] & 1 == 1 {
                    qa.fetch_sub(1, Ordering::Relaxed);
                }
            }
            let _ = wr.shutdown().await;
        });
        let limits = DecoderLimits { max_header_list_size: usize::MAX, max_string_len: usize::MAX, max_fields: usize::MAX };
        let mut c = Conn {
            m,
            out: tx,
            queued,
            queued_acks,
            decoder: Decoder::with_limits(limits),
            streams: HashMap::new(),
            last_stream: 0,
            initial_window: 65_535,
            conn_window: 65_535,
            settings_acked: false,
            block: None,
            kept: Vec::new(),
            kept_fields: Vec::new(),
            held: 0,
            local_resets: 0,
            client_resets: 0,
            empty: 0,
            small_updates: 0,
            priorities: 0,
        };
        c.send(frames::settings().set(SettingId::MAX_CONCURRENT_STREAMS, MCS).build());
        let dec = FrameDecoder::new();
        let mut buf: Vec<u8> = Vec::with_capacity(1 << 17);
        let mut chunk = vec![0u8; 1 << 16];
        'read: loop {
            while c.m.backpressure && c.queued.load(Ordering::Relaxed) > 1 << 20 {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            let n = match tokio::time::timeout(Duration::from_millis(100), rd.read(&mut chunk)).await {
                Err(_) => {
                    c.park();
                    if c.reap() {
                        break 'read;
                    }
                    continue;
                }
                Ok(Ok(0)) | Ok(Err(_)) => break,
                Ok(Ok(n)) => n,
            };
            buf.extend_from_slice(&chunk[..n]);
            let mut at = 0;
            loop {
                match dec.next_frame(&buf[at..]) {
                    Ok(None) => break,
                    Ok(Some((_, frame, used))) => {
                        at += used;
                        if let Next::Close = c.frame(frame) {
                            break 'read;
                        }
                    }
                    Err(e) => match e.consequence() {
                        h2probe_codec::frame::Consequence::Stream(s, code) => {
                            let skip = h2probe_codec::frame::HEAD_LEN + h2probe_codec::frame::Head::parse(&buf[at..]).map_or(0, |h| h.length as usize);
                            at += skip;
                            if let Next::Close = c.reset(s.0, code) {
                                break 'read;
                            }
                        }
                        h2probe_codec::frame::Consequence::Connection(code) => {
                            c.goaway(code);
                            break 'read;
                        }
                    },
                }
            }
            buf.drain(..at);
            c.pump();
            c.park();
            let bodies: u64 = c.streams.values().map(|s| s.buffered.as_ref().map_or(0, |b| b.len() as u64)).sum();
            if c.held + bodies + c.queued.load(Ordering::Relaxed) > MAX_HELD_OCTETS || c.reap() {
                break;
            }
        }
        drop(c);
        let _ = tokio::time::timeout(Duration::from_secs(1), writer).await;
    }

    fn send(&self, f: Frame) {
        let b = f.to_bytes();
        self.queued.fetch_add(b.len() as u64, Ordering::Relaxed);
        let _ = self.out.send(b);
    }

    fn goaway(&self, code: ErrorCode) {
        self.send(frames::goaway(self.last_stream, code).build());
    }

    fn calm(&self) -> Next {
        self.goaway(ErrorCode::ENHANCE_YOUR_CALM);
        Next::Close
    }

    fn keep(&mut self, octets: usize) {
        self.kept.push(vec![1u8; octets]);
        self.held += octets as u64;
    }

    fn reset(&mut self, stream: u32, code: ErrorCode) -> Next {
        self.streams.remove(&stream);
        self.send(frames::rst_stream(stream, code));
        self.local_resets += 1;
        if self.m.reset_budget {
            if self.local_resets > BUDGET {
                return self.calm();
            }
        } else if code != ErrorCode::REFUSED_STREAM {
            // The record of a stream it reset, kept for the session.
            self.keep(RECORD);
        }
        Next::Go
    }

    fn ack(&self, f: Frame) -> Next {
        let n = self.queued_acks.fetch_add(1, Ordering::Relaxed);
        self.send(f);
        if self.m.ack_cap && n >= BUDGET {
            return self.calm();
        }
        Next::Go
    }

    fn frame(&mut self, f: Frame) -> Next {
        match f {
            Frame::Ping(p) if !p.ack => self.ack(frames::ping(p.payload).ack().build()),
            Frame::Settings(s) if s.ack => {
                self.settings_acked = true;
                Next::Go
            }
            Frame::Settings(s) => {
                for (id, v) in s.params {
                    if id == SettingId::INITIAL_WINDOW_SIZE {
                        let delta = i64::from(v) - self.initial_window;
                        self.initial_window = i64::from(v);
                        for st in self.streams.values_mut() {
                            st.window += delta;
                        }
                    }
                }
                self.ack(frames::settings_ack())
            }
            Frame::Headers(h) => {
                let s = h.stream_id.0;
                if let Some(st) = self.streams.get(&s) {
                    if st.remote_closed {
                        return self.reset(s, ErrorCode::STREAM_CLOSED);
                    }
                }
                if h.end_headers {
                    self.request(s, h.block, h.end_stream)
                } else {
                    self.block = Some((s, h.block, 0, h.end_stream));
                    Next::Go
                }
            }
            Frame::Continuation(c) => {
                let Some((s, mut block, n, end)) = self.block.take() else { return Next::Close };
                if c.block.is_empty() {
                    self.empty += 1;
                    if self.m.empty_frames && self.empty > 100 {
                        return self.calm();
                    }
                }
                if self.m.header_caps && (n >= 8 || block.len() + c.block.len() > 64 << 10) {
                    return self.calm();
                }
                if !self.m.header_caps {
                    self.keep(RECORD);
                }
                block.extend_from_slice(&c.block);
                self.held += c.block.len() as u64;
                if c.end_headers {
                    self.request(s, block, end)
                } else {
                    self.block = Some((s, block, n + 1, end));
                    Next::Go
                }
            }
            Frame::Data(d) => {
                let s = d.stream_id.0;
                let Some(st) = self.streams.get_mut(&s) else { return Next::Go };
                if st.remote_closed {
                    return self.reset(s, ErrorCode::STREAM_CLOSED);
                }
                if d.end_stream {
                    st.remote_closed = true;
                }
                if d.data.is_empty() {
                    self.empty += 1;
                    if self.m.empty_frames && self.empty > 100 {
                        return self.calm();
                    }
                }
                if !self.m.empty_frames {
                    self.keep(RECORD);
                }
                // Windows back at once: the body is read.
                if !d.data.is_empty() {
                    let n = d.data.len() as u32;
                    self.send(frames::window_update(0, n));
                    self.send(frames::window_update(s, n));
                }
                Next::Go
            }
            Frame::WindowUpdate(w) => {
                let s = w.stream_id.0;
                if s == 0 {
                    self.conn_window += i64::from(w.increment);
                    return Next::Go;
                }
                if w.increment == 0 {
                    return self.reset(s, ErrorCode::PROTOCOL_ERROR);
                }
                if w.increment < 1024 {
                    self.small_updates += 1;
                    if self.m.small_window_updates && self.small_updates > BUDGET {
                        return self.calm();
                    }
                }
                let Some(st) = self.streams.get_mut(&s) else { return Next::Go };
                st.window += i64::from(w.increment);
                // Its window moved: not held, whatever the increment.
                st.stalled_since = None;
                if st.window > 0x7fff_ffff {
                    return self.reset(s, ErrorCode::FLOW_CONTROL_ERROR);
                }
                if !self.m.small_window_updates {
                    self.pump_one(s);
                }
                Next::Go
            }
            Frame::Priority(p) => {
                if p.spec.dependency == p.stream_id {
                    return self.reset(p.stream_id.0, ErrorCode::PROTOCOL_ERROR);
                }
                self.prioritised()
            }
            Frame::PriorityUpdate(_) => self.prioritised(),
            Frame::RstStream(r) => {
                self.streams.remove(&r.stream_id.0);
                self.client_resets += 1;
                if self.m.rapid_reset_budget && self.client_resets > BUDGET {
                    return self.calm();
                }
                Next::Go
            }
            Frame::GoAway(_) => Next::Close,
            _ => Next::Go,
        }
    }

    fn prioritised(&mut self) -> Next {
        self.priorities += 1;
        if self.m.priority_cap {
            if self.priorities > 10 * BUDGET {
                return self.calm();
            }
        } else {
            self.keep(RECORD / 2);
        }
        Next::Go
    }

    fn request(&mut self, s: u32, block: Vec<u8>, end_stream: bool) -> Next {
        self.held = self.held.saturating_sub(block.len() as u64);
        let mut fields = Vec::new();
        if self.decoder.decode_with(&block, |f| fields.push(f)).is_err() {
            self.goaway(ErrorCode::COMPRESSION_ERROR);
            return Next::Close;
        }
        if s <= self.last_stream || s % 2 == 0 {
            return Next::Go;
        }
        self.last_stream = s;
        let size: usize = fields.iter().map(|f| f.name.len() + f.value.len() + 32).sum();
        if fields.iter().any(|f| f.name.iter().any(u8::is_ascii_uppercase)) || (self.m.header_caps && fields.iter().any(|f| f.name.is_empty())) {
            return self.reset(s, ErrorCode::PROTOCOL_ERROR);
        }
        if self.m.header_caps && (fields.len() > 1000 || size > 64 << 10) {
            self.send(frames::headers(s).status(431).end_stream().build());
            return Next::Go;
        }
        if !self.m.header_caps {
            self.held += size as u64;
            self.kept_fields.extend(fields);
        }
        let counted = self.settings_acked || self.m.concurrency_before_ack;
        if counted && self.streams.len() >= MCS as usize {
            return self.reset(s, ErrorCode::REFUSED_STREAM);
        }
        // The backend's work, which a reset does not cancel.
        tokio::spawn(async {
            let work = vec![1u8; BACKEND_OCTETS];
            tokio::time::sleep(BACKEND_TIME).await;
            drop(work);
        });
        self.send(frames::headers(s).status(200).field("content-length", BODY.to_string()).build());
        self.streams.insert(s, Stream { remote_closed: end_stream, window: self.initial_window, pending: BODY, buffered: None, stalled_since: None });
        Next::Go
    }

    /// Sends what the windows allow, once per read (a stream reset in the same read sends
    /// nothing), or at once on a stream whose window just opened when small frames are not
    /// guarded against.
    fn pump(&mut self) {
        let streams: Vec<u32> = self.streams.keys().copied().collect();
        for s in streams {
            self.pump_one(s);
        }
    }

    fn pump_one(&mut self, s: u32) {
        let Some(st) = self.streams.get_mut(&s) else { return };
        let mut frames_out = Vec::new();
        let mut records = 0usize;
        while st.pending > 0 && st.window > 0 && self.conn_window > 0 {
            let n = (st.pending as i64).min(st.window).min(self.conn_window).min(16_384) as usize;
            let chunk = match &mut st.buffered {
                Some(b) => b.drain(..n.min(b.len())).collect(),
                None => vec![b'x'; n],
            };
            st.pending -= n;
            st.window -= n as i64;
            self.conn_window -= n as i64;
            let mut d = frames::data(s, chunk);
            if st.pending == 0 {
                d = d.end_stream();
            }
            frames_out.push(d.build());
            if n < 1024 && !self.m.small_window_updates {
                records += 1;
            }
        }
        if st.pending > 0 && st.window <= 0 {
            st.stalled_since = st.stalled_since.or(Some(Instant::now()));
        } else {
            st.stalled_since = None;
        }
        let done = st.pending == 0 && st.remote_closed;
        for f in frames_out {
            self.send(f);
        }
        for _ in 0..records {
            // Bookkeeping per frame sent, kept for the session.
            self.keep(DRIBBLE_RECORD);
        }
        if done {
            self.streams.remove(&s);
        }
    }

    /// The flaw of held streams: one held by a zero window for [`PARK_AFTER`] gets its
    /// response moved into an output buffer of its own, [`HELD_BUFFER`] at least.
    fn park(&mut self) {
        for st in self.streams.values_mut() {
            if st.buffered.is_none() && st.stalled_since.is_some_and(|t| t.elapsed() >= PARK_AFTER) {
                st.buffered = Some(vec![b'x'; st.pending.max(HELD_BUFFER)]);
            }
        }
    }

    /// True when every stream has been held by a zero window for 300 ms and the server
    /// reaps the connection.
    fn reap(&mut self) -> bool {
        if !self.m.reap_stalled || self.streams.is_empty() {
            return false;
        }
        let limit = Duration::from_millis(300);
        if self.streams.values().all(|s| s.stalled_since.is_some_and(|t| t.elapsed() >= limit)) {
            let _ = self.calm();
            return true;
        }
        false
    }
}
