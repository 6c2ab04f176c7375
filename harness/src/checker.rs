//! The passive checker: every rule that binds the server's own output, judged on every frame
//! of every connection, whatever the case is about.
//!
//! It is a state machine without I/O. [`crate::conn::Conn`] hands it every octet we write
//! ([`Checker::sent`], parsed back into frames) and every frame, field block and close from
//! the server; it keeps the state the rules need (our SETTINGS and their ACKs, the windows we
//! granted, stream states on both sides, outstanding PINGs, GOAWAYs, the responses) and
//! records a [`Finding`] for the first breach of each rule. The checks are defined in
//! [`crate::checks`]; the runner reports them as results of their own.
//!
//! Many cases break rules on purpose, so the checker is lenient wherever our own frames make
//! the server's view uncertain: a stream on which we sent an invalid frame, anything after
//! the server reported a connection error, SETTINGS not yet acknowledged (the larger of the
//! old and new value is in force), frames crossing ours in flight (only a PING or SETTINGS
//! ACK proves the server had processed what we sent before it).

use crate::checks::CheckId;
use crate::conn::Role;
use crate::model::Finding;
use h2probe_codec::frame::{flags, Frame, FrameError, Head, HEAD_LEN, PREFACE};
use h2probe_codec::hpack::{self, HeaderField, HpackError};
use h2probe_codec::{ErrorCode, FrameType, SettingId};
use std::collections::{BTreeMap, VecDeque};

/// The largest flow-control window (RFC 9113 §6.9.1).
const MAX_WINDOW: i64 = (1 << 31) - 1;

/// Streams tracked at most, counting those the server's frames name. Our own streams are
/// always tracked (what we send is bounded by the case or the flood bounds); a server that
/// sends frames on ever new stream ids stops adding entries here, so the map cannot grow
/// with what it sends. A conforming server only ever names streams we opened.
pub const MAX_TRACKED_STREAMS: usize = 4096;

/// Our own PING ACKs remembered, to tell an answer to one of them (§6.7: MUST NOT respond)
/// from an ACK of a PING never sent. A server that floods us with PINGs gets an ACK for
/// each; only the most recent ones are kept.
pub const MAX_REMEMBERED_PING_ACKS: usize = 1024;

/// Octets of a finding's detail: it quotes a frame, and a server chooses how long its
/// frames print (thousands of SETTINGS parameters).
pub const MAX_FINDING_OCTETS: usize = 1024;

/// Connection-specific fields (RFC 9113 §8.2.2); `te` counts too in a response.
const CONNECTION_SPECIFIC: &[&[u8]] = &[b"connection", b"proxy-connection", b"keep-alive", b"transfer-encoding", b"upgrade", b"te"];

/// What we know of one stream.
#[derive(Debug, Default)]
struct Stream {
    /// Opened by a HEADERS frame that decoded: ours when we are the client, the client's
    /// when we are the server.
    opened: bool,
    /// We sent a frame on it that broke a rule: the server's view of it is uncertain.
    tainted: bool,
    /// Our END_STREAM: the sequence number of the frame, and whether it was on HEADERS.
    our_end: Option<(u64, bool)>,
    /// Our RST_STREAM's sequence number.
    our_rst: Option<u64>,
    /// Sequence number of the last frame we sent on it.
    last_ours: u64,
    /// The server's window for sending DATA to us on this stream.
    recv_window: i64,
    /// Our window for sending DATA on this stream.
    send_window: i64,
    /// `:method` of our request, when it decoded.
    method: Option<Vec<u8>>,
    /// The server sent HEADERS, DATA or a RST_STREAM other than REFUSED_STREAM on it.
    processed: bool,
    peer_end: bool,
    peer_rsts: u32,
    /// Our sequence number when the server's first RST_STREAM on the stream arrived.
    peer_rst_seq: u64,
    /// A stream the server promised (PUSH_PROMISE), and whether its HEADERS came yet.
    promised: bool,
    push_headers: bool,
    /// The server's final status, once its final response HEADERS arrived.
    final_status: Option<u16>,
    content_length: Option<u64>,
    data: u64,
}

/// A stream's state as the rules read it.
#[derive(Debug, Clone, Copy)]
struct Facts {
    tainted: bool,
    our_rst: Option<u64>,
    rst_processed: bool,
    sent_after_our_rst: bool,
    peer_rsts: u32,
    /// We sent a frame on the stream after the server's first reset of it.
    sent_after_peer_rst: bool,
    closed_by_peer: bool,
    processed: bool,
}

/// The passive checker of one connection.
#[derive(Debug)]
pub struct Checker {
    tls: bool,
    /// The side h2probe plays: the checks judge the other side's output.
    role: Role,
    findings: Vec<(CheckId, String, u64)>,
    exercised: BTreeMap<CheckId, u64>,
    now_ms: u64,
    // What we sent.
    out: Vec<u8>,
    preface_left: usize,
    /// Whether our preface was the valid one; `None` until 24 octets were written.
    preface_valid: Option<bool>,
    /// Our bytes stopped parsing as frames (a garbage preface): our side is unknown.
    ours_unknown: bool,
    our_hpack: hpack::Decoder,
    our_block: Option<(u32, Vec<u8>)>,
    seq: u64,
    /// Our SETTINGS not yet acknowledged: sequence number and parameters (`None` for a
    /// SETTINGS that did not decode).
    unacked: VecDeque<Unacked>,
    our_initial_window: i64,
    our_enable_push: u32,
    pings: Vec<(u64, [u8; 8])>,
    /// The last [`MAX_REMEMBERED_PING_ACKS`] PING ACKs we sent.
    our_ping_acks: VecDeque<[u8; 8]>,
    /// Everything we sent up to this sequence number has been processed by the server.
    processed_upto: u64,
    our_goaway: bool,
    /// Sequence number of our GOAWAY.
    our_goaway_seq: u64,
    /// Our SETTINGS_MAX_CONCURRENT_STREAMS, once sent (limits the server's pushes).
    our_max_concurrent: Option<u32>,
    /// The highest stream id the server promised.
    last_promised: u32,
    max_opened: u32,
    conn_recv_window: i64,
    conn_send_window: i64,
    peer_initial_window: i64,
    streams: BTreeMap<u32, Stream>,
    // What the server sent.
    frames: u64,
    /// GOAWAYs from the server: how many, the last one's last stream id, and whether any
    /// carried an error code (what the GOAWAY rules read; a list would grow with a server
    /// that sends GOAWAY after GOAWAY).
    goaways: u64,
    last_goaway: Option<u32>,
    error_goaway: bool,
    settings_frames: u32,
    no_rfc7540_priorities: Option<u32>,
    enable_connect_protocol: Option<u32>,
    /// The server reported a connection error, or sent something undecodable: from then on
    /// only format, HPACK and close rules are judged.
    errored: bool,
}

impl Checker {
    /// The peer under test, for the findings' texts.
    fn peer(&self) -> &'static str {
        match self.role {
            Role::Client => "server",
            Role::Server => "client",
        }
    }

    /// A checker for a connection over TLS or cleartext, h2probe playing `role`.
    pub fn new(tls: bool, role: Role) -> Checker {
        Checker {
            tls,
            role,
            findings: Vec::new(),
            exercised: BTreeMap::new(),
            now_ms: 0,
            out: Vec::new(),
            // As the server we write no preface; the client's is judged by `peer_preface`.
            preface_left: if role == Role::Client { PREFACE.len() } else { 0 },
            preface_valid: if role == Role::Client { None } else { Some(true) },
            ours_unknown: false,
            our_hpack: hpack::Decoder::new(),
            our_block: None,
            seq: 0,
            unacked: VecDeque::new(),
            our_initial_window: 65_535,
            our_enable_push: 1,
            pings: Vec::new(),
            our_ping_acks: VecDeque::new(),
            processed_upto: 0,
            our_goaway: false,
            our_goaway_seq: 0,
            our_max_concurrent: None,
            last_promised: 0,
            max_opened: 0,
            conn_recv_window: 65_535,
            conn_send_window: 65_535,
            peer_initial_window: 65_535,
            streams: BTreeMap::new(),
            frames: 0,
            goaways: 0,
            last_goaway: None,
            error_goaway: false,
            settings_frames: 0,
            no_rfc7540_priorities: None,
            enable_connect_protocol: None,
            errored: false,
        }
    }

    /// The time in milliseconds since the connection opened, for the findings that follow.
    pub fn at(&mut self, ms: u64) {
        self.now_ms = ms;
    }

    fn exercise(&mut self, c: CheckId) {
        *self.exercised.entry(c).or_default() += 1;
    }

    fn find(&mut self, c: CheckId, detail: impl Into<String>) {
        self.exercise(c);
        if !self.findings.iter().any(|(f, _, _)| *f == c) {
            let detail = crate::transcript::bound_text(detail.into(), MAX_FINDING_OCTETS);
            self.findings.push((c, detail, self.now_ms));
        }
    }

    /// What the checker holds that a server can make grow: streams tracked, PING ACKs
    /// remembered (bounded by [`MAX_TRACKED_STREAMS`] beyond our own streams and by
    /// [`MAX_REMEMBERED_PING_ACKS`]).
    pub fn retained(&self) -> (usize, usize) {
        (self.streams.len(), self.our_ping_acks.len())
    }

    /// Octets we wrote to the server, in order.
    pub fn sent(&mut self, bytes: &[u8]) {
        if self.ours_unknown {
            return;
        }
        self.out.extend_from_slice(bytes);
        if self.preface_left > 0 {
            if self.out.len() < PREFACE.len() {
                return;
            }
            let valid = self.out[..PREFACE.len()] == PREFACE[..];
            self.preface_valid = Some(valid);
            self.out.drain(..PREFACE.len());
            self.preface_left = 0;
            if !valid {
                self.ours_unknown = true;
                self.out.clear();
                return;
            }
        }
        // A cursor, and what was read goes once at the end: a write of 2,048 CONTINUATION
        // frames (32 MiB) would otherwise move the rest of the buffer once per frame.
        let mut at = 0;
        while let Some(head) = Head::parse(&self.out[at..]) {
            let total = HEAD_LEN + head.length as usize;
            if self.out.len() - at < total {
                break;
            }
            let decoded = Frame::decode(&head, &self.out[at + HEAD_LEN..at + total]);
            at += total;
            self.seq += 1;
            match decoded {
                Ok(f) => self.ours(f),
                Err(_) => self.ours_invalid(&head),
            }
        }
        self.out.drain(..at);
    }

    fn stream(&mut self, id: u32) -> &mut Stream {
        let (recv, send) = (self.our_initial_window, self.peer_initial_window);
        self.streams.entry(id).or_insert_with(|| Stream { recv_window: recv, send_window: send, ..Stream::default() })
    }

    /// A stream a server frame names: tracked if it is already, or while fewer than
    /// [`MAX_TRACKED_STREAMS`] are; else `None`, and the frame's stream accounting is skipped.
    fn their_stream(&mut self, id: u32) -> Option<&mut Stream> {
        if self.streams.len() >= MAX_TRACKED_STREAMS && !self.streams.contains_key(&id) {
            return None;
        }
        Some(self.stream(id))
    }

    fn ours_invalid(&mut self, head: &Head) {
        if head.kind == FrameType::SETTINGS && head.flags & flags::ACK == 0 {
            self.unacked.push_back((self.seq, None));
        }
        if !head.stream_id.is_zero() {
            let seq = self.seq;
            let s = self.stream(head.stream_id.0);
            s.tainted = true;
            s.last_ours = seq;
        }
    }

    fn ours(&mut self, f: Frame) {
        let seq = self.seq;
        let sid = f.stream_id().0;
        if sid != 0 {
            self.stream(sid).last_ours = seq;
        }
        match f {
            Frame::Settings(s) if !s.ack => {
                // An increase of the window counts from now (we accept more at once); a
                // decrease only from the server's ACK. A frame's last value is its value
                // (§6.5: processed in order, each replacing the one before).
                if let Some(v) = last_initial_window(&s.params) {
                    if v > self.our_initial_window {
                        self.set_our_initial_window(v);
                    }
                }
                for &(id, v) in &s.params {
                    match id {
                        SettingId::ENABLE_PUSH if v == 1 => self.our_enable_push = 1,
                        // A higher limit counts from now, a lower one from the ACK.
                        SettingId::MAX_CONCURRENT_STREAMS if self.our_max_concurrent.is_none_or(|m| v > m) => {
                            self.our_max_concurrent = Some(v)
                        }
                        _ => {}
                    }
                }
                self.unacked.push_back((seq, Some(s.params)));
            }
            Frame::Ping(p) if !p.ack => self.pings.push((seq, p.payload)),
            Frame::Ping(p) => {
                if self.our_ping_acks.len() == MAX_REMEMBERED_PING_ACKS {
                    self.our_ping_acks.pop_front();
                }
                self.our_ping_acks.push_back(p.payload)
            }
            Frame::Headers(h) => {
                if self.role == Role::Client && sid % 2 == 1 && !self.streams.get(&sid).is_some_and(|s| s.opened) {
                    self.max_opened = self.max_opened.max(sid);
                    self.stream(sid).opened = true;
                }
                if h.end_stream {
                    self.stream(sid).our_end = Some((seq, true));
                }
                if h.end_headers {
                    self.our_field_block(sid, &h.block);
                } else {
                    self.our_block = Some((sid, h.block));
                }
            }
            Frame::Continuation(c) => {
                if let Some((s, block)) = &mut self.our_block {
                    if *s == sid {
                        block.extend_from_slice(&c.block);
                    }
                }
                if c.end_headers {
                    if let Some((s, block)) = self.our_block.take() {
                        self.our_field_block(s, &block);
                    }
                }
            }
            Frame::Data(d) => {
                let n = d.flow_len() as i64;
                self.conn_send_window -= n;
                let s = self.stream(sid);
                s.send_window -= n;
                if d.end_stream {
                    s.our_end = Some((seq, false));
                }
            }
            Frame::RstStream(_) => self.stream(sid).our_rst = Some(seq),
            Frame::WindowUpdate(w) => {
                let inc = i64::from(w.increment);
                if sid == 0 {
                    self.conn_recv_window += inc;
                } else {
                    self.stream(sid).recv_window += inc;
                }
            }
            Frame::GoAway(_) => {
                self.our_goaway = true;
                self.our_goaway_seq = seq;
            }
            _ => {}
        }
    }

    fn set_our_initial_window(&mut self, v: i64) {
        let delta = v - self.our_initial_window;
        self.our_initial_window = v;
        for s in self.streams.values_mut() {
            s.recv_window += delta;
        }
    }

    fn our_field_block(&mut self, stream: u32, block: &[u8]) {
        let method = self
            .our_hpack
            .decode(block)
            .ok()
            .and_then(|fields| fields.into_iter().find(|f| f.name == b":method").map(|f| f.value));
        let s = self.stream(stream);
        if s.method.is_none() {
            s.method = method;
        }
    }

    /// The connection began as an HTTP/1.1 upgrade (RFC 7540 §3.2): stream 1 is the
    /// client's, half-closed (remote), and its `HTTP2-Settings` windows are in force.
    pub fn upgraded(&mut self, settings: &[(SettingId, u32)]) {
        if let Some(&(_, v)) = settings.iter().rev().find(|(id, _)| *id == SettingId::INITIAL_WINDOW_SIZE) {
            self.peer_initial_window = i64::from(v);
        }
        self.max_opened = self.max_opened.max(1);
        let s = self.stream(1);
        s.opened = true;
        s.peer_end = true;
        s.processed = true;
    }

    /// The first 24 octets from the client, when we are the server: the preface (§3.4).
    pub fn peer_preface(&mut self, preface: &[u8]) {
        self.exercise(CheckId::PrefaceSettings);
        if preface != &PREFACE[..] {
            self.find(CheckId::PrefaceSettings, "the client's first 24 octets are not the connection preface");
            self.errored = true;
        }
    }

    /// Every frame from the server: its header, payload, and what the codec made of it.
    pub fn received(&mut self, head: &Head, payload: &[u8], decoded: Result<&Frame, &FrameError>) {
        self.frames += 1;
        if self.frames == 1 && self.preface_valid != Some(false) {
            self.exercise(CheckId::PrefaceSettings);
            if !matches!(decoded, Ok(Frame::Settings(s)) if !s.ack) {
                let what = match decoded {
                    Ok(f) => f.to_string(),
                    Err(e) => e.to_string(),
                };
                let who = if self.role == Role::Client { "server's first frame" } else { "client's first frame after the preface" };
                self.find(CheckId::PrefaceSettings, format!("the {who} is {what}, not a SETTINGS frame"));
            }
        }
        // Rules the codec's decoding applies to every frame: a frame that decodes passed them.
        self.exercise(CheckId::FrameSize);
        self.exercise(CheckId::StreamIdClass);
        self.exercise(CheckId::NoPriorityUpdate);
        if self.our_enable_push == 0 {
            self.exercise(CheckId::PushWhenDisabled);
        }
        match head.kind {
            FrameType::SETTINGS => {
                self.exercise(CheckId::SettingsFormat);
                self.exercise(CheckId::EnablePush);
                self.exercise(CheckId::NoRfc7540Priorities);
                self.exercise(CheckId::EnableConnectProtocol);
            }
            FrameType::PING => self.exercise(CheckId::PingFormat),
            FrameType::WINDOW_UPDATE => self.exercise(CheckId::WindowUpdateIncrement),
            FrameType::HEADERS | FrameType::CONTINUATION | FrameType::PUSH_PROMISE => self.exercise(CheckId::ContiguousBlock),
            _ => {}
        }
        self.exercise(CheckId::ReservedBit);
        if head.reserved {
            self.find(CheckId::ReservedBit, format!("{} frame on stream {} with the reserved bit set", head.kind, head.stream_id));
        }
        if let Some(defined) = defined_flags(head.kind) {
            self.exercise(CheckId::UnusedFlags);
            if head.flags & !defined != 0 {
                self.find(
                    CheckId::UnusedFlags,
                    format!("{} frame on stream {} with undefined flags 0x{:02x}", head.kind, head.stream_id, head.flags & !defined),
                );
            }
        }
        if head.flags & flags::PADDED != 0 && matches!(head.kind, FrameType::DATA | FrameType::HEADERS | FrameType::PUSH_PROMISE) {
            self.exercise(CheckId::Padding);
            if let Some(&pad) = payload.first() {
                let pad = usize::from(pad);
                if pad < payload.len() && payload[payload.len() - pad..].iter().any(|&b| b != 0) {
                    self.find(CheckId::Padding, format!("{} frame on stream {} whose padding is not all zero", head.kind, head.stream_id));
                }
            }
        }
        match decoded {
            Err(e) => {
                let c = frame_error_check(e);
                self.find(c, e.to_string());
                self.errored = true;
            }
            Ok(f) => self.theirs(f, head),
        }
    }

    fn theirs(&mut self, f: &Frame, head: &Head) {
        let sid = f.stream_id().0;
        match f {
            Frame::Settings(s) if !s.ack => self.peer_settings(s.params.as_slice()),
            Frame::Settings(_) => {
                self.exercise(CheckId::SettingsAck);
                match self.unacked.pop_front() {
                    None => self.find(CheckId::SettingsAck, "a SETTINGS ACK when none of our SETTINGS was unacknowledged"),
                    Some((seq, params)) => {
                        self.processed_upto = self.processed_upto.max(seq);
                        let params = params.unwrap_or_default();
                        // The window is now this frame's, or a larger one still in flight
                        // (counted from its sending).
                        if let Some(v) = last_initial_window(&params) {
                            let later = self.unacked.iter().filter_map(|(_, p)| p.as_deref().and_then(last_initial_window)).max();
                            let v = later.map_or(v, |l| l.max(v));
                            if v != self.our_initial_window {
                                self.set_our_initial_window(v);
                            }
                        }
                        for (id, v) in params {
                            match id {
                                SettingId::ENABLE_PUSH => self.our_enable_push = v,
                                SettingId::MAX_CONCURRENT_STREAMS => self.our_max_concurrent = Some(v),
                                _ => {}
                            }
                        }
                    }
                }
            }
            Frame::Ping(p) if p.ack => {
                self.exercise(CheckId::PingAck);
                if let Some(i) = self.pings.iter().position(|(_, q)| *q == p.payload) {
                    let (seq, _) = self.pings.remove(i);
                    self.processed_upto = self.processed_upto.max(seq);
                } else if self.our_ping_acks.contains(&p.payload) {
                    self.find(CheckId::PingAck, format!("{f}: an answer to the PING ACK we sent (§6.7: MUST NOT respond)"));
                } else {
                    self.find(CheckId::PingAck, format!("{f}: an ACK for a PING we never sent"));
                }
            }
            Frame::Data(d) => {
                self.stream_frame(sid, "DATA");
                let n = i64::from(head.length);
                if !self.errored && self.streams.get(&sid).is_some_and(|s| s.opened && !s.tainted) {
                    self.exercise(CheckId::FlowControlWindow);
                    let (conn, stream) = (self.conn_recv_window, self.streams.get(&sid).map_or(0, |s| s.recv_window));
                    if n > 0 && (n > stream || n > conn) {
                        self.find(
                            CheckId::FlowControlWindow,
                            format!("{f}: {n} octets with {stream} left in the stream window and {conn} in the connection window"),
                        );
                    }
                    if let Some(s) = self.streams.get(&sid) {
                        if s.final_status.is_none() && self.role == Role::Client {
                            self.exercise(CheckId::ResponseFraming);
                            self.find(CheckId::ResponseFraming, format!("{f}: DATA before the final response HEADERS"));
                        }
                    }
                }
                self.conn_recv_window -= n;
                if let Some(s) = self.their_stream(sid) {
                    s.recv_window -= n;
                    s.data += d.data.len() as u64;
                    s.processed = true;
                    if d.end_stream {
                        s.peer_end = true;
                        self.content_length(sid);
                    }
                }
            }
            Frame::Headers(h) if self.role == Role::Server => self.client_headers(sid, h.end_stream),
            Frame::Headers(_) => {
                self.stream_frame(sid, "HEADERS");
                if let Some(s) = self.their_stream(sid) {
                    s.processed = true;
                }
            }
            Frame::RstStream(r) => self.peer_rst(sid, r.code, f),
            Frame::WindowUpdate(w) => {
                if sid != 0 {
                    self.stream_frame(sid, "WINDOW_UPDATE");
                }
                self.exercise(CheckId::WindowUpdateIncrement);
                let inc = i64::from(w.increment);
                let window = if sid == 0 {
                    self.conn_send_window += inc;
                    self.conn_send_window
                } else {
                    match self.their_stream(sid) {
                        Some(s) => {
                            s.send_window += inc;
                            s.send_window
                        }
                        None => 0,
                    }
                };
                if window > MAX_WINDOW {
                    self.find(CheckId::WindowUpdateIncrement, format!("{f}: our window on stream {sid} is now {window}, above 2^31-1"));
                }
            }
            Frame::GoAway(g) => self.peer_goaway(g.last_stream_id.0, g.code, f),
            Frame::PushPromise(_) if self.role == Role::Server => {
                self.find(CheckId::PushWhenDisabled, format!("{f}: a PUSH_PROMISE from the client (§8.4: a client cannot push)"));
            }
            Frame::PushPromise(p) => {
                self.exercise(CheckId::PushWhenDisabled);
                if self.our_enable_push == 0 {
                    self.find(CheckId::PushWhenDisabled, format!("{f} while our SETTINGS_ENABLE_PUSH=0 was acknowledged"));
                }
                self.push_promise(sid, p.promised_id.0, f);
            }
            Frame::PriorityUpdate(_) if self.role == Role::Client => self.find(CheckId::NoPriorityUpdate, format!("{f} from the server")),
            _ => {}
        }
    }

    fn peer_settings(&mut self, params: &[(SettingId, u32)]) {
        self.settings_frames += 1;
        for &(id, v) in params {
            match id {
                SettingId::ENABLE_PUSH if self.role == Role::Client => {
                    self.exercise(CheckId::EnablePush);
                    if v != 0 {
                        self.find(CheckId::EnablePush, format!("SETTINGS_ENABLE_PUSH={v} from the server"));
                    }
                }
                SettingId::NO_RFC7540_PRIORITIES => {
                    self.exercise(CheckId::NoRfc7540Priorities);
                    match self.no_rfc7540_priorities {
                        None if self.settings_frames > 1 => self.find(
                            CheckId::NoRfc7540Priorities,
                            format!("SETTINGS_NO_RFC7540_PRIORITIES={v} first sent in SETTINGS frame {}, not the first", self.settings_frames),
                        ),
                        Some(old) if old != v => self
                            .find(CheckId::NoRfc7540Priorities, format!("SETTINGS_NO_RFC7540_PRIORITIES changed from {old} to {v}")),
                        _ => {}
                    }
                    self.no_rfc7540_priorities.get_or_insert(v);
                }
                SettingId::ENABLE_CONNECT_PROTOCOL => {
                    self.exercise(CheckId::EnableConnectProtocol);
                    if self.enable_connect_protocol == Some(1) && v == 0 {
                        self.find(CheckId::EnableConnectProtocol, "SETTINGS_ENABLE_CONNECT_PROTOCOL went from 1 to 0");
                    }
                    self.enable_connect_protocol = Some(v);
                }
                SettingId::INITIAL_WINDOW_SIZE => {
                    let delta = i64::from(v) - self.peer_initial_window;
                    self.peer_initial_window = i64::from(v);
                    for s in self.streams.values_mut() {
                        s.send_window += delta;
                    }
                }
                _ => {}
            }
            self.exercise(CheckId::SettingsValues);
        }
    }

    /// Whether the server had certainly received our END_STREAM on `s` by now: it came with
    /// the request HEADERS the server answered, or a PING sent after it was acknowledged.
    fn our_end_received(&self, s: &Stream) -> bool {
        match s.our_end {
            Some((_, true)) => s.processed,
            Some((seq, false)) => seq <= self.processed_upto,
            None => false,
        }
    }

    /// What the stream rules need to know of a stream, copied out of the map.
    fn facts(&self, sid: u32) -> Option<Facts> {
        let s = self.streams.get(&sid)?;
        Some(Facts {
            tainted: s.tainted,
            our_rst: s.our_rst,
            rst_processed: s.our_rst.is_some_and(|seq| seq <= self.processed_upto),
            sent_after_our_rst: s.our_rst.is_some_and(|seq| s.last_ours > seq),
            peer_rsts: s.peer_rsts,
            sent_after_peer_rst: s.peer_rsts > 0 && s.last_ours > s.peer_rst_seq,
            closed_by_peer: s.peer_rsts > 0 || (s.peer_end && self.our_end_received(s)),
            processed: s.processed,
        })
    }

    /// A HEADERS from the client (we are the server): a new request opens an odd stream above
    /// every earlier one (§5.1.1) within our SETTINGS_MAX_CONCURRENT_STREAMS (§5.1.2); on a
    /// stream it opened, it is trailers; anything else is a frame on a closed stream.
    fn client_headers(&mut self, sid: u32, end_stream: bool) {
        if self.errored {
            return;
        }
        let known = self.streams.get(&sid).is_some_and(|s| s.opened);
        if !known {
            self.exercise(CheckId::NewStreamIds);
            if sid % 2 == 0 {
                self.find(CheckId::NewStreamIds, format!("HEADERS on stream {sid}: a client opens odd-numbered streams"));
            } else if sid <= self.max_opened {
                self.find(CheckId::NewStreamIds, format!("HEADERS on stream {sid}, not above stream {} opened before", self.max_opened));
            }
            self.max_opened = self.max_opened.max(sid);
            if let Some(st) = self.their_stream(sid) {
                st.opened = true;
            }
            if let Some(limit) = self.our_max_concurrent {
                self.exercise(CheckId::PushConcurrency);
                let open = self.streams.values().filter(|s| s.opened && !(s.peer_end && s.our_end.is_some()) && s.peer_rsts == 0 && s.our_rst.is_none()).count();
                if open as u64 > u64::from(limit) {
                    self.find(CheckId::PushConcurrency, format!("{open} streams open at once, more than our SETTINGS_MAX_CONCURRENT_STREAMS {limit}"));
                }
            }
        } else {
            self.stream_frame(sid, "HEADERS");
        }
        if end_stream {
            if let Some(st) = self.their_stream(sid) {
                st.peer_end = true;
            }
        }
    }

    /// A PUSH_PROMISE on `sid` promising `promised`: the rules of §5.1.1, §6.6, §8.4 and §6.8.
    fn push_promise(&mut self, sid: u32, promised: u32, f: &Frame) {
        if self.errored || self.ours_unknown {
            return;
        }
        self.exercise(CheckId::PromisedStreamId);
        if promised == 0 || promised % 2 == 1 || promised <= self.last_promised || self.streams.contains_key(&promised) {
            self.find(
                CheckId::PromisedStreamId,
                format!("{f}: promised stream {promised} is not a new even id above {}", self.last_promised),
            );
        }
        self.last_promised = self.last_promised.max(promised);
        self.exercise(CheckId::PushPromiseStream);
        match self.facts(sid) {
            Some(s) if self.streams.get(&sid).is_some_and(|st| st.opened) => {
                if s.closed_by_peer || self.streams.get(&sid).is_some_and(|st| st.peer_end) || s.rst_processed {
                    self.find(CheckId::PushPromiseStream, format!("{f}: on stream {sid}, which is no longer open for the server"));
                }
            }
            _ => self.find(CheckId::PushPromiseStream, format!("{f}: on stream {sid}, which the client did not open")),
        }
        if self.streams.get(&sid).is_some_and(|st| st.data > 0) {
            self.exercise(CheckId::PushPromiseEarly);
            self.find(CheckId::PushPromiseEarly, format!("{f}: after the response DATA on stream {sid}"));
        } else {
            self.exercise(CheckId::PushPromiseEarly);
        }
        if self.our_goaway {
            self.exercise(CheckId::NoPushAfterGoaway);
            if self.our_goaway_seq <= self.processed_upto {
                self.find(CheckId::NoPushAfterGoaway, format!("{f}: a new stream after the server processed our GOAWAY"));
            }
        }
        if let Some(st) = self.their_stream(promised) {
            st.promised = true;
        }
    }

    /// Stream-state rules for a frame other than PRIORITY and RST_STREAM on `sid`.
    fn stream_frame(&mut self, sid: u32, kind: &str) {
        if self.errored || self.ours_unknown || sid == 0 {
            return;
        }
        if sid % 2 == 0 && self.streams.get(&sid).is_some_and(|s| s.promised) {
            // A stream the server promised: "reserved (local)" until its HEADERS.
            self.exercise(CheckId::ReservedLocalFrames);
            let opened = self.streams.get(&sid).is_some_and(|s| s.push_headers);
            if !opened && kind != "HEADERS" {
                self.find(CheckId::ReservedLocalFrames, format!("{kind} on promised stream {sid} before its HEADERS"));
            }
            if !opened && kind == "HEADERS" {
                if let Some(s) = self.streams.get_mut(&sid) {
                    s.push_headers = true;
                }
                if let Some(limit) = self.our_max_concurrent {
                    self.exercise(CheckId::PushConcurrency);
                    let open = self.streams.iter().filter(|(id, s)| *id % 2 == 0 && s.push_headers && !s.peer_end && s.peer_rsts == 0).count();
                    if open as u64 > u64::from(limit) {
                        self.find(CheckId::PushConcurrency, format!("{open} pushed streams open, more than our SETTINGS_MAX_CONCURRENT_STREAMS {limit}"));
                    }
                }
            }
        }
        self.exercise(CheckId::RstOnIdle);
        let Some(s) = self.facts(sid) else {
            let idle = sid % 2 == 0 || sid > self.max_opened;
            let (check, state) = if idle {
                (CheckId::RstOnIdle, "an idle stream")
            } else {
                (CheckId::ClosedStreamFrames, "a stream closed when we opened a higher one")
            };
            self.find(check, format!("{kind} on stream {sid}, {state}"));
            return;
        };
        if s.tainted {
            return;
        }
        self.exercise(CheckId::SilentAfterRst);
        if s.rst_processed && !s.sent_after_our_rst {
            self.find(CheckId::SilentAfterRst, format!("{kind} on stream {sid} after the {} processed our RST_STREAM on it", self.peer()));
            return;
        }
        self.exercise(CheckId::ClosedStreamFrames);
        if s.closed_by_peer && s.our_rst.is_none() {
            self.find(CheckId::ClosedStreamFrames, format!("{kind} on stream {sid}, which the {} had closed", self.peer()));
        }
    }

    fn peer_rst(&mut self, sid: u32, code: ErrorCode, f: &Frame) {
        if self.errored || self.ours_unknown {
            return;
        }
        self.exercise(CheckId::RstOnIdle);
        let Some(s) = self.facts(sid) else {
            if sid % 2 == 0 || sid > self.max_opened {
                self.find(CheckId::RstOnIdle, format!("{f}: a reset of an idle stream"));
            }
            return;
        };
        if !s.tainted {
            self.exercise(CheckId::NoRstForRst);
            if s.rst_processed && !s.sent_after_our_rst && s.peer_rsts == 0 {
                self.find(CheckId::NoRstForRst, format!("{f} after the {} processed our RST_STREAM on the stream", self.peer()));
            }
            self.exercise(CheckId::OneRstPerStream);
            if s.peer_rsts > 0 && !s.sent_after_peer_rst {
                self.find(CheckId::OneRstPerStream, format!("{f}: a second reset of stream {sid}"));
            }
            self.exercise(CheckId::RefusedAfterProcessing);
            if code == ErrorCode::REFUSED_STREAM && s.processed {
                self.find(CheckId::RefusedAfterProcessing, format!("{f} after the server had answered on the stream"));
            }
        }
        let seq = self.seq;
        let st = self.stream(sid);
        if st.peer_rsts == 0 {
            st.peer_rst_seq = seq;
        }
        st.peer_rsts += 1;
        if code != ErrorCode::REFUSED_STREAM {
            st.processed = true;
        }
    }

    fn peer_goaway(&mut self, last: u32, code: ErrorCode, f: &Frame) {
        self.exercise(CheckId::GoawayLastStream);
        if let Some(prev) = self.last_goaway {
            if last > prev {
                self.find(CheckId::GoawayLastStream, format!("{f}: the last stream id rose from {prev}"));
            }
        }
        // The last stream id counts the streams the GOAWAY's receiver (we) initiated: odd
        // ones when we are the client, pushed (even) ones when we are the server.
        let ours = if self.role == Role::Client { 1 } else { 0 };
        let processed = self.streams.iter().filter(|(id, s)| s.processed && **id % 2 == ours).map(|(id, _)| *id).max();
        if let Some(p) = processed.filter(|p| last < *p) {
            self.find(CheckId::GoawayLastStream, format!("{f}: below stream {p}, which the peer had already processed"));
        }
        if code == ErrorCode::NO_ERROR && self.goaways == 0 && !self.our_goaway && self.role == Role::Client {
            self.exercise(CheckId::GracefulTwoStep);
            if last != 0x7fff_ffff {
                self.find(CheckId::GracefulTwoStep, format!("{f}: a graceful shutdown whose first GOAWAY is not 2^31-1"));
            }
        }
        if code != ErrorCode::NO_ERROR {
            self.exercise(CheckId::OneConnectionError);
            if self.error_goaway {
                self.find(CheckId::OneConnectionError, format!("{f}: a second GOAWAY with an error code"));
            }
            self.errored = true;
        }
        if self.tls {
            self.exercise(CheckId::InadequateSecurity);
            if code == ErrorCode::INADEQUATE_SECURITY {
                self.find(CheckId::InadequateSecurity, format!("{f} on a TLS connection h2probe negotiated with TLS 1.2+ AEAD suites"));
            }
        }
        self.goaways += 1;
        self.last_goaway = Some(last);
        self.error_goaway |= code != ErrorCode::NO_ERROR;
    }

    /// A complete field block from the server on `stream` (HEADERS plus CONTINUATION), as
    /// the connection's HPACK decoder made it out.
    pub fn block(&mut self, stream: u32, end_stream: bool, decoded: Result<&[HeaderField], &HpackError>) {
        if self.role == Role::Server {
            return self.request_block(stream, end_stream, decoded);
        }
        for c in [
            CheckId::BlockDecodes,
            CheckId::IndexInRange,
            CheckId::IntegerLimits,
            CheckId::HuffmanValid,
            CheckId::SizeUpdateFirst,
            CheckId::SizeUpdateLimit,
        ] {
            self.exercise(c);
        }
        let fields = match decoded {
            Err(e) => {
                if let Some(c) = hpack_error_check(e) {
                    self.find(c, format!("field block on stream {stream}: {e}"));
                    self.errored = true;
                }
                return;
            }
            Ok(f) => f,
        };
        if self.errored || stream == 0 {
            return;
        }
        for c in [CheckId::FieldValidity, CheckId::ConnectionSpecific, CheckId::ResponsePseudoHeaders, CheckId::ResponseFraming] {
            self.exercise(c);
        }
        for field in fields {
            if let Some(why) = invalid_field(field) {
                self.find(CheckId::FieldValidity, format!("stream {stream}: {why}"));
            }
            if CONNECTION_SPECIFIC.contains(&field.name.as_slice()) {
                self.find(CheckId::ConnectionSpecific, format!("stream {stream}: connection-specific field \"{}\"", show(&field.name)));
            }
        }
        let trailers = self.streams.get(&stream).is_some_and(|s| s.final_status.is_some());
        let tunnel = self.streams.get(&stream).is_some_and(|s| {
            s.method.as_deref() == Some(b"CONNECT") && s.final_status.is_some_and(|st| (200..300).contains(&st))
        });
        if tunnel {
            self.exercise(CheckId::ConnectStreamFrames);
            self.find(CheckId::ConnectStreamFrames, format!("stream {stream}: HEADERS on a CONNECT tunnel after its 2xx"));
        } else if trailers {
            if !end_stream {
                self.find(CheckId::ResponseFraming, format!("stream {stream}: HEADERS without END_STREAM after the final response"));
            }
            if let Some(p) = fields.iter().find(|f| f.name.first() == Some(&b':')) {
                self.find(CheckId::ResponsePseudoHeaders, format!("stream {stream}: pseudo-header {} in trailers", show(&p.name)));
            }
        } else {
            match response_status(fields) {
                Err(why) => self.find(CheckId::ResponsePseudoHeaders, format!("stream {stream}: {why}")),
                Ok(status) if status < 200 => {
                    if end_stream {
                        self.find(CheckId::ResponseFraming, format!("stream {stream}: interim response {status} with END_STREAM"));
                    }
                }
                Ok(status) => {
                    let lengths: Vec<&[u8]> = fields.iter().filter(|f| f.name == b"content-length").map(|f| f.value.as_slice()).collect();
                    let parsed: Vec<Option<u64>> = lengths.iter().map(|v| std::str::from_utf8(v).ok().and_then(|s| s.parse().ok())).collect();
                    if let Some(s) = self.their_stream(stream) {
                        s.final_status = Some(status);
                        s.content_length = parsed.first().copied().flatten();
                    }
                    let bad = parsed.iter().any(Option::is_none) || parsed.windows(2).any(|w| w[0] != w[1]);
                    if bad {
                        let shown: Vec<String> = lengths.iter().map(|v| show(v)).collect();
                        self.find(CheckId::ContentLength, format!("stream {stream}: content-length {}", shown.join(", ")));
                    }
                }
            }
        }
        if end_stream {
            if let Some(s) = self.their_stream(stream) {
                s.peer_end = true;
            }
            self.content_length(stream);
        }
    }

    /// A field block from the client (we are the server): the request's header section —
    /// exactly one each of :method, :scheme and :path (none of the last two for CONNECT), no
    /// response pseudo-headers, pseudo-headers first and once, valid field names and values,
    /// no connection-specific fields (te only as "trailers") — or its trailers.
    fn request_block(&mut self, stream: u32, end_stream: bool, decoded: Result<&[HeaderField], &HpackError>) {
        for c in [CheckId::BlockDecodes, CheckId::IndexInRange, CheckId::IntegerLimits, CheckId::HuffmanValid, CheckId::SizeUpdateFirst, CheckId::SizeUpdateLimit] {
            self.exercise(c);
        }
        let fields = match decoded {
            Err(e) => {
                if let Some(c) = hpack_error_check(e) {
                    self.find(c, format!("field block on stream {stream}: {e}"));
                    self.errored = true;
                }
                return;
            }
            Ok(f) => f,
        };
        if self.errored {
            return;
        }
        for c in [CheckId::FieldValidity, CheckId::ConnectionSpecific, CheckId::ResponsePseudoHeaders, CheckId::ResponseFraming] {
            self.exercise(c);
        }
        for field in fields {
            if let Some(why) = invalid_field(field) {
                self.find(CheckId::FieldValidity, format!("stream {stream}: {why}"));
            }
            let te_trailers = field.name == b"te" && field.value == b"trailers";
            if CONNECTION_SPECIFIC.contains(&field.name.as_slice()) && !te_trailers {
                self.find(CheckId::ConnectionSpecific, format!("stream {stream}: connection-specific field \"{}\"", show(&field.name)));
            }
        }
        let trailers = self.streams.get(&stream).is_some_and(|s| s.method.is_some());
        if trailers {
            if !end_stream {
                self.find(CheckId::ResponseFraming, format!("stream {stream}: a second HEADERS without END_STREAM (trailers end the request)"));
            }
            if let Some(p) = fields.iter().find(|f| f.name.first() == Some(&b':')) {
                self.find(CheckId::ResponsePseudoHeaders, format!("stream {stream}: pseudo-header {} in trailers", show(&p.name)));
            }
        } else {
            match request_pseudo_headers(fields) {
                Err(why) => self.find(CheckId::ResponsePseudoHeaders, format!("stream {stream}: {why}")),
                Ok(method) => {
                    let lengths: Vec<Option<u64>> = fields
                        .iter()
                        .filter(|f| f.name == b"content-length")
                        .map(|f| std::str::from_utf8(&f.value).ok().and_then(|v| v.parse().ok()))
                        .collect();
                    if lengths.iter().any(Option::is_none) || lengths.windows(2).any(|w| w[0] != w[1]) {
                        self.find(CheckId::ContentLength, format!("stream {stream}: an invalid or disagreeing content-length"));
                    }
                    if let Some(s) = self.their_stream(stream) {
                        s.method = Some(method);
                        s.content_length = lengths.first().copied().flatten();
                        // Requests have no status; the content-length rule reads a 200.
                        s.final_status = Some(200);
                    }
                }
            }
        }
        if end_stream {
            if let Some(s) = self.their_stream(stream) {
                s.peer_end = true;
            }
            self.content_length(stream);
        }
    }

    /// At the end of a response: its content-length must equal the DATA it carried (not for
    /// responses without content: to HEAD, 1xx, 204, 304, a 2xx to CONNECT; nor when the
    /// request's method is unknown, its field block not decoding: it may have been HEAD).
    fn content_length(&mut self, stream: u32) {
        let Some(s) = self.streams.get(&stream) else { return };
        let (Some(status), Some(len)) = (s.final_status, s.content_length) else { return };
        let Some(method) = s.method.as_deref() else { return };
        let method = Some(method);
        if method == Some(b"HEAD") || status == 204 || status == 304 || (method == Some(b"CONNECT") && (200..300).contains(&status)) {
            return;
        }
        let data = s.data;
        self.exercise(CheckId::ContentLength);
        if data != len {
            self.find(CheckId::ContentLength, format!("stream {stream}: content-length {len} but {data} octets of DATA"));
        }
    }

    /// The request block of a PUSH_PROMISE the server sent on `stream` for `promised`:
    /// a complete, safe and cacheable request (§8.4, §8.4.1).
    pub fn push_block(&mut self, promised: u32, decoded: Result<&[HeaderField], &HpackError>) {
        let Ok(fields) = decoded else {
            if let Err(e) = decoded {
                self.block(promised, false, Err(e));
            }
            return;
        };
        self.exercise(CheckId::PushRequest);
        for field in fields {
            if let Some(why) = invalid_field(field) {
                self.find(CheckId::FieldValidity, format!("promised stream {promised}: {why}"));
            }
        }
        let count = |n: &[u8]| fields.iter().filter(|f| f.name == n).count();
        let value = |n: &[u8]| fields.iter().find(|f| f.name == n).map(|f| f.value.as_slice());
        let why = if [b":method".as_slice(), b":scheme", b":path", b":authority"].iter().any(|n| count(n) != 1) {
            Some("not exactly one each of :method, :scheme, :path and :authority".to_string())
        } else if let Some(p) = fields.iter().find(|f| f.name.first() == Some(&b':') && ![&b":method"[..], b":scheme", b":path", b":authority"].contains(&f.name.as_slice())) {
            Some(format!("pseudo-header {}", show(&p.name)))
        } else if !matches!(value(b":method"), Some(b"GET") | Some(b"HEAD")) {
            Some(format!("method {}: a pushed request must be safe and cacheable", show(value(b":method").unwrap_or_default())))
        } else if value(b":path").is_some_and(<[u8]>::is_empty) {
            Some("an empty :path".into())
        } else if value(b":authority").is_some_and(|a| a.contains(&b'@')) {
            Some(":authority with userinfo".into())
        } else {
            None
        };
        if let Some(why) = why {
            self.find(CheckId::PushRequest, format!("promised stream {promised}: {why}"));
        }
        if let Some(m) = value(b":method") {
            let m = m.to_vec();
            if let Some(st) = self.their_stream(promised) {
                st.method = Some(m);
            }
        }
    }

    /// The server ended the connection (EOF or reset).
    pub fn closed(&mut self) {
        if self.preface_valid == Some(false) || self.ours_unknown {
            return;
        }
        self.exercise(CheckId::GoawayBeforeClose);
        if self.goaways == 0 {
            self.find(CheckId::GoawayBeforeClose, format!("the {} closed the connection without sending GOAWAY", self.peer()));
        }
    }

    /// A frame the connection could not parse further: a field block interrupted, or
    /// continued out of nowhere, or a frame beyond our maximum size.
    pub fn stream_broken(&mut self, check: CheckId, why: &str) {
        self.find(check, why.to_string());
        self.errored = true;
    }

    /// The findings of the connection, and how often each check was exercised.
    pub fn finish(mut self) -> (Vec<Finding>, BTreeMap<CheckId, u64>) {
        if !self.errored {
            let answered_upto = self.processed_upto;
            let unanswered: Vec<[u8; 8]> = self.pings.iter().filter(|(seq, _)| *seq < answered_upto).map(|(_, p)| *p).collect();
            if let Some(p) = unanswered.first() {
                self.find(
                    CheckId::PingAck,
                    format!("PING {} was never answered (a PING sent after it was)", h2probe_codec::frame::hex(p)),
                );
            }
            let unacked = self.unacked.iter().any(|(seq, params)| params.is_some() && *seq < answered_upto);
            if unacked {
                self.find(CheckId::SettingsAck, "a SETTINGS frame of ours was never acknowledged (a PING sent after it was)");
            }
        }
        let findings = self
            .findings
            .into_iter()
            .filter_map(|(c, detail, at_ms)| Some(Finding { check: c.def().id(self.role)?.to_string(), detail, at_ms }))
            .collect();
        (findings, self.exercised)
    }
}

/// The flags a frame type defines (RFC 9113 §6, RFC 9218 §7.1); `None` for extension types.
fn defined_flags(kind: FrameType) -> Option<u8> {
    Some(match kind {
        FrameType::DATA => flags::END_STREAM | flags::PADDED,
        FrameType::HEADERS => flags::END_STREAM | flags::END_HEADERS | flags::PADDED | flags::PRIORITY,
        FrameType::PRIORITY | FrameType::RST_STREAM | FrameType::GOAWAY | FrameType::WINDOW_UPDATE | FrameType::PRIORITY_UPDATE => 0,
        FrameType::SETTINGS | FrameType::PING => flags::ACK,
        FrameType::PUSH_PROMISE => flags::END_HEADERS | flags::PADDED,
        FrameType::CONTINUATION => flags::END_HEADERS,
        _ => return None,
    })
}

/// The check a frame the codec refuses breaks.
fn frame_error_check(e: &FrameError) -> CheckId {
    match e {
        FrameError::TooLarge { .. } => CheckId::FrameSize,
        FrameError::StreamIdZero { .. } | FrameError::StreamIdNonZero { .. } => CheckId::StreamIdClass,
        FrameError::BadLength { kind: FrameType::PING, .. } => CheckId::PingFormat,
        FrameError::BadLength { .. } => CheckId::StreamIdClass,
        FrameError::SettingsAckWithPayload { .. } => CheckId::SettingsFormat,
        FrameError::BadPadding { .. } => CheckId::Padding,
        FrameError::BadSettingValue { id, .. } => match *id {
            SettingId::ENABLE_PUSH => CheckId::EnablePush,
            SettingId::NO_RFC7540_PRIORITIES => CheckId::NoRfc7540Priorities,
            SettingId::ENABLE_CONNECT_PROTOCOL => CheckId::EnableConnectProtocol,
            _ => CheckId::SettingsValues,
        },
        FrameError::ZeroWindowIncrement { .. } => CheckId::WindowUpdateIncrement,
        FrameError::PriorityUpdateStreamZero => CheckId::NoPriorityUpdate,
    }
}

/// The check an HPACK error in a server block breaks; `None` for our own decoder limits.
fn hpack_error_check(e: &HpackError) -> Option<CheckId> {
    Some(match e {
        HpackError::IntegerOverflow => CheckId::IntegerLimits,
        HpackError::Truncated => CheckId::BlockDecodes,
        HpackError::InvalidIndex { .. } | HpackError::IndexZero => CheckId::IndexInRange,
        HpackError::HuffmanEos | HpackError::HuffmanPaddingTooLong | HpackError::HuffmanPaddingNotOnes => CheckId::HuffmanValid,
        HpackError::SizeUpdateTooLarge { .. } => CheckId::SizeUpdateLimit,
        HpackError::SizeUpdateAfterField | HpackError::SizeUpdateMissing => CheckId::SizeUpdateFirst,
        HpackError::StringTooLong { .. } | HpackError::HeaderListTooLarge { .. } | HpackError::TooManyFields { .. } => return None,
    })
}

/// The `:status` of a response header block, or what is wrong with its pseudo-headers.
fn response_status(fields: &[HeaderField]) -> Result<u16, String> {
    let mut status = None;
    let mut regular_seen = false;
    for f in fields {
        if f.name.first() == Some(&b':') {
            if regular_seen {
                return Err(format!("pseudo-header {} after a regular field", show(&f.name)));
            }
            if f.name != b":status" {
                return Err(format!("pseudo-header {} in a response", show(&f.name)));
            }
            if status.is_some() {
                return Err("two :status pseudo-headers".into());
            }
            let v = std::str::from_utf8(&f.value).ok().filter(|v| v.len() == 3 && v.bytes().all(|b| b.is_ascii_digit()));
            status = Some(v.and_then(|v| v.parse::<u16>().ok()).ok_or_else(|| format!(":status \"{}\" is not three digits", show(&f.value)))?);
        } else {
            regular_seen = true;
        }
    }
    status.ok_or_else(|| "a response without :status".into())
}

/// What makes a request's field block malformed (RFC 9113 §8.1.1: a stream error the
/// server may answer at any time), if anything: its pseudo-headers, an invalid field, a
/// connection-specific field, an invalid or disagreeing content-length.
pub fn malformed_request(fields: &[HeaderField]) -> Option<String> {
    if let Some(why) = fields.iter().find_map(invalid_field) {
        return Some(why);
    }
    if let Some(f) = fields.iter().find(|f| CONNECTION_SPECIFIC.contains(&f.name.as_slice()) && !(f.name == b"te" && f.value == b"trailers")) {
        return Some(format!("connection-specific field \"{}\"", show(&f.name)));
    }
    if let Err(why) = request_pseudo_headers(fields) {
        return Some(why);
    }
    let lengths: Vec<Option<u64>> = fields.iter().filter(|f| f.name == b"content-length").map(|f| std::str::from_utf8(&f.value).ok().and_then(|v| v.parse().ok())).collect();
    if lengths.iter().any(Option::is_none) || lengths.windows(2).any(|w| w[0] != w[1]) {
        return Some("an invalid or disagreeing content-length".into());
    }
    None
}

/// The `:method` of a request header block, or what is wrong with its pseudo-headers
/// (RFC 9113 §8.3, §8.3.1, §8.5; RFC 8441 §4 for `:protocol`).
fn request_pseudo_headers(fields: &[HeaderField]) -> Result<Vec<u8>, String> {
    let mut regular_seen = false;
    let mut seen: Vec<&[u8]> = Vec::new();
    for f in fields {
        if f.name.first() == Some(&b':') {
            if regular_seen {
                return Err(format!("pseudo-header {} after a regular field", show(&f.name)));
            }
            if ![&b":method"[..], b":scheme", b":path", b":authority", b":protocol"].contains(&f.name.as_slice()) {
                return Err(format!("pseudo-header {} in a request", show(&f.name)));
            }
            if seen.contains(&f.name.as_slice()) {
                return Err(format!("{} twice", show(&f.name)));
            }
            seen.push(&f.name);
        } else {
            regular_seen = true;
        }
    }
    let value = |n: &[u8]| fields.iter().find(|f| f.name == n).map(|f| f.value.clone());
    let method = value(b":method").ok_or("a request without :method")?;
    let connect = method == b"CONNECT" && value(b":protocol").is_none();
    if connect {
        if value(b":scheme").is_some() || value(b":path").is_some() {
            return Err("a CONNECT request with :scheme or :path".into());
        }
        if value(b":authority").is_none() {
            return Err("a CONNECT request without :authority".into());
        }
    } else {
        if value(b":scheme").is_none() || value(b":path").is_none() {
            return Err("a request without :scheme or :path".into());
        }
        if value(b":path").is_some_and(|p| p.is_empty()) {
            return Err("an empty :path".into());
        }
    }
    if value(b":authority").is_some_and(|a| a.contains(&b'@')) {
        return Err(":authority with userinfo".into());
    }
    Ok(method)
}

/// What is wrong with a field by RFC 9113 §8.2.1, if anything.
fn invalid_field(f: &HeaderField) -> Option<String> {
    let name = f.name.strip_prefix(b":").unwrap_or(&f.name);
    if let Some(&b) = name.iter().find(|&&b| b <= 0x20 || b.is_ascii_uppercase() || b >= 0x7f || b == b':') {
        return Some(format!("field name \"{}\" contains 0x{b:02x}", show(&f.name)));
    }
    if f.value.iter().any(|&b| b == 0 || b == b'\r' || b == b'\n') {
        return Some(format!("field {} has a value with NUL, CR or LF", show(&f.name)));
    }
    if f.value.first().is_some_and(|&b| b == b' ' || b == b'\t') || f.value.last().is_some_and(|&b| b == b' ' || b == b'\t') {
        return Some(format!("field {} has a value with leading or trailing whitespace", show(&f.name)));
    }
    None
}

/// Octets as printable text: control and non-ASCII bytes escaped.
fn show(b: &[u8]) -> String {
    b.iter().flat_map(|&c| std::ascii::escape_default(c)).map(char::from).take(200).collect()
}

/// One SETTINGS of ours in flight: its sequence number and parameters (`None` when it
/// did not decode).
type Unacked = (u64, Option<Vec<(SettingId, u32)>>);

/// The last SETTINGS_INITIAL_WINDOW_SIZE of one SETTINGS frame: its value once processed.
fn last_initial_window(params: &[(SettingId, u32)]) -> Option<i64> {
    params.iter().rev().find(|(id, _)| *id == SettingId::INITIAL_WINDOW_SIZE).map(|&(_, v)| i64::from(v))
}
