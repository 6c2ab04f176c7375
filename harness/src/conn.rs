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
/// Events waiting to be handed out, at most: the driver decodes one frame only when none is
/// waiting, and a frame yields at most three (the frame, the response its field block
/// completes, a violation) or a close one. Nothing else is kept of what the server sent:
/// callers judge or count each event as it comes (the runner feeds the judge during pauses
/// too), so a server that never stops sending grows no list.
pub const MAX_QUEUED_EVENTS: usize = 4;
/// Events kept in the server role while the handshake waits for the client's SETTINGS
/// (frames a client sent before it): handed to the case afterwards. A conforming client sends
/// none; past this many a client's frames are read and not kept.
pub const MAX_KEPT_BEFORE_SETTINGS: usize = 64;
/// Automatic replies held back until the client preface is complete (see
/// `Conn::opening`). A conforming server sends a SETTINGS frame and perhaps a PING
/// or two before it has our preface; past this many, a server flooding a case that sends
/// its preface in pieces gets no more replies, and the transcript says so.
pub const MAX_HELD_REPLIES: usize = 64;
/// Distinct SETTINGS parameters remembered from the server. RFC 9113 defines seven and a
/// server sends fewer than ten; a hostile one can name all 65 536 identifiers. Past this
/// many, values of identifiers not yet seen are not kept (the frames are still checked).
pub const MAX_SERVER_SETTINGS: usize = 256;

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

/// How much a connection reads from the server before it stops reading. A deadline bounds
/// time; this bounds the work a server can make one case do within it (every frame is
/// decoded, checked, judged and written down), and so the little state that grows with
/// frames in the judge (the streams it saw end).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadBudget {
    /// Frames decoded.
    pub frames: u64,
    /// Octets of those frames (headers and payloads).
    pub octets: u64,
}

impl ReadBudget {
    /// A conformance case's budget: 100 000 frames or 32 MiB. The largest case on the ten
    /// reference servers reads a few hundred frames and a few hundred KiB; 32 MiB is twice
    /// the stream window we advertise, so one response filling it still fits.
    pub const CASE: ReadBudget = ReadBudget { frames: 100_000, octets: 32 << 20 };
    /// No budget: for a flood's own connection, where the server answers every flood frame,
    /// what it sends is only counted, and `--max-frames`/`--max-seconds` bound the run.
    pub const UNLIMITED: ReadBudget = ReadBudget { frames: u64::MAX, octets: u64::MAX };
}

impl Default for ReadBudget {
    fn default() -> Self {
        ReadBudget::CASE
    }
}

/// The most a connection held at once over its life, in counts and octets: what the
/// hostile-server tests assert bounds on (the bounds are structural; this shows them).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Retained {
    /// Decoded events waiting to be handed out (at most [`MAX_QUEUED_EVENTS`]).
    pub queued_events: usize,
    /// Capacity of the read buffer, octets (at most one maximum-size frame plus 16 KiB).
    pub read_buffer: usize,
    /// A field block being assembled, octets (at most [`MAX_FIELD_BLOCK`]).
    pub field_block: usize,
    /// Automatic replies held back for the preface (at most [`MAX_HELD_REPLIES`]).
    pub held_replies: usize,
    /// SETTINGS parameters remembered (at most [`MAX_SERVER_SETTINGS`]).
    pub server_settings: usize,
    /// Transcript lines kept.
    pub transcript_lines: usize,
    /// Transcript kept, octets (text and `transcript::LINE_OVERHEAD` per line).
    pub transcript_octets: usize,
    /// Streams the passive checker tracks.
    pub checker_streams: usize,
    /// Our PING ACKs the passive checker remembers.
    pub checker_ping_acks: usize,
    /// Frames read from the server in all (not retained: the work done).
    pub frames_read: u64,
    /// Octets of those frames.
    pub octets_read: u64,
}

impl Retained {
    fn peak(&mut self, now: Retained) {
        self.queued_events = self.queued_events.max(now.queued_events);
        self.read_buffer = self.read_buffer.max(now.read_buffer);
        self.field_block = self.field_block.max(now.field_block);
        self.held_replies = self.held_replies.max(now.held_replies);
        self.server_settings = self.server_settings.max(now.server_settings);
        self.transcript_lines = self.transcript_lines.max(now.transcript_lines);
        self.transcript_octets = self.transcript_octets.max(now.transcript_octets);
        self.checker_streams = self.checker_streams.max(now.checker_streams);
        self.checker_ping_acks = self.checker_ping_acks.max(now.checker_ping_acks);
        self.frames_read = now.frames_read;
        self.octets_read = now.octets_read;
    }
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
    /// What the connection reads at most before it stops reading.
    pub read_budget: ReadBudget,
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
            read_budget: ReadBudget::CASE,
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

/// How much of our preface has been written: in the client role the magic, then the head of
/// the first frame after it, then that frame's payload; in the server role just the first
/// frame (our SETTINGS, or whatever a case sends first).
#[derive(Debug, Default)]
struct Opening {
    /// Octets before the first frame: the magic (client role) or none.
    magic: usize,
    written: usize,
    /// The magic and the next frame's head, as written (at most 33 octets kept).
    head: Vec<u8>,
}

impl Opening {
    fn for_role(role: Role) -> Opening {
        let magic = match role {
            Role::Client => PREFACE.len(),
            Role::Server => 0,
        };
        Opening { magic, ..Opening::default() }
    }

    fn written(&mut self, bytes: &[u8]) {
        let room = (self.magic + frame::HEAD_LEN).saturating_sub(self.head.len());
        self.head.extend_from_slice(&bytes[..room.min(bytes.len())]);
        self.written += bytes.len();
    }

    fn complete(&self) -> bool {
        match frame::Head::parse(self.head.get(self.magic..).unwrap_or_default()) {
            Some(h) => self.written >= self.magic + frame::HEAD_LEN + h.length as usize,
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
    /// SETTINGS frames we sent (without ACK), and SETTINGS ACKs handed out as events: their
    /// difference is how many ACKs still to come answer SETTINGS sent so far.
    settings_sent: usize,
    settings_acks_handed_out: usize,
    /// Our preface as written so far: the 24-octet magic (client role) and the frame after
    /// it (our SETTINGS). Until both are out, automatic replies (the ACK of the peer's
    /// SETTINGS, say) are held back: written earlier, they would land inside a preface that a
    /// case sends in pieces, or go before our own SETTINGS (or the frame a case sends in its
    /// place), and corrupt it.
    opening: Opening,
    held: Vec<Frame>,
    /// In the server role: the client's preface has not been read yet.
    preface_pending: bool,
    /// Replies not held because [`MAX_HELD_REPLIES`] were already waiting.
    held_dropped: u64,
    /// Octets of the frames decoded so far (for the read budget).
    octets_received: u64,
    /// Octets handed to the transport by writes that completed.
    octets_written: u64,
    /// The read budget ran out: nothing more is read.
    budget_spent: bool,
    /// A write timed out: the server stopped reading, and a frame may be half written, so
    /// nothing more is written (a later frame would land inside the cut one).
    write_stalled: bool,
    /// Writes skipped since the stall.
    writes_skipped: u64,
    /// No read or write waits past this instant, whatever deadline a caller gives.
    limit: Option<Instant>,
    peak: Retained,
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
            settings_sent: 0,
            settings_acks_handed_out: 0,
            opening: Opening::for_role(role),
            preface_pending: role == Role::Server,
            held: Vec::new(),
            held_dropped: 0,
            octets_received: 0,
            octets_written: 0,
            budget_spent: false,
            write_stalled: false,
            writes_skipped: 0,
            limit: None,
            peak: Retained::default(),
        }
    }

    /// Sets the instant past which nothing on this connection waits: the case's own
    /// deadline. Every read and write deadline is cut to it, automatic replies included.
    pub fn set_limit(&mut self, at: Instant) {
        self.limit = Some(at);
    }

    /// The connection's limit ([`Conn::set_limit`]), if set.
    pub fn limit(&self) -> Option<Instant> {
        self.limit
    }

    /// Whether the connection's limit ([`Conn::set_limit`]) has passed.
    pub fn limit_passed(&self) -> bool {
        self.limit.is_some_and(|l| Instant::now() >= l)
    }

    /// Whether the read budget ran out ([`ConnOptions::read_budget`]): reading stopped.
    pub fn budget_spent(&self) -> bool {
        self.budget_spent
    }

    /// Whether a write timed out because the server stopped reading: nothing more is written.
    pub fn write_stalled(&self) -> bool {
        self.write_stalled
    }

    /// Octets handed to the transport by writes that completed.
    pub fn octets_written(&self) -> u64 {
        self.octets_written
    }

    /// Octets of the frames read from the server.
    pub fn octets_received(&self) -> u64 {
        self.octets_received
    }

    /// The most this connection held at once so far (see [`Retained`]).
    pub fn retained(&mut self) -> Retained {
        self.note_peak();
        self.peak
    }

    fn note_peak(&mut self) {
        let (checker_streams, checker_ping_acks) = self.checker.retained();
        self.peak.peak(Retained {
            queued_events: self.queue.len(),
            read_buffer: self.rbuf.capacity(),
            field_block: self.pending.as_ref().map_or(0, |p| p.block.len()),
            held_replies: self.held.len(),
            server_settings: self.server.params.len(),
            transcript_lines: self.transcript.lines(),
            transcript_octets: self.transcript.octets(),
            checker_streams,
            checker_ping_acks,
            frames_read: self.frames_received as u64,
            octets_read: self.octets_received,
        });
    }

    /// `deadline`, cut to the connection's limit.
    fn bounded(&self, deadline: Instant) -> Instant {
        self.limit.map_or(deadline, |l| deadline.min(l))
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
                // Kept for the case, within a bound: a conforming client's first frame is its
                // SETTINGS (§3.4), so only a client that sends other frames first gets here.
                Some(ev) if kept.len() < MAX_KEPT_BEFORE_SETTINGS => kept.push(ev),
                Some(_) => {}
            }
        }
        for ev in kept.into_iter().rev() {
            self.queue.push_front(ev);
        }
        self.transcript.note("handshake complete");
        Ok(())
    }

    /// The connection began as an HTTP/1.1 upgrade (RFC 7540 §3.2): the client's
    /// `HTTP2-Settings` are in force (the 101 acknowledged them), and its request is stream 1,
    /// half-closed (remote), handed out first as if its HEADERS had come.
    pub fn upgraded(&mut self, u: &crate::upgrade::Upgraded) {
        self.transcript.push(Direction::Received, format!("HTTP/1.1 upgrade request, HTTP2-Settings {:?}", u.settings));
        for note in &u.notes {
            self.transcript.note(note.clone());
        }
        self.transcript.push(Direction::Sent, "HTTP/1.1 101 Switching Protocols (Upgrade: h2c)");
        for &(id, v) in &u.settings {
            self.server.params.insert(id, v);
        }
        self.checker.upgraded(&u.settings);
        let ev = u.request_event();
        self.transcript.push(Direction::Received, format!("  ↳ {ev} (the upgrade request)"));
        self.queue.push_back(ev);
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
                self.settings_sent += 1;
                self.unacked_table_sizes.push_back(None)
            }
            _ => {}
        }
    }

    fn track_settings(&mut self, f: &Frame) {
        if let Frame::Settings(s) = f {
            if !s.ack {
                self.settings_sent += 1;
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

    /// Sends several things as one octet string cut into separate writes at `cuts` (offsets
    /// into the concatenation, ascending; others are ignored), one transcript line each. The
    /// fuzzer's transport mutations split frames down to single octets; going through here
    /// keeps the SETTINGS bookkeeping ([`Conn::send`]'s) for what is sent in pieces.
    pub async fn send_split(&mut self, outs: &[Outgoing], cuts: &[usize], deadline: Instant) -> Written {
        let mut bytes = Vec::new();
        for o in outs {
            self.track_outgoing(o);
            self.transcript.push(Direction::Sent, o.describe());
            bytes.extend_from_slice(&o.to_bytes());
        }
        let mut from = 0;
        let mut result = Written::Done;
        for &cut in cuts.iter().filter(|&&c| c > 0 && c < bytes.len()).chain(std::iter::once(&bytes.len())) {
            if cut <= from {
                continue;
            }
            result = self.write_all(&bytes[from..cut], deadline).await;
            from = cut;
            if result != Written::Done {
                break;
            }
        }
        result
    }

    async fn write_all(&mut self, bytes: &[u8], deadline: Instant) -> Written {
        if self.closed {
            return Written::Failed;
        }
        if self.write_stalled {
            self.writes_skipped += 1;
            if self.writes_skipped == 1 {
                self.transcript.note("not written, nor anything after it: an earlier write timed out");
            }
            return Written::TimedOut;
        }
        self.checker.at(self.transcript.elapsed_ms());
        self.checker.sent(bytes);
        let deadline = self.bounded(deadline);
        match timeout_at(deadline, async {
            self.io.write_all(bytes).await?;
            self.io.flush().await
        })
        .await
        {
            Ok(Ok(())) => {
                self.octets_written += bytes.len() as u64;
                Written::Done
            }
            Ok(Err(e)) => {
                self.transcript.note(format!("write failed: {e}"));
                Written::Failed
            }
            Err(_) => {
                self.write_stalled = true;
                self.transcript.note(format!(
                    "write timed out: the server is not reading ({} octets written before this write of {})",
                    self.octets_written,
                    bytes.len()
                ));
                Written::TimedOut
            }
        }
    }

    /// The next event, or `None` when the deadline passes first (or the connection's limit,
    /// or its read budget). The deadline is checked before every frame, not only when the
    /// socket has nothing to read: a server that never stops sending cannot keep a wait
    /// going past its deadline, and nothing it sent after the deadline is handed out.
    pub async fn next_event(&mut self, deadline: Instant) -> Option<Event> {
        self.read_event(Some(deadline)).await
    }

    /// An event that is ready now, without waiting: a frame already read, or one a single
    /// read attempt completes. For polling between writes (the flood driver); callers
    /// bound how many they take in a row.
    pub async fn poll_event(&mut self) -> Option<Event> {
        self.read_event(None).await
    }

    /// How many of the SETTINGS ACK events still to come answer SETTINGS we have already
    /// sent: in the server role the handshake does not wait for the client's ACK, so a
    /// case's SETTINGS may find the handshake's still unacknowledged, and the first ACK
    /// after it is not its answer.
    pub fn settings_acks_owed(&self) -> usize {
        self.settings_sent.saturating_sub(self.settings_acks_handed_out)
    }

    async fn read_event(&mut self, deadline: Option<Instant>) -> Option<Event> {
        let ev = self.read_event_uncounted(deadline).await;
        if matches!(&ev, Some(Event::Frame(Frame::Settings(s))) if s.ack) {
            self.settings_acks_handed_out += 1;
        }
        ev
    }

    async fn read_event_uncounted(&mut self, deadline: Option<Instant>) -> Option<Event> {
        loop {
            if let Some(ev) = self.queue.pop_front() {
                return Some(ev);
            }
            if self.closed || self.budget_spent {
                return None;
            }
            let now = Instant::now();
            if self.limit.is_some_and(|l| now >= l) || deadline.is_some_and(|d| now >= d) {
                return None;
            }
            let budget = self.options.read_budget;
            if self.frames_received as u64 >= budget.frames || self.octets_received >= budget.octets {
                self.budget_spent = true;
                self.transcript.note(format!(
                    "read budget reached: {} frames ({} octets) from the peer; nothing more is read on this connection",
                    self.frames_received, self.octets_received
                ));
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
                    self.octets_received += used as u64;
                    let decoded = Frame::decode(&head, payload);
                    self.checker.at(self.transcript.elapsed_ms());
                    self.checker.received(&head, payload, decoded.as_ref());
                    self.rbuf.drain(..used);
                    match decoded {
                        Ok(f) => {
                            self.on_frame(f, deadline).await;
                            self.note_peak();
                            debug_assert!(self.queue.len() <= MAX_QUEUED_EVENTS);
                        }
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
            // Without a deadline the read is polled once: a past instant makes the timer
            // fire right after the first poll of the read.
            let read_deadline = self.bounded(deadline.unwrap_or(now));
            let res = timeout_at(read_deadline, self.io.read(&mut self.rbuf[start..])).await;
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

    async fn on_frame(&mut self, f: Frame, deadline: Option<Instant>) {
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
                    if self.server.params.len() < MAX_SERVER_SETTINGS || self.server.params.contains_key(&id) {
                        self.server.params.insert(id, v);
                    }
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
        // gets a moment of its own even when the caller only polls for ready events (but
        // never past the connection's limit; a reply that times out stalls the writes).
        let least = Instant::now() + REPLY_WRITE_TIME;
        let reply_deadline = deadline.map_or(least, |d| d.max(least));
        for r in reply {
            if !self.opening.complete() {
                if self.held.len() < MAX_HELD_REPLIES {
                    self.held.push(r);
                } else {
                    self.held_dropped += 1;
                    if self.held_dropped == 1 {
                        self.transcript.note(format!(
                            "{MAX_HELD_REPLIES} automatic replies already wait for our preface; further ones are not sent"
                        ));
                    }
                }
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

    /// Reads events until `deadline`, or until the connection closes (or its limit or read
    /// budget ends reading), handing each to `each` as it comes; used between steps that
    /// need the server to settle. Nothing is kept here: a server that keeps sending cannot
    /// grow a list of events while a case waits.
    pub async fn drain_until(&mut self, deadline: Instant, mut each: impl FnMut(Event)) {
        while let Some(ev) = self.next_event(deadline).await {
            each(ev);
        }
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
