//! The connection driver: the sans-IO codec on a real socket.
//!
//! It sends what a case scripts, reads what the server sends and turns it into [`Event`]s,
//! and keeps the connection healthy on the case's behalf: it acknowledges the server's
//! SETTINGS and PINGs, decodes every response field block so HPACK state never drifts,
//! and replenishes flow-control windows unless a case says otherwise. Every read and write
//! has a deadline and every buffer a bound, whatever the server does.

use crate::checker::Checker;
use crate::checks::CheckId;
use crate::event::Event;
use crate::model::Direction;
use crate::transcript::Transcript;
use crate::transport::BoxIo;
use h2probe_codec::frame::{self, Frame, FrameDecoder, RawFrame, Settings, PREFACE};
use h2probe_codec::hpack::{self, DecoderLimits};
use h2probe_codec::{frames, FrameType, SettingId, StreamId};
use std::collections::{HashMap, VecDeque};
use std::io;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::time::{timeout_at, Instant};

/// Our advertised SETTINGS_MAX_FRAME_SIZE and the read bound that follows from it.
pub const OUR_MAX_FRAME_SIZE: u32 = 1 << 16;
/// Bound on one response field block (HEADERS + CONTINUATION), before decoding.
pub const MAX_FIELD_BLOCK: usize = 1 << 20;
/// The least time an automatic reply (SETTINGS ACK, PING ACK, WINDOW_UPDATE) gets to be written.
const REPLY_WRITE_TIME: Duration = Duration::from_millis(500);
/// Initial stream window we advertise: large, so responses flow without round trips.
pub const OUR_INITIAL_WINDOW: u32 = 1 << 24;

/// Anything a case can put on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outgoing {
    /// A typed frame.
    Frame(Frame),
    /// A raw frame (any header fields, lying length).
    Raw(RawFrame),
    /// Bytes verbatim, with a label for the transcript.
    Bytes(Vec<u8>, String),
}

impl Outgoing {
    /// The wire bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            Outgoing::Frame(f) => f.to_bytes(),
            Outgoing::Raw(r) => r.to_bytes(),
            Outgoing::Bytes(b, _) => b.clone(),
        }
    }
    /// The transcript line.
    pub fn describe(&self) -> String {
        match self {
            Outgoing::Frame(f) => f.to_string(),
            Outgoing::Raw(r) => r.to_string(),
            Outgoing::Bytes(b, label) => format!("{label} ({} bytes)", b.len()),
        }
    }
}

impl From<Frame> for Outgoing {
    fn from(f: Frame) -> Self {
        Outgoing::Frame(f)
    }
}
impl From<RawFrame> for Outgoing {
    fn from(r: RawFrame) -> Self {
        Outgoing::Raw(r)
    }
}
impl From<frames::RawBuilder> for Outgoing {
    fn from(r: frames::RawBuilder) -> Self {
        Outgoing::Raw(r.build())
    }
}
macro_rules! outgoing_from_builder {
    ($($b:ident),*) => {$(
        impl From<frames::$b> for Outgoing {
            fn from(b: frames::$b) -> Self { Outgoing::Frame(b.build()) }
        }
    )*};
}
outgoing_from_builder!(DataBuilder, HeadersBuilder, ContinuationBuilder, PriorityBuilder, SettingsBuilder, PingBuilder, GoAwayBuilder, PushPromiseBuilder);

/// How a write ended. A failed write is not an error of the tester: the server closed the
/// connection, and the next read reports it as an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// Every byte was handed to the transport.
    Done,
    /// The transport failed (reset, broken pipe) or was already closed.
    Failed,
    /// The deadline passed first: the server stopped reading.
    TimedOut,
}

/// Which side of the connection h2probe plays: the client toward a server under test, or
/// the server toward a client under test. Streams, flow control, HPACK, framing and the
/// automatic replies are the same for both; the handshake, who opens which stream ids, and
/// whether a field block is a request or a response differ.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Role {
    /// h2probe is the client: it sends the preface and requests.
    #[default]
    Client,
    /// h2probe is the server: it reads the client's preface and answers requests.
    Server,
}

/// How the driver behaves on a case's behalf.
#[derive(Debug, Clone)]
pub struct ConnOptions {
    /// Our first SETTINGS frame's parameters.
    pub settings: Vec<(SettingId, u32)>,
    /// Replenish connection and stream windows as DATA arrives.
    pub auto_window_update: bool,
    /// Transcript lines kept.
    pub transcript_limit: usize,
    /// The connection runs over TLS (for the passive checks that depend on it).
    pub tls: bool,
    /// The side h2probe plays.
    pub role: Role,
}

impl Default for ConnOptions {
    fn default() -> Self {
        ConnOptions {
            settings: vec![
                (SettingId::ENABLE_PUSH, 0),
                (SettingId::INITIAL_WINDOW_SIZE, OUR_INITIAL_WINDOW),
                (SettingId::MAX_FRAME_SIZE, OUR_MAX_FRAME_SIZE),
            ],
            auto_window_update: true,
            transcript_limit: crate::transcript::DEFAULT_LIMIT,
            tls: false,
            role: Role::Client,
        }
    }
}

/// What the server told us in its SETTINGS, in force after the handshake.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServerSettings {
    /// Every parameter received, last value wins.
    pub params: HashMap<SettingId, u32>,
    /// Whether the peer's first frame was a SETTINGS without ACK (§3.4).
    pub first_frame_was_settings: bool,
}

impl ServerSettings {
    /// The settings of a first SETTINGS frame with these parameters (last value wins).
    pub fn from_params(params: &[(SettingId, u32)]) -> ServerSettings {
        ServerSettings { params: params.iter().copied().collect(), first_frame_was_settings: true }
    }
}

impl ServerSettings {
    /// A parameter's value, or its RFC 9113 §6.5.2 initial value.
    pub fn get(&self, id: SettingId) -> Option<u32> {
        self.params.get(&id).copied().or(match id {
            SettingId::HEADER_TABLE_SIZE => Some(4096),
            SettingId::ENABLE_PUSH => Some(1),
            SettingId::INITIAL_WINDOW_SIZE => Some(65_535),
            SettingId::MAX_FRAME_SIZE => Some(16_384),
            _ => None,
        })
    }
    /// SETTINGS_MAX_CONCURRENT_STREAMS, if the server limits it.
    pub fn max_concurrent_streams(&self) -> Option<u32> {
        self.get(SettingId::MAX_CONCURRENT_STREAMS)
    }
    /// SETTINGS_MAX_FRAME_SIZE in force.
    pub fn max_frame_size(&self) -> u32 {
        self.get(SettingId::MAX_FRAME_SIZE).unwrap_or(16_384)
    }
}

/// Why the handshake did not complete.
#[derive(Debug, thiserror::Error)]
pub enum HandshakeError {
    /// The server answered the preface with an error or a close.
    #[error("the server rejected the connection preface: {0}")]
    Rejected(String),
    /// No SETTINGS (or no ACK of ours) before the deadline.
    #[error("no SETTINGS exchange within {0} ms")]
    Timeout(u64),
}

/// A field block being assembled from HEADERS/PUSH_PROMISE + CONTINUATION.
#[derive(Debug)]
struct PendingBlock {
    stream: StreamId,
    /// The promised stream, for a PUSH_PROMISE's block.
    promised: u32,
    end_stream: bool,
    push: bool,
    block: Vec<u8>,
}

/// How much of the client preface has been written: the magic, then the head of the first
/// frame after it, then that frame's payload.
#[derive(Debug, Default)]
struct Opening {
    written: usize,
    /// The magic and the next frame's head, as written (at most 33 octets kept).
    head: Vec<u8>,
}

impl Opening {
    const KEPT: usize = PREFACE.len() + frame::HEAD_LEN;

    /// The server side writes no client preface: nothing to hold replies for.
    fn server_or_default(role: Role) -> Opening {
        match role {
            Role::Client => Opening::default(),
            Role::Server => {
                let mut o = Opening::default();
                o.written(PREFACE);
                o.written(&frames::settings_ack().to_bytes());
                o
            }
        }
    }

    fn written(&mut self, bytes: &[u8]) {
        let room = Self::KEPT.saturating_sub(self.head.len());
        self.head.extend_from_slice(&bytes[..room.min(bytes.len())]);
        self.written += bytes.len();
    }

    fn complete(&self) -> bool {
        match frame::Head::parse(self.head.get(PREFACE.len()..).unwrap_or_default()) {
            Some(h) => self.written >= Self::KEPT + h.length as usize,
            None => false,
        }
    }
}

/// One HTTP/2 connection to the server under test.
pub struct Conn {
    io: BoxIo,
    rbuf: Vec<u8>,
    decoder: FrameDecoder,
    hpack: hpack::Decoder,
    pending: Option<PendingBlock>,
    queue: VecDeque<Event>,
    closed: bool,
    options: ConnOptions,
    /// What the server advertised.
    pub server: ServerSettings,
    /// The frames of this connection.
    pub transcript: Transcript,
    /// The passive checks of everything the server sends.
    pub checker: Checker,
    /// Transcript lines of what we send, our field blocks decoded (see `describe`).
    describer: crate::describe::Describer,
    settings_received: bool,
    our_settings_acked: bool,
    frames_received: usize,
    /// SETTINGS_HEADER_TABLE_SIZE of each SETTINGS we sent and the server has not yet
    /// acknowledged, in order: an ACK makes the oldest one binding on our HPACK decoder.
    unacked_table_sizes: VecDeque<Option<u32>>,
    /// The client preface as written so far: the 24-octet magic and the frame after it (our
    /// SETTINGS). Until both are out, automatic replies (the ACK of the server's SETTINGS,
    /// say) are held back: written earlier, they would land inside a preface that a case
    /// sends in pieces, or go before our own SETTINGS, and corrupt it.
    opening: Opening,
    held: Vec<Frame>,
    /// In the server role: the client's preface has not been read yet.
    preface_pending: bool,
}

impl Conn {
    /// Wraps an established transport. Nothing is sent yet.
    pub fn new(io: BoxIo, options: ConnOptions) -> Conn {
        let max = options.settings.iter().rev().find(|(id, _)| *id == SettingId::MAX_FRAME_SIZE).map_or(16_384, |&(_, v)| v);
        let role = options.role;
        Conn {
            io,
            rbuf: Vec::with_capacity(16 * 1024),
            decoder: FrameDecoder::new().with_max_frame_size(max.clamp(16_384, frame::MAX_MAX_FRAME_SIZE)),
            hpack: hpack::Decoder::with_limits(DecoderLimits::default()),
            pending: None,
            queue: VecDeque::new(),
            closed: false,
            transcript: Transcript::new(options.transcript_limit),
            checker: Checker::new(options.tls, options.role),
            describer: crate::describe::Describer::new(),
            options,
            server: ServerSettings::default(),
            settings_received: false,
            our_settings_acked: false,
            frames_received: 0,
            unacked_table_sizes: VecDeque::new(),
            opening: Opening::server_or_default(role),
            preface_pending: role == Role::Server,
            held: Vec::new(),
        }
    }

    /// Sends the preface and our SETTINGS, then waits until the server's SETTINGS arrived
    /// (and was acknowledged by us) and ours was acknowledged.
    pub async fn handshake(&mut self, deadline: Instant) -> Result<(), HandshakeError> {
        if self.options.role == Role::Server {
            return self.accept(deadline).await;
        }
        let mut bytes = PREFACE.to_vec();
        let settings = Frame::Settings(Settings { ack: false, params: self.options.settings.clone() });
        settings.encode(&mut bytes);
        self.track_settings(&settings);
        self.transcript.push(Direction::Sent, "connection preface");
        self.transcript.push(Direction::Sent, settings.to_string());
        if self.options.auto_window_update {
            let wu = frames::window_update(0, OUR_INITIAL_WINDOW);
            wu.encode(&mut bytes);
            self.transcript.push(Direction::Sent, wu.to_string());
        }
        self.write_script(&bytes, deadline).await;
        while !(self.settings_received && self.our_settings_acked) {
            match self.next_event(deadline).await {
                None => return Err(HandshakeError::Timeout(self.transcript.elapsed_ms())),
                Some(Event::Frame(Frame::GoAway(g))) => return Err(HandshakeError::Rejected(Frame::GoAway(g).to_string())),
                Some(ev @ (Event::Closed { .. } | Event::ServerViolation(_))) => {
                    return Err(HandshakeError::Rejected(ev.to_string()))
                }
                Some(_) => {}
            }
        }
        self.transcript.note("handshake complete");
        Ok(())
    }

    /// The server's half of the handshake: our SETTINGS at once (a server may send its
    /// preface without waiting), then the client's preface and SETTINGS, which the read path
    /// checks and acknowledges. Its ACK of ours is not waited for: a client may send its
    /// request first, and whatever arrives with the SETTINGS stays queued for the case.
    async fn accept(&mut self, deadline: Instant) -> Result<(), HandshakeError> {
        let settings = Frame::Settings(Settings { ack: false, params: self.options.settings.clone() });
        self.track_settings(&settings);
        self.transcript.push(Direction::Sent, settings.to_string());
        let mut bytes = settings.to_bytes();
        if self.options.auto_window_update {
            let wu = frames::window_update(0, OUR_INITIAL_WINDOW);
            wu.encode(&mut bytes);
            self.transcript.push(Direction::Sent, wu.to_string());
        }
        self.write_script(&bytes, deadline).await;
        let mut kept = Vec::new();
        while !self.settings_received {
            match self.next_event(deadline).await {
                None => return Err(HandshakeError::Timeout(self.transcript.elapsed_ms())),
                Some(Event::Frame(Frame::GoAway(g))) => return Err(HandshakeError::Rejected(Frame::GoAway(g).to_string())),
                Some(ev @ (Event::Closed { .. } | Event::ServerViolation(_))) => {
                    return Err(HandshakeError::Rejected(ev.to_string()))
                }
                Some(Event::Frame(Frame::Settings(_))) => {}
                Some(ev) => kept.push(ev),
            }
        }
        for ev in kept.into_iter().rev() {
            self.queue.push_front(ev);
        }
        self.transcript.note("handshake complete");
        Ok(())
    }

    /// Sends one thing. A failed write is not an error of the tester: the server closed the
    /// connection, and the next read reports it as an event.
    pub async fn send(&mut self, out: &Outgoing, deadline: Instant) {
        self.track_outgoing(out);
        self.transcript.push(Direction::Sent, self.describer.describe(out));
        self.write_script(&out.to_bytes(), deadline).await;
    }

    /// Sends several things in one write (so they arrive back to back).
    pub async fn send_all(&mut self, outs: &[Outgoing], deadline: Instant) {
        let mut bytes = Vec::new();
        for o in outs {
            self.track_outgoing(o);
            self.transcript.push(Direction::Sent, self.describer.describe(o));
            bytes.extend_from_slice(&o.to_bytes());
        }
        self.write_script(&bytes, deadline).await;
    }

    /// Writes what the script or handshake sends, then any automatic replies that were
    /// waiting for the client preface to be complete.
    async fn write_script(&mut self, bytes: &[u8], deadline: Instant) {
        self.write_all(bytes, deadline).await;
        self.opening.written(bytes);
        if self.opening.complete() && !self.held.is_empty() {
            for r in std::mem::take(&mut self.held) {
                self.write_reply(r, deadline).await;
            }
        }
    }

    async fn write_reply(&mut self, r: Frame, deadline: Instant) {
        self.transcript.push(Direction::Sent, format!("{r} (auto)"));
        let bytes = r.to_bytes();
        self.write_all(&bytes, deadline).await;
    }

    fn track_outgoing(&mut self, out: &Outgoing) {
        match out {
            Outgoing::Frame(f) => self.track_settings(f),
            Outgoing::Raw(r) if r.kind == FrameType::SETTINGS && r.flags & frame::flags::ACK == 0 => {
                self.unacked_table_sizes.push_back(None)
            }
            _ => {}
        }
    }

    fn track_settings(&mut self, f: &Frame) {
        if let Frame::Settings(s) = f {
            if !s.ack {
                self.unacked_table_sizes.push_back(s.get(SettingId::HEADER_TABLE_SIZE));
            }
        }
    }

    /// Whether our SETTINGS let the server push (SETTINGS_ENABLE_PUSH=1): a case that
    /// enables push lets the passive checks judge what the server pushes.
    fn push_enabled(&self) -> bool {
        self.options.settings.iter().rev().find(|(id, _)| *id == SettingId::ENABLE_PUSH).is_some_and(|&(_, v)| v == 1)
    }

    /// Whether the transport has ended.
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// Frames received so far.
    pub fn frames_received(&self) -> usize {
        self.frames_received
    }

    /// Sends many things in one write with a single transcript line, `label`: a flood
    /// would otherwise fill the transcript with its own frames and hide the server's.
    pub async fn send_quiet(&mut self, outs: &[Outgoing], label: impl Into<String>, deadline: Instant) -> Written {
        let mut bytes = Vec::new();
        for o in outs {
            self.track_outgoing(o);
            match o {
                Outgoing::Frame(f) => f.encode(&mut bytes),
                other => bytes.extend_from_slice(&other.to_bytes()),
            }
        }
        self.describer.unseen(outs);
        self.transcript.push(Direction::Sent, label);
        self.write_all(&bytes, deadline).await
    }

    async fn write_all(&mut self, bytes: &[u8], deadline: Instant) -> Written {
        if self.closed {
            return Written::Failed;
        }
        self.checker.at(self.transcript.elapsed_ms());
        self.checker.sent(bytes);
        match timeout_at(deadline, async {
            self.io.write_all(bytes).await?;
            self.io.flush().await
        })
        .await
        {
            Ok(Ok(())) => Written::Done,
            Ok(Err(e)) => {
                self.transcript.note(format!("write failed: {e}"));
                Written::Failed
            }
            Err(_) => {
                self.transcript.note("write timed out: the server is not reading");
                Written::TimedOut
            }
        }
    }

    /// The next event, or `None` when the deadline passes first.
    pub async fn next_event(&mut self, deadline: Instant) -> Option<Event> {
        loop {
            if let Some(ev) = self.queue.pop_front() {
                return Some(ev);
            }
            if self.closed {
                return None;
            }
            // In the server role the client's 24-octet preface comes first.
            if self.preface_pending && self.rbuf.len() >= PREFACE.len() {
                let preface: Vec<u8> = self.rbuf.drain(..PREFACE.len()).collect();
                self.preface_pending = false;
                self.checker.peer_preface(&preface);
                if preface[..] == PREFACE[..] {
                    self.transcript.push(Direction::Received, "connection preface");
                } else {
                    self.violation(format!("the client's connection preface is {} (§3.4)", frame::hex(&preface)));
                }
                continue;
            }
            match if self.preface_pending { Ok(None) } else { self.decoder.next_raw(&self.rbuf) } {
                Ok(Some((head, payload))) => {
                    let used = frame::HEAD_LEN + payload.len();
                    let decoded = Frame::decode(&head, payload);
                    self.checker.at(self.transcript.elapsed_ms());
                    self.checker.received(&head, payload, decoded.as_ref());
                    self.rbuf.drain(..used);
                    match decoded {
                        Ok(f) => self.on_frame(f, deadline).await,
                        Err(e) => self.violation(format!(
                            "{e} (the RFC makes this a {})",
                            describe_consequence(e.consequence())
                        )),
                    }
                    continue;
                }
                Ok(None) => {}
                Err(e) => {
                    let why = match http1_status_line(&self.rbuf) {
                        Some(line) => format!("it answered in HTTP/1.x, not HTTP/2: \"{line}\""),
                        None => {
                            self.checker.stream_broken(CheckId::FrameSize, &e.to_string());
                            format!("{e}: we advertised SETTINGS_MAX_FRAME_SIZE {}", self.decoder.max_frame_size())
                        }
                    };
                    self.violation(why);
                    continue;
                }
            }
            let want = self.decoder.needed(&self.rbuf).max(1);
            let start = self.rbuf.len();
            // Read at most what completes the current frame (plus slack for small frames):
            // the buffer never grows past one maximum-size frame.
            let chunk = want.max(16 * 1024).min(frame::HEAD_LEN + self.decoder.max_frame_size() as usize);
            self.rbuf.resize(start + chunk, 0);
            let res = timeout_at(deadline, self.io.read(&mut self.rbuf[start..])).await;
            match res {
                Err(_) => {
                    self.rbuf.truncate(start);
                    return None;
                }
                Ok(Ok(0)) => {
                    self.rbuf.truncate(start);
                    let partial = if start > 0 { format!(" ({start} bytes of an incomplete frame unread)") } else { String::new() };
                    self.close(Event::Closed { reset: false }, &partial);
                }
                Ok(Ok(n)) => self.rbuf.truncate(start + n),
                Ok(Err(e)) => {
                    self.rbuf.truncate(start);
                    let reset = matches!(
                        e.kind(),
                        io::ErrorKind::ConnectionReset | io::ErrorKind::BrokenPipe | io::ErrorKind::ConnectionAborted
                    );
                    // TLS without close_notify is an unclean EOF; both mean "closed".
                    let note = if reset { String::new() } else { format!(" ({e})") };
                    self.close(Event::Closed { reset: reset || e.kind() != io::ErrorKind::UnexpectedEof }, &note);
                }
            }
        }
    }

    fn close(&mut self, ev: Event, note: &str) {
        self.checker.at(self.transcript.elapsed_ms());
        self.checker.closed();
        self.transcript.push(Direction::Received, format!("{ev}{note}"));
        self.closed = true;
        self.queue.push_back(ev);
    }

    fn violation(&mut self, why: String) {
        self.transcript.push(Direction::Received, format!("invalid: {why}"));
        // The stream cannot be parsed further.
        self.closed = true;
        self.queue.push_back(Event::ServerViolation(why));
    }

    async fn on_frame(&mut self, f: Frame, deadline: Instant) {
        self.frames_received += 1;
        self.transcript.push(Direction::Received, f.to_string());
        // A field block must be continued by CONTINUATION on the same stream (§6.10).
        if let Some(p) = &self.pending {
            match &f {
                Frame::Continuation(c) if c.stream_id == p.stream => {}
                other => {
                    let why = format!("{} while the field block on stream {} was unfinished (§6.10)", other.kind(), p.stream);
                    self.checker.stream_broken(CheckId::ContiguousBlock, &why);
                    return self.violation(why);
                }
            }
        }
        let mut reply: Vec<Frame> = Vec::new();
        match &f {
            Frame::Settings(s) if !s.ack => {
                if self.frames_received == 1 {
                    self.server.first_frame_was_settings = true;
                }
                for &(id, v) in &s.params {
                    self.server.params.insert(id, v);
                }
                self.settings_received = true;
                reply.push(frames::settings_ack());
            }
            Frame::Settings(_) => {
                self.our_settings_acked = true;
                // RFC 7541 §4.2: once the server acknowledges a smaller table, its next field
                // block must start with a size update; the decoder enforces that.
                if let Some(Some(size)) = self.unacked_table_sizes.pop_front() {
                    self.hpack.set_max_table_size(size as usize);
                }
            }
            Frame::Ping(p) if !p.ack => reply.push(frames::ping(p.payload).ack().build()),
            Frame::Data(d) if self.options.auto_window_update && d.flow_len() > 0 => {
                let n = d.flow_len() as u32;
                reply.push(frames::window_update(0, n));
                if !d.end_stream {
                    reply.push(frames::window_update(d.stream_id.0, n));
                }
            }
            Frame::Headers(h) => {
                self.pending = Some(PendingBlock { stream: h.stream_id, promised: 0, end_stream: h.end_stream, push: false, block: h.block.clone() })
            }
            Frame::PushPromise(p) => {
                self.pending = Some(PendingBlock {
                    stream: p.stream_id,
                    promised: p.promised_id.0,
                    end_stream: false,
                    push: true,
                    block: p.block.clone(),
                })
            }
            Frame::Continuation(c) => {
                let why = match &mut self.pending {
                    Some(p) if p.block.len() + c.block.len() > MAX_FIELD_BLOCK => {
                        Some(format!("field block on stream {} exceeds {MAX_FIELD_BLOCK} octets", p.stream))
                    }
                    Some(p) => {
                        p.block.extend_from_slice(&c.block);
                        None
                    }
                    None => {
                        let why = format!("CONTINUATION on stream {} without a preceding HEADERS (§6.10)", c.stream_id);
                        self.checker.stream_broken(CheckId::ContiguousBlock, &why);
                        Some(why)
                    }
                };
                if let Some(why) = why {
                    return self.violation(why);
                }
            }
            _ => {}
        }
        let block_done = match &f {
            Frame::Headers(h) => h.end_headers,
            Frame::PushPromise(p) => p.end_headers,
            Frame::Continuation(c) => c.end_headers,
            _ => false,
        };
        let kind = f.kind();
        self.queue.push_back(Event::Frame(f));
        if block_done {
            if let Some(p) = self.pending.take() {
                self.finish_block(p);
            }
        }
        if kind == FrameType::PUSH_PROMISE && !self.closed && self.options.role == Role::Server {
            self.violation("PUSH_PROMISE from the client (§8.4: a client cannot push)".into());
        } else if kind == FrameType::PUSH_PROMISE && !self.closed && !self.push_enabled() {
            self.violation("PUSH_PROMISE although we sent SETTINGS_ENABLE_PUSH=0 (§8.4)".into());
        }
        // A reply cut off by the read deadline would leave half a frame on the wire, so it
        // gets a moment of its own even when the caller only polls for ready events.
        let reply_deadline = deadline.max(Instant::now() + REPLY_WRITE_TIME);
        for r in reply {
            if !self.opening.complete() {
                self.held.push(r);
            } else {
                self.write_reply(r, reply_deadline).await;
            }
        }
    }

    fn finish_block(&mut self, p: PendingBlock) {
        let decoded = self.hpack.decode(&p.block);
        if p.push {
            self.checker.push_block(p.promised, decoded.as_deref());
        } else {
            self.checker.block(p.stream.0, p.end_stream, decoded.as_deref());
        }
        match decoded {
            Ok(fields) => {
                if p.push {
                    return;
                }
                let status = fields
                    .iter()
                    .find(|f| f.name == b":status")
                    .and_then(|f| std::str::from_utf8(&f.value).ok())
                    .and_then(|s| s.parse::<u16>().ok());
                let ev = match self.options.role {
                    Role::Client => Event::Response { stream: p.stream, status, end_stream: p.end_stream, fields },
                    Role::Server => Event::Request { stream: p.stream, end_stream: p.end_stream, fields },
                };
                self.transcript.push(Direction::Received, format!("  ↳ {ev}"));
                self.queue.push_back(ev);
            }
            Err(e) => self.violation(format!("field block on stream {} does not decode: {e} (COMPRESSION_ERROR)", p.stream)),
        }
    }

    /// Reads and discards events until `deadline`, or until the connection closes; used
    /// between steps that need the server to settle.
    pub async fn drain_until(&mut self, deadline: Instant) -> Vec<Event> {
        let mut evs = Vec::new();
        while let Some(ev) = self.next_event(deadline).await {
            evs.push(ev);
        }
        evs
    }

    /// The connection's transcript, and what the passive checks found on it.
    pub fn finish(self) -> (Vec<crate::model::TranscriptLine>, Vec<crate::model::Finding>, std::collections::BTreeMap<String, u64>) {
        let (findings, exercised) = self.checker.finish();
        let role = self.options.role;
        let checked = exercised.into_iter().filter_map(|(c, n)| Some((c.def().id(role)?.to_string(), n))).collect();
        (self.transcript.finish(), findings, checked)
    }

    /// A deadline `d` from now.
    pub fn deadline_in(d: Duration) -> Instant {
        Instant::now() + d
    }
}

fn describe_consequence(c: frame::Consequence) -> String {
    match c {
        frame::Consequence::Connection(code) => format!("connection error {code}"),
        frame::Consequence::Stream(s, code) => format!("stream error {code} on stream {s}"),
    }
}

/// The first line of an HTTP/1.x response at the start of `buf`, if that is what it holds:
/// a server that does not speak HTTP/2 on this port (or that took the preface for an
/// HTTP/1.1 request) answers that way, and its frame header would read as garbage.
fn http1_status_line(buf: &[u8]) -> Option<String> {
    if !buf.starts_with(b"HTTP/1.") {
        return None;
    }
    let line = buf.split(|&b| b == b'\r' || b == b'\n').next().unwrap_or(buf);
    Some(String::from_utf8_lossy(&line[..line.len().min(80)]).into_owned())
}
