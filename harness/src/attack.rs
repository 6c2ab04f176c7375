//! Attacks as they are really run, and the harm they do.
//!
//! An [`Attack`] is data: the octets of its `i`-th unit, how the connection is set up, and
//! whether we read. Nothing here waits for the server: units are written back to back in
//! large writes (Rapid Reset as in 2023, a PING flood from a client that never reads), and
//! what the server did is read afterwards or beside the writes, without slowing them. Each
//! attack runs at two sizes, N and 4N (the second only when the first neither reacted nor
//! harmed), each with the server's processes sampled ([`crate::process`]) and canaries
//! beside it ([`crate::canary`]); the figures go to the pure verdict in [`crate::harm`].
//!
//! Bounds: every run stops at its size, at `--max-frames` frames, at [`MAX_RUN_OCTETS`]
//! octets and at `--max-seconds` of sending; a write that stalls for the per-wait timeout
//! ends it (the server stopped reading); what is read is scanned as it comes and only
//! counted, [`MAX_DRAIN_OCTETS`] at most after the sending.

use crate::canary::{Canaries, Canary};
use crate::case::Ctx;
use crate::harm::{self, CanaryHarm, HarmReport, HarmRun, Latency, Point, ProcHarm};
use crate::model::Verdict;
use crate::process::{self, Sampler, Timed};
use crate::resilience::{count, printable, Reaction};
use crate::safety::FloodPermit;
use crate::transport::{BoxIo, Connector, Target};
use h2probe_codec::frame::{flags, Head, HEAD_LEN, PREFACE};
use h2probe_codec::hpack::Decoder;
use h2probe_codec::{frames, ErrorCode, FrameType, SettingId, StreamId};
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt, ReadHalf, WriteHalf};
use tokio::time::Instant;

/// Encodes unit `i` of an attack onto the buffer.
pub type Encode = Arc<dyn Fn(u64, &mut Vec<u8>) + Send + Sync>;

/// How the attack's connection starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handshake {
    /// Preface, our SETTINGS, and the ACK of the server's.
    Full,
    /// Preface and our SETTINGS; the server's SETTINGS are never acknowledged.
    NoAck,
    /// Nothing: the units carry the preface themselves (a slow preface).
    None,
}

/// Whether the attack reads what the server sends while it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadMode {
    /// Never while sending: the receive buffer is [`UNREAD_RECEIVE_BUFFER`] and left full,
    /// so the server's answers back up into the server (CVE-2019-9512/9514/9515/9517). Read
    /// afterwards, to see its reaction.
    Unread,
    /// Read and discard beside the writes, watching for a reaction.
    Drain,
}

/// How the units' octets are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pace {
    /// As fast as the socket takes them, [`BATCH_OCTETS`] per write.
    LineRate,
    /// `octets` per write with `gap` between writes (byte-at-a-time CONTINUATION, a slow
    /// preface).
    Chunked {
        /// Octets per write.
        octets: usize,
        /// Pause after each write.
        gap: Duration,
    },
}

/// What the server's answers before its reaction count, for K.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answers {
    /// PING ACKs.
    PingAcks,
    /// SETTINGS ACKs.
    SettingsAcks,
    /// RST_STREAM frames it sent.
    Resets,
    /// Streams, from the GOAWAY's last stream id.
    Streams,
    /// Nothing countable: K is the units written before the reaction was seen (at most).
    Written,
}

/// One attack class, as data.
#[derive(Clone)]
pub struct Attack {
    /// What one unit is: `HEADERS (GET) + RST_STREAM(CANCEL) on a new stream`.
    pub unit_desc: String,
    /// The noun for a count of units: `streams`, `PINGs`.
    pub noun: &'static str,
    /// N: units of the first run; the second sends 4N.
    pub size: u64,
    /// Frames per unit, for rates and `--max-frames`.
    pub frames_per_unit: u64,
    /// The units.
    pub encode: Encode,
    /// Our SETTINGS (beside the defaults: none).
    pub settings: Vec<(SettingId, u32)>,
    /// How the connection starts.
    pub handshake: Handshake,
    /// Octets sent once after the handshake, before the units (requests the attack rides
    /// on, an HPACK table entry).
    pub preamble: Vec<u8>,
    /// Whether we read while sending.
    pub read: ReadMode,
    /// How units are written.
    pub pace: Pace,
    /// Units per connection; more units open more connections, all at once.
    pub per_connection: u64,
    /// How long the connections stay open after their last unit: the harm an attack pins
    /// (held streams, a bomb behind a zero window) is measured then.
    pub hold: Duration,
    /// What K counts.
    pub answers: Answers,
    /// Octets the server decodes per unit, when that is the amplification (HPACK bombs).
    pub decoded_per_unit: Option<u64>,
    /// A 4xx or 5xx response counts as a reaction (a 431 to a bomb).
    pub watch_status: bool,
    /// At most this many units whose stream the server has not yet closed (RST_STREAM, or
    /// END_STREAM from it): an attack that makes the server reset streams stays within its
    /// SETTINGS_MAX_CONCURRENT_STREAMS as the server counts them, as a real one does
    /// (MadeYouReset), instead of tripping that limit. Reading beside the writes only.
    pub in_flight: Option<u64>,
}

impl fmt::Debug for Attack {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Attack").field("unit_desc", &self.unit_desc).field("size", &self.size).field("read", &self.read).finish_non_exhaustive()
    }
}

impl Attack {
    /// An attack on one connection at line rate, reading beside it, with a full handshake.
    pub fn new(unit_desc: impl Into<String>, noun: &'static str, size: u64, frames_per_unit: u64, encode: impl Fn(u64, &mut Vec<u8>) + Send + Sync + 'static) -> Attack {
        Attack {
            unit_desc: unit_desc.into(),
            noun,
            size,
            frames_per_unit,
            encode: Arc::new(encode),
            settings: Vec::new(),
            handshake: Handshake::Full,
            preamble: Vec::new(),
            read: ReadMode::Drain,
            pace: Pace::LineRate,
            per_connection: u64::MAX,
            hold: DEFAULT_HOLD,
            answers: Answers::Written,
            decoded_per_unit: None,
            watch_status: false,
            in_flight: None,
        }
    }
}

/// Receive buffer of a connection that does not read: a few frames' worth, so the server's
/// answers back up into its own memory (or stop it reading) instead of into ours.
pub const UNREAD_RECEIVE_BUFFER: u32 = 4096;
/// Octets per write at line rate: many frames per server read, as from a real attacker.
pub const BATCH_OCTETS: usize = 64 * 1024;
/// Octets an attack may write in one run, whatever its size.
pub const MAX_RUN_OCTETS: u64 = 256 << 20;
/// Octets read after the sending (the answers a server queued while we did not read).
pub const MAX_DRAIN_OCTETS: u64 = 64 << 20;
/// How long the connections stay open after the last unit, by default.
pub const DEFAULT_HOLD: Duration = Duration::from_millis(300);
/// Canaries before the attack: the baseline.
pub const BEFORE: Duration = Duration::from_millis(400);
/// Canaries after the attack's connections closed.
pub const AFTER: Duration = Duration::from_millis(400);
/// Reading after an unread attack: the answers the server queued, and its reaction.
pub const DRAIN_AFTER: Duration = Duration::from_millis(1000);
/// Connections of one run, at most.
pub const MAX_CONNECTIONS: u64 = 512;
/// A field block of a response larger than this is not decoded (its status is not needed
/// to count it).
const MAX_RESPONSE_BLOCK: usize = 64 * 1024;

/// A frame sequence encoded once, whose stream ids are rewritten per unit: units at line
/// rate cost a copy, not an encoder.
#[derive(Debug, Clone)]
pub struct Template {
    bytes: Vec<u8>,
    /// Offsets of the stream-id fields to rewrite (frames on a stream other than 0).
    ids: Vec<usize>,
}

impl Template {
    /// Encodes `frames` (typed or raw; their stream ids are replaced in [`Template::emit`]).
    pub fn new(frames: &[crate::conn::Outgoing]) -> Template {
        let mut bytes = Vec::new();
        for f in frames {
            bytes.extend(f.to_bytes());
        }
        let mut ids = Vec::new();
        let mut at = 0;
        while let Some(h) = Head::parse(&bytes[at..]) {
            if h.stream_id != StreamId(0) {
                ids.push(at + 5);
            }
            at += HEAD_LEN + h.length as usize;
            if at >= bytes.len() {
                break;
            }
        }
        Template { bytes, ids }
    }

    /// Appends the frames with every stream id set to `stream`.
    pub fn emit(&self, stream: u32, out: &mut Vec<u8>) {
        let at = out.len();
        out.extend_from_slice(&self.bytes);
        let id = (stream & 0x7fff_ffff).to_be_bytes();
        for &i in &self.ids {
            out[at + i..at + i + 4].copy_from_slice(&id);
        }
    }

    /// Octets per emit.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// True when it holds no frame.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

/// Client stream `first + 2i`, kept below 2^31 (a run past it would wrap; sizes are far below).
pub fn stream_of(first: u32, i: u64) -> u32 {
    (u64::from(first) + 2 * i).min(0x7fff_ffff) as u32
}

/// What the server sent on one connection, counted.
#[derive(Debug, Clone, Default)]
struct Seen {
    frames: u64,
    octets: u64,
    ping_acks: u64,
    settings_acks: u64,
    resets: u64,
    responses: u64,
    /// The first reaction, and the answers counted before it.
    reaction: Option<(Reaction, u64)>,
    /// The transport ended after the reaction.
    closed_after: bool,
    /// Its SETTINGS arrived.
    settings: bool,
    /// Streams it closed (RST_STREAM, or a frame with END_STREAM), shared with the writer.
    closed: Arc<AtomicU64>,
}

/// Reads frames incrementally, keeping only what the counts need (GOAWAY, RST_STREAM and
/// response field blocks), never a DATA payload.
struct Scanner {
    head: Vec<u8>,
    current: Option<(Head, usize)>,
    payload: Vec<u8>,
    keep: bool,
    block: Vec<u8>,
    decoder: Decoder,
    hpack_ok: bool,
    answers: Answers,
    watch_status: bool,
    seen: Seen,
}

impl Scanner {
    fn new(answers: Answers, watch_status: bool) -> Scanner {
        Scanner {
            head: Vec::with_capacity(HEAD_LEN),
            current: None,
            payload: Vec::new(),
            keep: false,
            block: Vec::new(),
            decoder: Decoder::new(),
            hpack_ok: true,
            answers,
            watch_status,
            seen: Seen::default(),
        }
    }

    fn feed(&mut self, mut data: &[u8]) {
        self.seen.octets += data.len() as u64;
        while !data.is_empty() {
            match self.current {
                None => {
                    let take = (HEAD_LEN - self.head.len()).min(data.len());
                    self.head.extend_from_slice(&data[..take]);
                    data = &data[take..];
                    if let Some(h) = Head::parse(&self.head) {
                        self.head.clear();
                        self.keep = matches!(h.kind, FrameType::GOAWAY | FrameType::RST_STREAM | FrameType::SETTINGS)
                            || (self.hpack_ok && matches!(h.kind, FrameType::HEADERS | FrameType::CONTINUATION));
                        self.payload.clear();
                        self.current = Some((h, h.length as usize));
                        if h.length == 0 {
                            self.frame_done();
                        }
                    }
                }
                Some((h, left)) => {
                    let take = left.min(data.len());
                    if self.keep && self.payload.len() < MAX_RESPONSE_BLOCK {
                        self.payload.extend_from_slice(&data[..take]);
                    }
                    data = &data[take..];
                    self.current = Some((h, left - take));
                    if left == take {
                        self.frame_done();
                    }
                }
            }
        }
    }

    fn answers_so_far(&self) -> u64 {
        match self.answers {
            Answers::PingAcks => self.seen.ping_acks,
            Answers::SettingsAcks => self.seen.settings_acks,
            Answers::Resets => self.seen.resets,
            Answers::Streams | Answers::Written => 0,
        }
    }

    fn react(&mut self, r: Reaction) {
        if self.seen.reaction.is_none() {
            let k = self.answers_so_far();
            self.seen.reaction = Some((r, k));
        }
    }

    fn frame_done(&mut self) {
        let Some((h, _)) = self.current.take() else { return };
        self.seen.frames += 1;
        let p = std::mem::take(&mut self.payload);
        if matches!(h.kind, FrameType::DATA | FrameType::HEADERS) && h.has(flags::END_STREAM) {
            self.seen.closed.fetch_add(1, Ordering::Relaxed);
        }
        match h.kind {
            FrameType::PING if h.has(flags::ACK) => self.seen.ping_acks += 1,
            FrameType::SETTINGS if h.has(flags::ACK) => self.seen.settings_acks += 1,
            FrameType::SETTINGS => self.seen.settings = true,
            FrameType::RST_STREAM => {
                self.seen.resets += 1;
                self.seen.closed.fetch_add(1, Ordering::Relaxed);
                let code = p.get(..4).map(|b| ErrorCode(u32::from_be_bytes([b[0], b[1], b[2], b[3]])));
                if code == Some(ErrorCode::ENHANCE_YOUR_CALM) {
                    self.react(Reaction::Reset { stream: h.stream_id, code: ErrorCode::ENHANCE_YOUR_CALM });
                }
            }
            FrameType::GOAWAY if p.len() >= 8 => {
                let last = StreamId(u32::from_be_bytes([p[0], p[1], p[2], p[3]]) & 0x7fff_ffff);
                let code = ErrorCode(u32::from_be_bytes([p[4], p[5], p[6], p[7]]));
                let debug = printable(&p[8..]);
                self.react(Reaction::GoAway { code, last_stream: last, debug, closed: false });
            }
            FrameType::HEADERS | FrameType::CONTINUATION if self.hpack_ok => {
                let mut frag: &[u8] = &p;
                if h.kind == FrameType::HEADERS {
                    self.block.clear();
                    if h.has(flags::PADDED) {
                        let pad = usize::from(frag.first().copied().unwrap_or(0));
                        frag = frag.get(1..frag.len().saturating_sub(pad)).unwrap_or_default();
                    }
                    if h.has(flags::PRIORITY) {
                        frag = frag.get(5..).unwrap_or_default();
                    }
                }
                self.block.extend_from_slice(frag);
                if self.block.len() > MAX_RESPONSE_BLOCK {
                    // Too large to decode here, so the table can no longer be followed.
                    self.hpack_ok = false;
                } else if h.has(flags::END_HEADERS) {
                    let block = std::mem::take(&mut self.block);
                    let mut status = None;
                    let decoded = self.decoder.decode_borrowed(&block, |f| {
                        if f.name == b":status" {
                            status = std::str::from_utf8(f.value).ok().and_then(|s| s.parse::<u16>().ok());
                        }
                    });
                    if decoded.is_err() {
                        self.hpack_ok = false;
                    }
                    if let Some(s) = status {
                        self.seen.responses += 1;
                        if self.watch_status && s >= 400 {
                            self.react(Reaction::Refused { stream: h.stream_id, status: s });
                        }
                    }
                }
            }
            _ => {}
        }
    }

    fn ended(&mut self, reset: bool) {
        if self.seen.reaction.is_some() {
            self.seen.closed_after = true;
        } else {
            self.react(Reaction::Closed { reset });
        }
    }
}

/// What one connection of a run did.
#[derive(Debug, Default)]
struct ConnRun {
    units: u64,
    octets_sent: u64,
    send_us: u64,
    stalled: bool,
    /// Units written when the reaction was first seen.
    units_at_reaction: Option<u64>,
    seen: Seen,
    error: Option<String>,
}

/// What a run needs besides the attack.
#[derive(Clone)]
struct Env {
    permit: FloodPermit,
    connector: Connector,
    ctx: Ctx,
    timeout: Duration,
    max_frames: u64,
    max_send: Duration,
    /// The server's root processes, if it is local.
    roots: Option<Vec<u32>>,
}

/// Reads until the server's SETTINGS arrived (or the timeout), scanning what comes.
async fn await_settings(rd: &mut ReadHalf<BoxIo>, scan: &mut Scanner, timeout: Duration) -> Result<(), String> {
    let deadline = Instant::now() + timeout;
    let mut buf = vec![0u8; 16 * 1024];
    while !scan.seen.settings {
        match tokio::time::timeout_at(deadline, rd.read(&mut buf)).await {
            Err(_) => return Err(format!("no SETTINGS from the server within {} ms", timeout.as_millis())),
            Ok(Ok(0)) => return Err("the server closed the connection before its SETTINGS".into()),
            Ok(Ok(n)) => scan.feed(&buf[..n]),
            Ok(Err(e)) => return Err(format!("reading the server's SETTINGS: {e}")),
        }
    }
    Ok(())
}

/// Reads and scans until `until`, the transport's end, or `max` octets.
async fn drain(rd: &mut ReadHalf<BoxIo>, scan: &mut Scanner, until: Instant, max: u64) {
    let mut buf = vec![0u8; 64 * 1024];
    let start = scan.seen.octets;
    while scan.seen.octets - start < max {
        match tokio::time::timeout_at(until, rd.read(&mut buf)).await {
            Err(_) => return,
            Ok(Ok(0)) => return scan.ended(false),
            Ok(Ok(n)) => scan.feed(&buf[..n]),
            Ok(Err(_)) => return scan.ended(true),
        }
    }
}

/// The writer of one connection: units `first..first + units`, paced, until done, a
/// bound, a reaction seen by the reader, a stall or a failed write.
struct Writer<'a> {
    wr: WriteHalf<BoxIo>,
    env: &'a Env,
}

impl Writer<'_> {
    async fn put(&mut self, bytes: &[u8]) -> Result<(), bool> {
        match tokio::time::timeout(self.env.timeout, self.wr.write_all(bytes)).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(_)) => Err(false),
            Err(_) => Err(true),
        }
    }
}

async fn run_connection(attack: Arc<Attack>, env: Env, first: u64, units: u64, reacted: Arc<std::sync::atomic::AtomicBool>) -> ConnRun {
    let mut out = ConnRun::default();
    let connected = match attack.read {
        ReadMode::Unread => env.permit.connect_small_receive(&env.connector, env.timeout, UNREAD_RECEIVE_BUFFER).await,
        ReadMode::Drain => env.permit.connect(&env.connector, env.timeout).await,
    };
    let io = match connected {
        Ok(io) => io,
        Err(e) => {
            out.error = Some(e.to_string());
            return out;
        }
    };
    let (mut rd, wr) = tokio::io::split(io);
    let mut scan = Scanner::new(attack.answers, attack.watch_status);
    let closed = scan.seen.closed.clone();
    let mut w = Writer { wr, env: &env };
    if attack.handshake != Handshake::None {
        let mut start = PREFACE.to_vec();
        let mut s = frames::settings();
        for &(id, v) in &attack.settings {
            s = s.set(id, v);
        }
        s.build().encode(&mut start);
        if w.put(&start).await.is_err() {
            out.error = Some("the server did not take our preface".into());
            return out;
        }
        if let Err(e) = await_settings(&mut rd, &mut scan, env.timeout).await {
            out.error = Some(e);
            return out;
        }
        let mut rest = Vec::new();
        if attack.handshake == Handshake::Full {
            frames::settings_ack().encode(&mut rest);
        }
        rest.extend_from_slice(&attack.preamble);
        if w.put(&rest).await.is_err() {
            out.error = Some("the server did not take our handshake".into());
            return out;
        }
    }
    let started = Instant::now();
    let end_by = started + env.max_send;
    let max_units = units.min(env.max_frames / attack.frames_per_unit.max(1)).max(1);
    let writer = async {
        let mut buf: Vec<u8> = Vec::with_capacity(BATCH_OCTETS * 2);
        let mut i = 0u64;
        let (chunk, gap) = match attack.pace {
            Pace::LineRate => (BATCH_OCTETS, Duration::ZERO),
            Pace::Chunked { octets, gap } => (octets.max(1), gap),
        };
        'units: while i < max_units {
            if reacted.load(Ordering::Relaxed) || Instant::now() >= end_by || out.octets_sent >= MAX_RUN_OCTETS {
                break;
            }
            buf.clear();
            let mut room = u64::MAX;
            if let Some(window) = attack.in_flight {
                // Wait (bounded) until the server has closed enough of our streams.
                let stall_by = Instant::now() + env.timeout;
                loop {
                    room = window.saturating_sub(i.saturating_sub(closed.load(Ordering::Relaxed)));
                    if room > 0 || reacted.load(Ordering::Relaxed) {
                        break;
                    }
                    if Instant::now() >= stall_by {
                        out.stalled = true;
                        break 'units;
                    }
                    tokio::time::sleep(Duration::from_micros(200)).await;
                }
            }
            while i < max_units && buf.len() < chunk && room > 0 {
                (attack.encode)(first + i, &mut buf);
                i += 1;
                room -= 1;
            }
            for piece in buf.chunks(chunk) {
                match w.put(piece).await {
                    Ok(()) => out.octets_sent += piece.len() as u64,
                    Err(stalled) => {
                        out.stalled = stalled;
                        out.units = i;
                        break 'units;
                    }
                }
                if !gap.is_zero() {
                    tokio::time::sleep(gap).await;
                    if reacted.load(Ordering::Relaxed) || Instant::now() >= end_by {
                        break 'units;
                    }
                }
            }
            out.units = i;
        }
        out.send_us = started.elapsed().as_micros() as u64;
        // Hold the connection (and whatever it pinned) open, unless the server already ended it.
        let hold_until = Instant::now() + attack.hold;
        while Instant::now() < hold_until && !reacted.load(Ordering::Relaxed) {
            tokio::time::sleep(Duration::from_millis(10).min(attack.hold)).await;
        }
    };
    match attack.read {
        ReadMode::Drain => {
            let stop = Arc::new(tokio::sync::Notify::new());
            let stopper = stop.clone();
            let reader = async {
                let mut buf = vec![0u8; 64 * 1024];
                loop {
                    tokio::select! {
                        r = rd.read(&mut buf) => match r {
                            Ok(0) => { scan.ended(false); break }
                            Ok(n) => scan.feed(&buf[..n]),
                            Err(_) => { scan.ended(true); break }
                        },
                        _ = stop.notified() => break,
                    }
                    if scan.seen.reaction.is_some() {
                        // The writer stops before its next write.
                        reacted.store(true, Ordering::Relaxed);
                    }
                }
            };
            let writer = async {
                writer.await;
                stopper.notify_one();
            };
            tokio::join!(writer, reader);
        }
        ReadMode::Unread => writer.await,
    }
    // The units written when a reaction came: those written by the time the reader saw it
    // (an upper bound on what the server had read).
    if scan.seen.reaction.is_some() {
        out.units_at_reaction = Some(out.units);
    }
    // What the server queued or sent, and a reaction we have not seen yet.
    let until = Instant::now() + if attack.read == ReadMode::Unread { DRAIN_AFTER } else { Duration::from_millis(200) };
    drain(&mut rd, &mut scan, until, MAX_DRAIN_OCTETS).await;
    if out.units_at_reaction.is_none() && scan.seen.reaction.is_some() {
        out.units_at_reaction = Some(out.units);
    }
    out.seen = scan.seen;
    out
}

/// Runs the attack's connections at one size, with the sampler and the canaries beside.
async fn run_size(attack: &Arc<Attack>, env: &Env, units: u64) -> Result<HarmRun, String> {
    let origin = std::time::Instant::now();
    let sampler = env.roots.clone().map(|r| Sampler::start(r, origin));
    let canaries = Canaries::start(env.permit.clone(), env.connector.clone(), env.ctx.clone(), env.timeout.min(Duration::from_secs(1)), origin);
    tokio::time::sleep(BEFORE).await;
    let peaks_reset = env.roots.as_deref().is_some_and(process::reset_peaks);
    let t0 = origin.elapsed().as_millis() as u32;
    let per = attack.per_connection.max(1);
    let conns = units.div_ceil(per).clamp(1, MAX_CONNECTIONS);
    let reacted = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut set = tokio::task::JoinSet::new();
    for c in 0..conns {
        let first = c * per;
        let n = per.min(units - first.min(units));
        set.spawn(run_connection(attack.clone(), env.clone(), first, n, reacted.clone()));
    }
    let mut runs = Vec::new();
    while let Some(r) = set.join_next().await {
        if let Ok(r) = r {
            runs.push(r);
        }
    }
    let t1 = origin.elapsed().as_millis() as u32;
    // The peak of the whole attack, read before the after phase's canaries add their own.
    let peak = env.roots.as_deref().filter(|_| peaks_reset).map(|r| process::sample_tree(r).hwm_bytes);
    tokio::time::sleep(AFTER).await;
    let canaries = tokio::task::spawn_blocking(move || canaries.stop()).await.unwrap_or_default();
    let samples = match sampler {
        Some(s) => tokio::task::spawn_blocking(move || s.stop()).await.unwrap_or_default(),
        None => Vec::new(),
    };
    if runs.iter().all(|r| r.error.is_some()) {
        return Err(runs.iter().find_map(|r| r.error.clone()).unwrap_or_else(|| "no attack connection ran".into()));
    }
    Ok(summarise(attack, units, &runs, &canaries, &Measured { samples: &samples, peak }, (t0, t1), env.roots.as_deref()))
}

/// The sampler's readings of one run, and the kernel's RSS high-water mark over the attack
/// when it could be reset at its start (the peak the samples may have missed).
struct Measured<'a> {
    samples: &'a [Timed],
    peak: Option<u64>,
}

fn summarise(attack: &Attack, size: u64, runs: &[ConnRun], canaries: &[Canary], measured: &Measured, (t0, t1): (u32, u32), roots: Option<&[u32]>) -> HarmRun {
    let samples = measured.samples;
    let units: u64 = runs.iter().map(|r| r.units).sum();
    let octets_sent: u64 = runs.iter().map(|r| r.octets_sent).sum();
    let octets_received: u64 = runs.iter().map(|r| r.seen.octets).sum();
    let send_us = runs.iter().map(|r| r.send_us).max().unwrap_or(0);
    let first = runs.iter().filter(|r| r.seen.reaction.is_some()).min_by_key(|r| r.units_at_reaction);
    let (reaction, k, k_of) = match first {
        None => (None, None, None),
        Some(r) => {
            let Some((reaction, answers)) = &r.seen.reaction else { unreachable!("filtered on a reaction") };
            let mut words = reaction.to_string();
            if r.seen.closed_after && !words.ends_with("close") {
                words.push_str(" + close");
            }
            let (k, of) = match (attack.answers, reaction) {
                (Answers::Streams | Answers::Resets, Reaction::GoAway { last_stream, .. }) if attack.read == ReadMode::Drain || attack.answers == Answers::Streams => {
                    (Some(u64::from(last_stream.0).div_ceil(2)), Some("streams, from its GOAWAY's last stream id".to_string()))
                }
                (Answers::PingAcks | Answers::SettingsAcks | Answers::Resets, _) => {
                    let what = match attack.answers {
                        Answers::PingAcks => "PING ACKs",
                        Answers::SettingsAcks => "SETTINGS ACKs",
                        _ => "RST_STREAMs",
                    };
                    let written = r.units_at_reaction.unwrap_or(r.units);
                    match attack.read {
                        // Read beside the writes: its answers before the reaction count what it took.
                        ReadMode::Drain if *answers > 0 => (Some(*answers), Some(format!("{what} it sent before it; {} {} written by then", count(written), attack.noun))),
                        // Not read: its answers stayed in its buffers, so only the units written bound K.
                        _ => (Some(written), Some(format!("at most: {} written when it was seen; {} {what} reached us", attack.noun, count(*answers)))),
                    }
                }
                _ => (r.units_at_reaction, Some(format!("at most: {} written when it was seen", attack.noun))),
            };
            (Some(words), k, of)
        }
    };
    let phase = |from: u32, to: u32| Latency::of(canaries.iter().filter(|c| c.t_ms >= from && c.t_ms < to).map(|c| c.us));
    let canary = CanaryHarm { before: phase(0, t0), during: phase(t0, t1), after: phase(t1, u32::MAX) };
    let proc = roots.map(|roots| {
        let before: Vec<&Timed> = samples.iter().filter(|s| s.t_ms < t0).collect();
        let during: Vec<&Timed> = samples.iter().filter(|s| s.t_ms >= t0 && s.t_ms <= t1 + process::SAMPLE_EVERY.as_millis() as u32).collect();
        let last = samples.last();
        let b = before.last().copied().or(samples.first());
        let cpu_end = during.last().map_or(0, |s| s.sample.cpu_ms);
        ProcHarm {
            found: format!("pids {}", roots.iter().map(u32::to_string).collect::<Vec<_>>().join(",")),
            cpu_ms: cpu_end.saturating_sub(b.map_or(cpu_end, |s| s.sample.cpu_ms)),
            rss_before_kib: b.map_or(0, |s| s.sample.rss_bytes / 1024),
            rss_peak_kib: during
                .iter()
                .map(|s| s.sample.rss_bytes / 1024)
                .chain(measured.peak.map(|p| p / 1024))
                .max()
                .unwrap_or(0)
                .max(b.map_or(0, |s| s.sample.rss_bytes / 1024)),
            rss_after_kib: last.map_or(0, |s| s.sample.rss_bytes / 1024),
            alive_after: last.is_some_and(|s| s.sample.processes > 0),
        }
    });
    let (amplification, amplification_of) = match attack.decoded_per_unit {
        Some(d) if octets_sent > 0 => (Some((d * units) as f64 / octets_sent as f64), Some("octets the server must decode per octet sent".to_string())),
        _ if octets_sent > 0 && octets_received > 0 => {
            (Some(octets_received as f64 / octets_sent as f64), Some("octets the server sent or queued per octet sent".to_string()))
        }
        _ => (None, None),
    };
    HarmRun {
        size,
        units,
        connections: runs.len() as u64,
        frames: units * attack.frames_per_unit,
        octets_sent,
        octets_received,
        send_us,
        reaction,
        k,
        k_of,
        stalled: runs.iter().any(|r| r.stalled),
        proc,
        canary,
        amplification,
        amplification_of,
        rss: harm::thin(samples.iter().map(|s| Point { t_ms: s.t_ms, v: Some(s.sample.rss_bytes / 1024) }).collect()),
        canary_points: harm::thin(canaries.iter().map(|c| Point { t_ms: c.t_ms, v: c.us }).collect()),
        attack_ms: (t0, t1),
    }
}

/// The longest an attack case takes at the per-wait `timeout` and the run's `limits`: two
/// runs (N, 4N), each its baseline, the sending (`max_duration`, plus a stalled write or an
/// in-flight wait of one `timeout`), its connection and handshake (two), the hold, the drain
/// and the after phase, and the canary in flight when it stops (one); plus the case's own
/// connection (two).
pub fn deadline(timeout: Duration, limits: &crate::resilience::FloodLimits, attack: &Attack) -> Duration {
    let run = BEFORE + limits.max_duration + timeout * 4 + attack.hold + DRAIN_AFTER + AFTER;
    run * 2 + timeout * 2
}

/// The server's processes for a local target: `--server-pid`, or the owners of the
/// listening socket; `Err` says why there are none.
pub fn server_processes(target: &Target, server_pid: Option<u32>) -> Result<Vec<u32>, String> {
    if let Some(pid) = server_pid {
        return if std::path::Path::new(&format!("/proc/{pid}")).exists() { Ok(vec![pid]) } else { Err(format!("--server-pid {pid}: no such process")) };
    }
    let local = target.host.parse::<std::net::IpAddr>().map_or(target.host == "localhost", |ip| ip.is_loopback());
    if !local {
        return Err(format!("{} is not on this machine (give --server-pid if it is)", target.host));
    }
    let pids = process::listeners(target.port);
    if pids.contains(&std::process::id()) {
        // `h2probe demo` and in-process fixtures: the attack's own connections, buffers and
        // canaries would be counted as the server's harm.
        return Err("the server runs inside h2probe's own process: its CPU and memory cannot be told apart from the attack's".to_string());
    }
    if pids.is_empty() {
        Err(format!("no process found listening on port {} (not permitted to read /proc, or in another namespace)", target.port))
    } else {
        Ok(pids)
    }
}

/// Everything an attack case needs from the runner.
pub struct Setting<'a> {
    /// The gate.
    pub permit: &'a FloodPermit,
    /// Connections to the target.
    pub connector: &'a Connector,
    /// The target.
    pub target: &'a Target,
    /// `--server-pid`.
    pub server_pid: Option<u32>,
    /// Per-wait timeout.
    pub timeout: Duration,
    /// Bounds.
    pub limits: crate::resilience::FloodLimits,
    /// `--strict`: `absorbed` fails.
    pub strict: bool,
}

/// Runs an attack at N, and at 4N when N neither reacted nor harmed; judges the harm.
pub async fn execute(attack: Attack, ctx: &Ctx, s: &Setting<'_>) -> (Verdict, HarmReport) {
    let roots = server_processes(s.target, s.server_pid);
    let env = Env {
        permit: s.permit.clone(),
        connector: s.connector.clone(),
        ctx: ctx.clone(),
        timeout: s.timeout,
        max_frames: s.limits.max_frames,
        max_send: s.limits.max_duration,
        roots: roots.clone().ok(),
    };
    let mut attack = attack;
    if let Some(n) = s.limits.attack_size {
        attack.size = n.max(1);
    }
    let attack = Arc::new(attack);
    let mut runs = Vec::new();
    let unit = format!(
        "{} × N = {} then 4N, at most {} frames, {} octets and {} s of sending per run",
        attack.unit_desc,
        count(attack.size),
        count(s.limits.max_frames),
        count(MAX_RUN_OCTETS),
        s.limits.max_duration.as_secs_f64()
    );
    let report = |class, why: String, runs: Vec<HarmRun>| HarmReport {
        class,
        why,
        unit: unit.clone(),
        noun: attack.noun.to_string(),
        runs,
        local: roots.clone().map(|_| ()),
    };
    for size in [attack.size, attack.size * 4] {
        match run_size(&attack, &env, size).await {
            Ok(r) => runs.push(r),
            Err(e) => {
                let problem = format!("the attack could not run: {e}");
                let r = report(harm::HarmClass::Absorbed, problem.clone(), runs);
                return (Verdict::Error { problem }, r);
            }
        }
        let (class, _) = harm::classify(&runs, attack.noun);
        if class != harm::HarmClass::Absorbed || runs.last().is_some_and(|r| r.reaction.is_some()) {
            break;
        }
    }
    let (class, why) = harm::classify(&runs, attack.noun);
    let rate = runs.last().map_or(String::new(), |r| format!("; sent at {} {}/s ({} frames/s)", count(r.unit_rate() as u64), attack.noun, count(r.frame_rate() as u64)));
    let local = match &roots {
        Ok(_) => String::new(),
        Err(why) => format!(" [no process figures: {why}; judged on the canary alone]"),
    };
    let observed = format!("{class}: {why}{rate}{local}");
    let rule = crate::rules::LIMITS.into();
    let verdict = match class {
        harm::HarmClass::Mitigated => Verdict::Pass { observed, rule },
        harm::HarmClass::Vulnerable => Verdict::Fail { expected: harm::EXPECTED.into(), actual: observed, rule },
        harm::HarmClass::Absorbed if s.strict => Verdict::Fail { expected: crate::resilience::STRICT_EXPECTED.into(), actual: observed, rule },
        harm::HarmClass::Absorbed => Verdict::Lenient { observed, strict_expected: crate::resilience::STRICT_EXPECTED.into(), rule },
    };
    (verdict, report(class, why, runs))
}
