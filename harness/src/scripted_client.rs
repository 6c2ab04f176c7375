//! A scripted HTTP/2 client that enacts one [`Reaction`] on cue: the peer of the client
//! reaction tests, which prove every client case's expectation against reactions no real
//! client happens to show (a retry on the same connection after GOAWAY, a reset that still
//! reports success, a crash …). It mirrors [`crate::scripted`], the scripted server.
//!
//! Until the cue it is a lenient, conforming client: it writes the client preface and its
//! SETTINGS (push disabled), makes the request its [`Action`] names (a GET; a POST with a
//! content-length and a body sent within the server's windows and frame size; several GETs
//! at once within SETTINGS_MAX_CONCURRENT_STREAMS), acknowledges SETTINGS, answers PINGs,
//! replenishes windows for response DATA and keeps HPACK in step. It never rejects anything:
//! a response that is malformed is taken as one that is not, so "ignore the violation" is
//! simply what it does when not told otherwise. When every request has ended it closes the
//! connection (GOAWAY(NO_ERROR), then FIN) and "exits": status 0 printing the bodies when
//! every request got a final 2xx response that ended with END_STREAM, else status 1.
//!
//! The cue is the last `Send` step of the case's script ([`crate::cue`]): h2probe, playing
//! the server, writes each step in one write; what comes between (its SETTINGS, automatic
//! replies, the PING fence) is served as it comes. The core is sans-IO (bytes in, bytes
//! out); [`ScriptedLauncher`] runs it on a socket as the client under test of a client run.

use crate::case::{body_marker, Action, Case, Ctx, Request, Step};
use crate::conn::ServerSettings;
use crate::cue::{Cue, Piece};
use crate::launch::{Ended, Launch, LaunchError, Launched, Launcher, OUTPUT_LIMIT};
use crate::reaction::Reaction;
use crate::resilience::FloodLimits;
use crate::transport::{Connector, Target, TlsOptions};
use h2probe_codec::frame::{Frame, PREFACE};
use h2probe_codec::hpack::{self, HeaderField};
use h2probe_codec::{frames, ErrorCode, SettingId};
use std::collections::BTreeMap;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::oneshot;
use tokio::time::{timeout_at, Instant};

/// The SETTINGS the scripted client sends: push off, the rest at the RFC's initial values.
pub const CLIENT_SETTINGS: &[(SettingId, u32)] = &[(SettingId::ENABLE_PUSH, 0)];

/// The SETTINGS of a client that allows push, for the cases about pushes (their scripts
/// skip when push is off): tried when a case's script skips with [`CLIENT_SETTINGS`].
pub const PUSH_SETTINGS: &[(SettingId, u32)] = &[(SettingId::ENABLE_PUSH, 1)];

/// Where requests go: the URL's scheme and authority.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// `http` or `https`.
    pub scheme: String,
    /// `host:port`, as in the URL.
    pub authority: String,
}

/// One request the client makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// `:path`.
    pub path: String,
    /// A POST's body; `None` for a GET.
    pub body: Option<Vec<u8>>,
}

/// The fields of a request, as the client encodes them and the server will decode them (a
/// case's script is built on them, so they must be known before the run).
pub fn request_fields(origin: &Origin, job: &Job) -> Vec<HeaderField> {
    let method = if job.body.is_some() { "POST" } else { "GET" };
    let mut fields = vec![
        HeaderField::new(":method", method),
        HeaderField::new(":scheme", origin.scheme.as_str()),
        HeaderField::new(":authority", origin.authority.as_str()),
        HeaderField::new(":path", job.path.as_str()),
    ];
    if let Some(body) = &job.body {
        fields.push(HeaderField::new("content-length", body.len().to_string()));
    }
    fields
}

/// How a connection's run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum End {
    /// Exited with this status.
    Exit(i32),
    /// Ended by this signal (a crash).
    Signal(i32),
}

/// What one connection's run came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The exit of the run, as far as this connection decides it (requests repeated
    /// elsewhere do not count).
    pub end: End,
    /// The bodies of the requests that succeeded (or, delivering regardless, of all).
    pub stdout: Vec<u8>,
    /// What went wrong, one line each.
    pub stderr: String,
    /// Requests to repeat on a new connection.
    pub retry: Vec<Job>,
    /// Drop the socket without closing it cleanly (a crash).
    pub abort: bool,
}

/// Where a retry goes when a request does not succeed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// Nowhere: the failure is reported.
    Never,
    /// A new stream of the same connection, once per request, GOAWAY or not.
    SameConnection,
    /// A new connection, which the shell opens.
    NewConnection,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum JobState {
    /// Not opened yet.
    Waiting,
    /// On this stream.
    Open(u32),
    /// A final response ended with END_STREAM (or a reset with NO_ERROR after it).
    Done { status: u16, body: Vec<u8> },
    /// Reset, refused or cut off.
    Failed(String),
}

#[derive(Debug, Default)]
struct Stream {
    /// The request it carries; `None` for a stream the server pushed.
    job: Option<usize>,
    status: Option<u16>,
    body: Vec<u8>,
    /// The request body still to send.
    to_send: Vec<u8>,
    sent_end: bool,
    send_window: i64,
    /// Reset by either side: frames on it are dropped.
    reset: bool,
}

/// The client's behaviour on one connection, without I/O: bytes in, bytes out.
pub struct Core {
    origin: Origin,
    jobs: Vec<Job>,
    state: Vec<JobState>,
    attempts: Vec<u32>,
    reaction: Reaction,
    cue: Cue,
    out: Vec<u8>,
    parse: Vec<u8>,
    decoder: hpack::Decoder,
    encoder: hpack::Encoder,
    streams: BTreeMap<u32, Stream>,
    next_stream: u32,
    settings_received: bool,
    peer_initial_window: i64,
    peer_max_frame: usize,
    peer_max_streams: Option<u32>,
    conn_window: i64,
    goaway: Option<u32>,
    goaway_sent: bool,
    block: Option<(u32, bool, Vec<u8>)>,
    echo_acks: Option<bool>,
    retry: Retry,
    hang: bool,
    peer_closed: bool,
    outcome: Option<Outcome>,
    log: Vec<String>,
    push: bool,
    /// The highest stream the server pushed: the last stream id of our GOAWAY.
    last_pushed: u32,
}

impl Core {
    /// A client for one connection that makes `jobs` and enacts `reaction` once the last of
    /// `segments` (the bytes of each `Send` step of the script, in order) has arrived.
    pub fn new(origin: Origin, jobs: Vec<Job>, segments: Vec<Vec<u8>>, reaction: Reaction) -> Core {
        Core::with(origin, jobs, Cue::new(segments, 0), reaction, CLIENT_SETTINGS)
    }

    /// A client for one connection that makes `jobs`, sends `settings` and enacts
    /// `reaction` on `cue`.
    pub fn with(origin: Origin, jobs: Vec<Job>, cue: Cue, reaction: Reaction, settings: &[(SettingId, u32)]) -> Core {
        let n = jobs.len();
        let push = settings.iter().rev().find(|(id, _)| *id == SettingId::ENABLE_PUSH).is_none_or(|&(_, v)| v != 0);
        let mut core = Core {
            origin,
            jobs,
            state: vec![JobState::Waiting; n],
            attempts: vec![0; n],
            reaction,
            cue,
            out: Vec::new(),
            parse: Vec::new(),
            decoder: hpack::Decoder::new(),
            encoder: hpack::Encoder::new(),
            streams: BTreeMap::new(),
            next_stream: 1,
            settings_received: false,
            peer_initial_window: 65_535,
            peer_max_frame: 16_384,
            peer_max_streams: None,
            conn_window: 65_535,
            goaway: None,
            goaway_sent: false,
            block: None,
            echo_acks: None,
            retry: Retry::Never,
            hang: false,
            peer_closed: false,
            outcome: None,
            log: Vec::new(),
            push,
            last_pushed: 0,
        };
        if reaction == Reaction::NoServerPreface {
            core.log.push("closed without writing a preface".into());
            core.end(End::Exit(1), false);
            return core;
        }
        core.out.extend_from_slice(PREFACE);
        if reaction == Reaction::FirstFrameNotSettings {
            frames::window_update(0, 1).encode(&mut core.out);
        }
        let mut frame = frames::settings();
        for &(id, v) in settings {
            frame = frame.set(id, v);
        }
        frame.build().encode(&mut core.out);
        // The first request goes with the preface, as most clients send it; the others wait
        // for the server's SETTINGS (its limit on streams).
        if !core.jobs.is_empty() {
            core.open(0);
        }
        core
    }

    /// A client for a further connection: no cue, the lenient client, retrying as `retry`.
    pub fn retrying(origin: Origin, jobs: Vec<Job>, retry: Retry, settings: &[(SettingId, u32)]) -> Core {
        let mut core = Core::with(origin, jobs, Cue::new(Vec::new(), 0), Reaction::Ignore, settings);
        core.retry = retry;
        core
    }

    /// Takes what the client has to write.
    pub fn take_output(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.out)
    }

    /// How the run ended, once it has: the shell then closes the connection (after writing
    /// the output) and reports it.
    pub fn outcome(&self) -> Option<&Outcome> {
        self.outcome.as_ref()
    }

    /// Whether the cue has arrived (for the shell's diagnostics).
    pub fn cue_reached(&self) -> bool {
        self.cue.reached()
    }

    /// Feeds bytes from the server.
    pub fn receive(&mut self, bytes: &[u8]) {
        self.cue.push(bytes);
        while self.outcome.is_none() {
            match self.cue.next_piece() {
                Some(Piece::Pass(_)) if self.hang => {}
                Some(Piece::Pass(bytes)) => self.feed(&bytes),
                Some(Piece::Cue(bytes)) => self.trigger(&bytes),
                None => break,
            }
        }
        self.progress();
    }

    /// The transport ended (EOF, a reset, a failed write): every request still open failed.
    pub fn peer_closed(&mut self) {
        if self.peer_closed {
            return;
        }
        self.peer_closed = true;
        if !self.cue.reached() {
            self.log.push("the connection ended before the case's last frames arrived".into());
        }
        for i in 0..self.jobs.len() {
            if matches!(self.state[i], JobState::Open(_) | JobState::Waiting) {
                self.state[i] = JobState::Failed("the connection closed before the response ended".into());
            }
        }
        self.progress();
    }

    fn trigger(&mut self, bytes: &[u8]) {
        match self.reaction {
            Reaction::Ignore
            | Reaction::NoSettingsAck
            | Reaction::FirstFrameNotSettings
            | Reaction::NoServerPreface
            | Reaction::NoSizeUpdate
            | Reaction::IgnoreFlowControl => self.feed(bytes),
            // A server's reactions: no client row names them (the reaction test checks).
            Reaction::Respond(..) | Reaction::RespondThenReset(..) | Reaction::RespondOpen(..) => self.feed(bytes),
            Reaction::GoAway(c) => {
                self.send_goaway(c);
                self.log.push(format!("sent GOAWAY({c})"));
                self.end(End::Exit(1), false);
            }
            Reaction::GoAwayOpen(c) => {
                self.send_goaway(c);
                self.log.push(format!("sent GOAWAY({c})"));
            }
            Reaction::Close => {
                self.log.push("closed the connection".into());
                self.end(End::Exit(1), false);
            }
            Reaction::Reset(s, c) => {
                self.reset(s, c);
                self.feed(bytes);
            }
            Reaction::ResetThenGoAway(s, c, g) => {
                self.reset(s, c);
                self.send_goaway(g);
                self.end(End::Exit(1), false);
            }
            Reaction::ResetThenClose(s, c) => {
                self.reset(s, c);
                self.end(End::Exit(1), false);
            }
            Reaction::Drop => {}
            Reaction::EchoAcks | Reaction::PingBack => {
                self.echo_acks = Some(self.reaction == Reaction::EchoAcks);
                self.feed(bytes);
            }
            Reaction::RetryNewConnection | Reaction::RetryForever => {
                self.retry = Retry::NewConnection;
                self.feed(bytes);
                if self.state.iter().any(|s| matches!(s, JobState::Failed(_))) {
                    // Leave at once: everything not yet done goes to the new connection.
                    self.finish();
                }
            }
            Reaction::RetrySameConnection => {
                self.retry = Retry::SameConnection;
                for i in 0..self.jobs.len() {
                    if let JobState::Failed(why) = &self.state[i] {
                        let why = why.clone();
                        self.retry_here(i, why);
                    }
                }
                self.feed(bytes);
            }
            Reaction::GiveUp => {
                self.log.push("gave up".into());
                self.end(End::Exit(1), false);
            }
            // Stuck: nothing is processed or answered from here on, and the run never ends.
            Reaction::Hang => self.hang = true,
            Reaction::Crash => {
                self.log.push("Segmentation fault".into());
                self.end(End::Signal(11), true);
            }
            Reaction::Deliver => {
                self.feed(bytes);
                self.deliver();
            }
            Reaction::ResetAndDeliver(s, c) => {
                self.feed(bytes);
                self.reset(s, c);
                self.deliver();
            }
        }
    }

    /// Parses and processes bytes in order, with a cursor (see [`crate::scripted`]'s feed).
    fn feed(&mut self, bytes: &[u8]) {
        self.parse.extend_from_slice(bytes);
        let mut at = 0;
        while self.outcome.is_none() && !self.hang {
            let Some((decoded, total)) = crate::cue::next_frame(&self.parse[at..]) else { break };
            at += total;
            // A lenient client: a frame that does not decode is dropped.
            if let Ok(f) = decoded {
                self.on_frame(f);
            }
        }
        self.parse.drain(..at);
    }

    fn on_frame(&mut self, f: Frame) {
        match f {
            Frame::Settings(s) if !s.ack => {
                for &(id, v) in &s.params {
                    match id {
                        SettingId::INITIAL_WINDOW_SIZE => {
                            let delta = i64::from(v) - self.peer_initial_window;
                            self.peer_initial_window = i64::from(v);
                            for st in self.streams.values_mut() {
                                st.send_window += delta;
                            }
                        }
                        SettingId::HEADER_TABLE_SIZE if self.reaction != Reaction::NoSizeUpdate => {
                            self.encoder.set_max_table_size(v as usize)
                        }
                        SettingId::MAX_FRAME_SIZE if (16_384..=16_777_215).contains(&v) => self.peer_max_frame = v as usize,
                        SettingId::MAX_CONCURRENT_STREAMS => self.peer_max_streams = Some(v),
                        _ => {}
                    }
                }
                self.settings_received = true;
                if self.reaction != Reaction::NoSettingsAck {
                    frames::settings_ack().encode(&mut self.out);
                }
            }
            Frame::Ping(p) if !p.ack => frames::ping(p.payload).ack().build().encode(&mut self.out),
            Frame::Ping(p) => match self.echo_acks {
                Some(true) => frames::ping(p.payload).ack().build().encode(&mut self.out),
                Some(false) => frames::ping(p.payload).build().encode(&mut self.out),
                None => {}
            },
            Frame::Headers(h) => {
                if h.end_headers {
                    self.field_block(h.stream_id.0, h.end_stream, &h.block);
                } else {
                    self.block = Some((h.stream_id.0, h.end_stream, h.block));
                }
            }
            Frame::PushPromise(p) => {
                // With push on, the promised stream is taken and its response read (and
                // dropped); with push off this client notices nothing. The block is decoded
                // either way, to keep the table in step.
                let promised = p.promised_id.0;
                if self.push && !self.streams.contains_key(&promised) {
                    self.last_pushed = self.last_pushed.max(promised);
                    self.streams.insert(promised, Stream::default());
                }
                if p.end_headers {
                    self.field_block(0, false, &p.block);
                } else {
                    self.block = Some((0, false, p.block));
                }
            }
            Frame::Continuation(c) => {
                if let Some((s, _, block)) = &mut self.block {
                    if *s == c.stream_id.0 || *s == 0 {
                        block.extend_from_slice(&c.block);
                        if c.end_headers {
                            if let Some((s, end, block)) = self.block.take() {
                                self.field_block(s, end, &block);
                            }
                        }
                    }
                }
            }
            Frame::Data(d) => {
                let id = d.stream_id.0;
                let n = d.flow_len() as u32;
                let open = self.streams.get(&id).is_some_and(|st| !st.reset);
                if n > 0 {
                    frames::window_update(0, n).encode(&mut self.out);
                    if !d.end_stream && open {
                        frames::window_update(id, n).encode(&mut self.out);
                    }
                }
                if let Some(st) = self.streams.get_mut(&id).filter(|st| !st.reset) {
                    let room = OUTPUT_LIMIT.saturating_sub(st.body.len());
                    st.body.extend_from_slice(&d.data[..d.data.len().min(room)]);
                    if d.end_stream {
                        self.response_end(id);
                    }
                }
            }
            Frame::WindowUpdate(w) => {
                let inc = i64::from(w.increment);
                if w.stream_id.0 == 0 {
                    self.conn_window += inc;
                } else if let Some(st) = self.streams.get_mut(&w.stream_id.0) {
                    st.send_window += inc;
                }
            }
            Frame::RstStream(r) => {
                let id = r.stream_id.0;
                let Some(st) = self.streams.get_mut(&id) else { return };
                if st.reset {
                    return;
                }
                st.reset = true;
                let Some(job) = st.job else { return };
                // "A server can send a complete response prior to the client sending an
                // entire request": NO_ERROR after it only stops the upload (§8.1).
                if matches!(self.state[job], JobState::Done { .. }) {
                    return;
                }
                let why = format!("stream {id} reset by the server ({})", r.code);
                self.fail(job, why);
            }
            Frame::GoAway(g) => {
                let last = g.last_stream_id.0;
                self.goaway = Some(self.goaway.map_or(last, |l| l.min(last)));
                let refused: Vec<(u32, usize)> = self
                    .streams
                    .iter()
                    .filter(|(&id, st)| id > last && !st.reset)
                    .filter_map(|(&id, st)| st.job.map(|j| (id, j)))
                    .collect();
                for (id, job) in refused {
                    if let Some(st) = self.streams.get_mut(&id) {
                        st.reset = true;
                    }
                    if matches!(self.state[job], JobState::Open(s) if s == id) {
                        self.fail(job, format!("stream {id} refused by GOAWAY({}, last stream {last})", g.code));
                    }
                }
            }
            _ => {}
        }
    }

    /// A complete field block on `stream` (0 for a pushed one): decoded whatever it is, so
    /// the table stays in step, and taken as a response if it is on a request's stream.
    fn field_block(&mut self, stream: u32, end_stream: bool, block: &[u8]) {
        let mut status = None;
        // A block that does not decode is taken as a response all the same: this client
        // notices nothing. Its status, if it was decoded before the error, counts.
        let _ = self.decoder.decode_with(block, |f| {
            if f.name == b":status" {
                status = std::str::from_utf8(&f.value).ok().and_then(|s| s.parse::<u16>().ok());
            }
        });
        let Some(st) = self.streams.get_mut(&stream).filter(|st| !st.reset) else { return };
        if st.status.is_none() {
            // No :status (or none that reads) is taken for 200.
            let s = status.unwrap_or(200);
            if (100..200).contains(&s) && !end_stream {
                return; // interim
            }
            st.status = Some(s);
        }
        if end_stream {
            self.response_end(stream);
        }
    }

    fn response_end(&mut self, stream: u32) {
        let Some(st) = self.streams.get_mut(&stream) else { return };
        let (status, body) = (st.status.unwrap_or(200), std::mem::take(&mut st.body));
        let Some(job) = st.job else { return };
        if matches!(self.state[job], JobState::Open(s) if s == stream) {
            self.state[job] = JobState::Done { status, body };
        }
    }

    /// Our reset of `stream` (a reaction): the request on it failed.
    fn reset(&mut self, stream: u32, code: ErrorCode) {
        frames::rst_stream(stream, code).encode(&mut self.out);
        self.log.push(format!("reset stream {stream} ({code})"));
        if let Some(st) = self.streams.get_mut(&stream) {
            st.reset = true;
            if let Some(job) = st.job.filter(|&j| matches!(self.state[j], JobState::Open(_))) {
                self.state[job] = JobState::Failed(format!("stream {stream} reset ({code})"));
            }
        }
    }

    fn send_goaway(&mut self, code: ErrorCode) {
        frames::goaway(self.last_pushed, code).build().encode(&mut self.out);
        self.goaway_sent = true;
    }

    /// A request failed: repeated here when the reaction says so, else reported.
    fn fail(&mut self, job: usize, why: String) {
        if self.retry == Retry::SameConnection {
            self.retry_here(job, why);
        } else {
            self.state[job] = JobState::Failed(why);
        }
    }

    fn retry_here(&mut self, job: usize, why: String) {
        if self.attempts[job] == 0 && !self.peer_closed {
            self.log.push(format!("{why}; repeating the request on a new stream"));
            self.attempts[job] += 1;
            self.state[job] = JobState::Waiting;
        } else {
            self.state[job] = JobState::Failed(why);
        }
    }

    fn open_streams(&self) -> usize {
        self.state.iter().filter(|s| matches!(s, JobState::Open(_))).count()
    }

    fn open(&mut self, job: usize) {
        let id = self.next_stream;
        self.next_stream += 2;
        let fields = request_fields(&self.origin, &self.jobs[job]);
        let mut block = Vec::new();
        self.encoder.encode(&fields, &mut block);
        let body = self.jobs[job].body.clone().unwrap_or_default();
        let mut h = frames::headers(id).block(block);
        if body.is_empty() {
            h = h.end_stream();
        }
        h.build().encode(&mut self.out);
        let sent_end = body.is_empty();
        self.streams.insert(id, Stream { job: Some(job), to_send: body, sent_end, send_window: self.peer_initial_window, ..Stream::default() });
        self.state[job] = JobState::Open(id);
    }

    /// Opens what may be opened, sends what may be sent, and ends the run when every
    /// request has ended.
    fn progress(&mut self) {
        if self.outcome.is_some() {
            return;
        }
        let may_open = !self.peer_closed && (self.goaway.is_none() || self.retry == Retry::SameConnection);
        while may_open && self.settings_received {
            let limit = self.peer_max_streams.map_or(usize::MAX, |m| m as usize);
            let Some(job) = self.state.iter().position(|s| *s == JobState::Waiting) else { break };
            if self.open_streams() >= limit {
                break;
            }
            self.open(job);
        }
        if self.settings_received && !self.peer_closed {
            self.send_data();
        }
        let all_ended = self.state.iter().all(|s| matches!(s, JobState::Done { .. } | JobState::Failed(_)));
        let stuck = self.state.contains(&JobState::Waiting) && !may_open && self.open_streams() == 0;
        if !self.hang && (all_ended || stuck) {
            if stuck {
                for s in self.state.iter_mut().filter(|s| **s == JobState::Waiting) {
                    *s = JobState::Failed("not sent: the server sent GOAWAY first".into());
                }
            }
            self.finish();
        }
    }

    fn send_data(&mut self) {
        let ignore = self.reaction == Reaction::IgnoreFlowControl;
        let ids: Vec<u32> = self.streams.keys().copied().collect();
        for id in ids {
            loop {
                let (conn, max) = (self.conn_window, self.peer_max_frame);
                let Some(st) = self.streams.get_mut(&id) else { break };
                if st.sent_end || st.reset {
                    break;
                }
                let room = if ignore { st.to_send.len() } else { st.send_window.min(conn).max(0) as usize };
                let n = st.to_send.len().min(room).min(max);
                if n == 0 && !st.to_send.is_empty() {
                    break;
                }
                let chunk: Vec<u8> = st.to_send.drain(..n).collect();
                st.send_window -= n as i64;
                self.conn_window -= n as i64;
                let mut d = frames::data(id, chunk);
                if st.to_send.is_empty() {
                    st.sent_end = true;
                    d = d.end_stream();
                }
                d.build().encode(&mut self.out);
            }
        }
    }

    /// Every request has ended (or can go no further here): the run's result.
    fn finish(&mut self) {
        let mut retry = Vec::new();
        let mut ok = true;
        let mut stdout = Vec::new();
        for (i, s) in self.state.iter().enumerate() {
            match s {
                JobState::Done { status, body } if (200..300).contains(status) => stdout.extend_from_slice(body),
                JobState::Done { status, .. } => {
                    self.log.push(format!("{}: the server answered {status}", self.jobs[i].path));
                    ok = false;
                }
                JobState::Failed(_) | JobState::Waiting | JobState::Open(_) if self.retry == Retry::NewConnection => {
                    retry.push(self.jobs[i].clone())
                }
                JobState::Failed(why) => {
                    self.log.push(format!("{}: {why}", self.jobs[i].path));
                    ok = false;
                }
                JobState::Waiting | JobState::Open(_) => ok = false,
            }
        }
        if !retry.is_empty() {
            self.log.push(format!("repeating {} request(s) on a new connection", retry.len()));
        }
        if !self.peer_closed && !self.goaway_sent {
            self.send_goaway(ErrorCode::NO_ERROR);
        }
        self.end(End::Exit(if ok { 0 } else { 1 }), false);
        if let Some(o) = &mut self.outcome {
            o.stdout = stdout;
            o.retry = retry;
        }
    }

    /// Reports success with whatever body arrived, complete or not.
    fn deliver(&mut self) {
        let mut stdout = Vec::new();
        for (i, s) in self.state.iter().enumerate() {
            match s {
                JobState::Done { body, .. } => stdout.extend_from_slice(body),
                _ => {
                    if let Some(st) = self.streams.values().find(|st| st.job == Some(i)) {
                        stdout.extend_from_slice(&st.body);
                    }
                }
            }
        }
        self.end(End::Exit(0), false);
        if let Some(o) = &mut self.outcome {
            o.stdout = stdout;
        }
    }

    fn end(&mut self, end: End, abort: bool) {
        if self.outcome.is_some() {
            return;
        }
        let stderr = self.log.iter().map(|l| format!("h2probe scripted client: {l}\n")).collect();
        self.outcome = Some(Outcome { end, stdout: Vec::new(), stderr, retry: Vec::new(), abort });
    }
}

/// How long the scripted client lingers after closing: long enough to read what was in
/// flight (so the kernel does not answer it with a reset that overtakes our last frames),
/// and a process's exit is seen by its parent after its sockets are closed.
const LINGER: Duration = Duration::from_millis(30);

/// Runs `core` on `io` until it ends, the server closes, or `deadline` passes (`None`).
async fn drive<S: AsyncRead + AsyncWrite + Unpin>(mut io: S, mut core: Core, deadline: Instant) -> Option<Outcome> {
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let out = core.take_output();
        if !out.is_empty() && !matches!(timeout_at(deadline, io.write_all(&out)).await, Ok(Ok(()))) {
            if Instant::now() >= deadline {
                return None;
            }
            core.peer_closed();
            continue;
        }
        if let Some(o) = core.outcome().cloned() {
            if o.abort {
                drop(io);
            } else {
                let _ = timeout_at(deadline, io.shutdown()).await;
                let linger = deadline.min(Instant::now() + LINGER);
                while let Ok(Ok(n)) = timeout_at(linger, io.read(&mut buf)).await {
                    if n == 0 {
                        break;
                    }
                }
                drop(io);
            }
            tokio::time::sleep_until(deadline.min(Instant::now() + LINGER)).await;
            return Some(o);
        }
        if core.peer_closed {
            // Nothing more can come, and the core does not end (it hangs).
            tokio::time::sleep_until(deadline).await;
            return None;
        }
        match timeout_at(deadline, io.read(&mut buf)).await {
            Err(_) => return None,
            Ok(Ok(0)) | Ok(Err(_)) => core.peer_closed(),
            Ok(Ok(n)) => core.receive(&buf[..n]),
        }
    }
}

/// One run of the scripted client: what to fetch and how to behave.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The URL of the first request (its scheme and authority are every request's).
    pub url: String,
    /// Every request.
    pub jobs: Vec<Job>,
    /// Where the reaction comes: the last `Send` step of the case's script, or the first
    /// frame when the script has none.
    pub cue: Cue,
    /// What it does on cue.
    pub reaction: Reaction,
    /// Its SETTINGS.
    pub settings: Vec<(SettingId, u32)>,
    /// When it stops by itself, as a `timeout` wrapper would (exit status 124).
    pub limit: Duration,
}

/// The exit status of a run that reached its own time limit, as GNU `timeout` reports it:
/// a failure, not a crash.
pub const TIMED_OUT: i32 = 124;

/// Why a plan cannot run.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// A URL the client cannot use.
    #[error("the scripted client cannot use the URL {0:?}")]
    Url(String),
}

/// Splits `scheme://authority/path` without normalising anything, so the fields sent are
/// exactly those a case's script was built on.
fn split_url(url: &str) -> Result<(Origin, String), PlanError> {
    let bad = || PlanError::Url(url.to_string());
    let (scheme, rest) = url.split_once("://").ok_or_else(bad)?;
    if scheme != "http" && scheme != "https" {
        return Err(bad());
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    Ok((Origin { scheme: scheme.to_string(), authority: authority.to_string() }, path.to_string()))
}

impl Plan {
    /// The requests of `launch`: one GET, one POST of `len` octets, or a GET per URL. The
    /// body is generated, not read from the launch's file: the reaction tests run the rows
    /// of one case at once, and the client run names that file after the case, so one row
    /// may remove or rewrite it while another reads it. The octets are the same.
    pub fn jobs_of(launch: &Launch) -> Result<Vec<Job>, PlanError> {
        let paths: Vec<String> = launch.urls.iter().map(|u| split_url(u).map(|(_, p)| p)).collect::<Result<_, _>>()?;
        let first = paths.first().cloned().ok_or_else(|| PlanError::Url(String::new()))?;
        Ok(match launch.action {
            Action::Get => vec![Job { path: first, body: None }],
            Action::Post(len) => {
                let body = (0..len).map(|i| b"h2probe upload\n"[i as usize % 15]).collect();
                vec![Job { path: first, body: Some(body) }]
            }
            Action::Parallel(_) => paths.into_iter().map(|path| Job { path, body: None }).collect(),
        })
    }

    /// Runs the plan: the case's connection, then any connection a retry opens. The result
    /// is what a process would leave: its exit and its output.
    pub async fn run(self) -> Ended {
        let deadline = Instant::now() + self.limit;
        let timed_out = |stdout: Vec<u8>, stderr: String| Ended {
            code: Some(TIMED_OUT),
            signal: None,
            stdout,
            stderr: format!("{stderr}h2probe scripted client: stopped at its time limit\n").into_bytes(),
        };
        let failed = |stderr: String| Ended { code: Some(1), signal: None, stdout: Vec::new(), stderr: stderr.into_bytes() };
        let (origin, _) = match split_url(&self.url) {
            Ok(o) => o,
            Err(e) => return failed(e.to_string()),
        };
        let target = match Target::parse(&self.url) {
            Ok(t) => t,
            Err(e) => return failed(format!("h2probe scripted client: {e}\n")),
        };
        let connector = match Connector::new(&target, &TlsOptions { insecure: true, ..TlsOptions::default() }) {
            Ok(c) => c,
            Err(e) => return failed(format!("h2probe scripted client: {e}\n")),
        };
        let (mut stdout, mut stderr, mut code) = (Vec::new(), String::new(), 0);
        let mut core = Core::with(origin.clone(), self.jobs, self.cue, self.reaction, &self.settings);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let io = match connector.connect(left).await {
                Ok(io) => io,
                Err(e) if Instant::now() >= deadline => return timed_out(stdout, format!("{stderr}h2probe scripted client: {e}\n")),
                Err(e) => {
                    stderr.push_str(&format!("h2probe scripted client: {e}\n"));
                    return Ended { code: Some(1), signal: None, stdout, stderr: stderr.into_bytes() };
                }
            };
            let Some(o) = drive(io, core, deadline).await else { return timed_out(stdout, stderr) };
            stdout.extend_from_slice(&o.stdout);
            stderr.push_str(&o.stderr);
            match o.end {
                End::Signal(s) => return Ended { code: None, signal: Some(s), stdout, stderr: stderr.into_bytes() },
                End::Exit(c) => code = code.max(c),
            }
            if o.retry.is_empty() {
                stdout.truncate(OUTPUT_LIMIT);
                return Ended { code: Some(code), signal: None, stdout, stderr: stderr.into_bytes() };
            }
            // The case's connection retries once elsewhere; only a client that retries
            // forever goes on retrying from there.
            let again = if self.reaction == Reaction::RetryForever { Retry::NewConnection } else { Retry::Never };
            core = Core::retrying(origin.clone(), o.retry, again, &self.settings);
        }
    }
}

/// The scripted client as the client under test of a client run: each launch runs a
/// [`Plan`] in a task of its own, playing `case` with `reaction` on cue.
#[derive(Debug, Clone)]
pub struct ScriptedLauncher {
    case: Option<&'static Case>,
    reaction: Reaction,
    limits: FloodLimits,
    limit: Duration,
}

/// How long a scripted run may take at most, when not stopped first.
pub const DEFAULT_LIMIT: Duration = Duration::from_secs(30);

impl ScriptedLauncher {
    /// Plays `case`, enacting `reaction` when the last `Send` step of its script arrives.
    pub fn new(case: &'static Case, reaction: Reaction) -> ScriptedLauncher {
        ScriptedLauncher { case: Some(case), reaction, limits: FloodLimits::default(), limit: DEFAULT_LIMIT }
    }

    /// The lenient client with no cue: it makes its request and takes what comes.
    pub fn lenient() -> ScriptedLauncher {
        ScriptedLauncher { case: None, reaction: Reaction::Ignore, limits: FloodLimits::default(), limit: DEFAULT_LIMIT }
    }

    /// The run's time limit (the run stops by itself then, as if killed).
    pub fn with_limit(mut self, limit: Duration) -> ScriptedLauncher {
        self.limit = limit;
        self
    }

    /// The flood bounds the run's scripts see (as in [`crate::runner::RunOptions::limits`]).
    pub fn with_flood_limits(mut self, limits: FloodLimits) -> ScriptedLauncher {
        self.limits = limits;
        self
    }

    /// The plan for one launch: the case's script is built on the context the client run
    /// will build it on (the request the client is about to make, its SETTINGS), so the
    /// steps' bytes, the cue, are known before the client connects. A script that skips
    /// with push off is tried with push on (the push cases need a client that allows it).
    pub fn plan(&self, launch: &Launch) -> Result<Plan, PlanError> {
        let url = launch.urls.first().cloned().ok_or_else(|| PlanError::Url(String::new()))?;
        let jobs = Plan::jobs_of(launch)?;
        let mut chosen = (Cue::new(Vec::new(), 0), CLIENT_SETTINGS);
        if let Some(case) = self.case {
            for settings in [CLIENT_SETTINGS, PUSH_SETTINGS] {
                let ctx = self.expected_ctx(case, &url, launch, &jobs, settings)?;
                if let Ok(script) = (case.script)(&ctx) {
                    let segments = segments_of(&script);
                    let cue = if segments.is_empty() { Cue::on_first_frame(0) } else { Cue::new(segments, 0) };
                    chosen = (cue, settings);
                    break;
                }
            }
        }
        let (cue, settings) = chosen;
        Ok(Plan { url, jobs, cue, reaction: self.reaction, settings: settings.to_vec(), limit: self.limit })
    }

    fn expected_ctx(&self, case: &Case, url: &str, launch: &Launch, jobs: &[Job], settings: &[(SettingId, u32)]) -> Result<Ctx, PlanError> {
        let (origin, _) = split_url(url)?;
        let scheme = if origin.scheme == "https" { "https" } else { "http" };
        let (request, server) = match jobs.first() {
            Some(job) if case.setup.handshake => {
                let request = Request {
                    stream: 1,
                    method: if job.body.is_some() { "POST" } else { "GET" }.into(),
                    path: job.path.clone(),
                    end_stream: job.body.as_ref().is_none_or(|b| b.is_empty()),
                    fields: request_fields(&origin, job),
                };
                let mut server = ServerSettings::from_params(settings);
                server.first_frame_was_settings = self.reaction != Reaction::FirstFrameNotSettings;
                (Some(request), server)
            }
            _ => (None, ServerSettings::default()),
        };
        Ok(Ctx {
            scheme,
            authority: format!("{}:{}", launch.host, launch.port),
            path: launch.path.clone(),
            server,
            limits: self.limits,
            request,
            marker: body_marker(case.id).into_bytes(),
        })
    }
}

/// The bytes of each `Send` step of a script, in order.
pub fn segments_of(script: &crate::case::Script) -> Vec<Vec<u8>> {
    script
        .steps
        .iter()
        .filter_map(|s| match s {
            // Frame by frame, not octet by octet: a hostile step is 32 MiB.
            Step::Send(outs) => Some(outs.iter().fold(Vec::new(), |mut b, o| {
                b.extend_from_slice(&o.to_bytes());
                b
            })),
            _ => None,
        })
        .collect()
}

impl Launcher for ScriptedLauncher {
    fn launch(&self, launch: &Launch) -> Result<Launched, LaunchError> {
        let (tx, ended) = oneshot::channel();
        let (stop_tx, stop_rx) = oneshot::channel::<()>();
        let (me, launch) = (self.clone(), launch.clone());
        tokio::spawn(async move {
            // A hostile case's script is megabytes of frames: built off the runtime's
            // workers, as a process would build its request in its own time.
            let run = async {
                match tokio::task::spawn_blocking(move || me.plan(&launch)).await {
                    Ok(Ok(plan)) => plan.run().await,
                    Ok(Err(e)) => Ended { code: Some(1), signal: None, stdout: Vec::new(), stderr: e.to_string().into_bytes() },
                    Err(e) => Ended { code: None, signal: Some(6), stdout: Vec::new(), stderr: e.to_string().into_bytes() },
                }
            };
            // Stopping, or dropping the handle, ends the run as SIGKILL ends a process.
            let e = tokio::select! {
                e = run => e,
                _ = stop_rx => Ended { code: None, signal: Some(9), stdout: Vec::new(), stderr: Vec::new() },
            };
            let _ = tx.send(e);
        });
        let mut stop_tx = Some(stop_tx);
        let stop = Box::new(move || {
            if let Some(tx) = stop_tx.take() {
                let _ = tx.send(());
            }
        });
        Ok(Launched { ended, stop, pid: None })
    }

    fn supports(&self, _: Action) -> bool {
        true
    }

    fn describe(&self) -> String {
        match self.case {
            Some(case) => format!("the scripted client ({}: {})", case.id, self.reaction),
            None => "the scripted client".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use h2probe_codec::frame::Frame;

    fn frames_of(bytes: &[u8]) -> Vec<Frame> {
        let mut out = Vec::new();
        let mut rest = bytes;
        while let Ok(Some((f, n))) = Frame::decode_bytes(rest) {
            out.push(f);
            rest = &rest[n..];
        }
        out
    }

    fn origin() -> Origin {
        Origin { scheme: "http".into(), authority: "127.0.0.1:1".into() }
    }

    fn get() -> Vec<Job> {
        vec![Job { path: "/a".into(), body: None }]
    }

    fn server_settings(params: &[(SettingId, u32)]) -> Vec<u8> {
        let mut s = frames::settings();
        for &(id, v) in params {
            s = s.set(id, v);
        }
        s.build().to_bytes()
    }

    fn response(stream: u32, status: u16, body: &[u8]) -> Vec<u8> {
        let mut b = frames::headers(stream).status(status).build().to_bytes();
        frames::data(stream, body.to_vec()).end_stream().build().encode(&mut b);
        b
    }

    /// The frames after the client preface's magic.
    fn written(core: &mut Core) -> Vec<Frame> {
        let out = core.take_output();
        let rest = out.strip_prefix(&PREFACE[..]).unwrap_or(&out);
        frames_of(rest)
    }

    #[test]
    fn opens_with_preface_settings_and_the_request_then_takes_the_response() {
        let mut core = Core::new(origin(), get(), vec![], Reaction::Ignore);
        let out = core.take_output();
        assert!(out.starts_with(PREFACE));
        let fs = frames_of(&out[PREFACE.len()..]);
        assert!(matches!(&fs[0], Frame::Settings(s) if s.get(SettingId::ENABLE_PUSH) == Some(0)), "{fs:?}");
        let Frame::Headers(h) = &fs[1] else { panic!("{fs:?}") };
        assert!(h.end_stream && h.stream_id.0 == 1);
        let fields = hpack::Decoder::new().decode(&h.block).expect("decodes");
        assert_eq!(fields, request_fields(&origin(), &get()[0]));
        core.receive(&server_settings(&[]));
        assert!(matches!(written(&mut core).as_slice(), [Frame::Settings(s)] if s.ack));
        core.receive(&frames::ping(*b"pingpong").build().to_bytes());
        assert!(matches!(written(&mut core).as_slice(), [Frame::Ping(p)] if p.ack));
        core.receive(&response(1, 200, b"hello"));
        let o = core.outcome().expect("ended").clone();
        assert_eq!((o.end, o.stdout.as_slice()), (End::Exit(0), &b"hello"[..]));
        let fs = written(&mut core);
        assert!(fs.iter().any(|f| matches!(f, Frame::GoAway(g) if g.code == ErrorCode::NO_ERROR)), "{fs:?}");
    }

    #[test]
    fn a_post_body_respects_the_windows_and_the_frame_size() {
        let jobs = vec![Job { path: "/p".into(), body: Some(vec![b'x'; 100_000]) }];
        let mut core = Core::new(origin(), jobs, vec![], Reaction::Ignore);
        let fs = written(&mut core);
        assert!(!fs.iter().any(|f| matches!(f, Frame::Data(_))), "no body before the server's SETTINGS");
        let data = |core: &mut Core, bytes: Vec<u8>| -> Vec<(usize, bool)> {
            core.receive(&bytes);
            written(core).iter().filter_map(|f| if let Frame::Data(d) = f { Some((d.data.len(), d.end_stream)) } else { None }).collect()
        };
        let d = data(&mut core, server_settings(&[(SettingId::INITIAL_WINDOW_SIZE, 20_000)]));
        assert_eq!(d, vec![(16_384, false), (3_616, false)], "the stream window, in frames of at most 16 384");
        let d = data(&mut core, frames::window_update(1, 50_000).to_bytes());
        assert_eq!(d, vec![(16_384, false), (16_384, false), (12_767, false)], "then the connection window binds");
        let d = data(&mut core, frames::window_update(0, 100_000).to_bytes());
        assert_eq!(d, vec![(4_465, false)], "then the stream window again");
        let d = data(&mut core, frames::window_update(1, 100_000).to_bytes());
        assert_eq!(d, vec![(16_384, false), (13_616, true)], "END_STREAM on the last");
    }

    #[test]
    fn parallel_requests_wait_for_the_settings_and_respect_the_stream_limit() {
        let jobs: Vec<Job> = (1..=3).map(|i| Job { path: format!("/m/{i}"), body: None }).collect();
        let mut core = Core::new(origin(), jobs, vec![], Reaction::Ignore);
        let fs = frames_of(&core.take_output()[PREFACE.len()..]);
        assert_eq!(fs.iter().filter(|f| matches!(f, Frame::Headers(_))).count(), 1, "one request before the server's SETTINGS");
        core.receive(&server_settings(&[(SettingId::MAX_CONCURRENT_STREAMS, 2)]));
        let opened: Vec<u32> = written(&mut core).iter().filter_map(|f| if let Frame::Headers(h) = f { Some(h.stream_id.0) } else { None }).collect();
        assert_eq!(opened, vec![3], "two at once");
        core.receive(&response(1, 200, b"one "));
        let opened: Vec<u32> = written(&mut core).iter().filter_map(|f| if let Frame::Headers(h) = f { Some(h.stream_id.0) } else { None }).collect();
        assert_eq!(opened, vec![5]);
        core.receive(&response(5, 200, b"three"));
        core.receive(&response(3, 200, b"two "));
        let o = core.outcome().expect("ended");
        assert_eq!((&o.end, o.stdout.as_slice()), (&End::Exit(0), &b"one two three"[..]), "bodies in the order of the requests");
    }

    #[test]
    fn holds_the_cue_and_enacts_the_reaction() {
        let bad = frames::headers(1).status(200).field("Upper", "x").build().to_bytes();
        let mut core = Core::new(origin(), get(), vec![bad.clone()], Reaction::Reset(1, ErrorCode::PROTOCOL_ERROR));
        core.take_output();
        core.receive(&server_settings(&[]));
        core.take_output();
        core.receive(&bad[..4]);
        assert!(core.take_output().is_empty(), "half the cue: nothing yet");
        core.receive(&bad[4..]);
        let fs = written(&mut core);
        assert!(matches!(fs.first(), Some(Frame::RstStream(r)) if r.code == ErrorCode::PROTOCOL_ERROR), "{fs:?}");
        assert_eq!(core.outcome().map(|o| o.end.clone()), Some(End::Exit(1)), "its only request failed");
    }

    #[test]
    fn ignoring_takes_a_malformed_response_and_hpack_stays_in_step() {
        // The server indexes a field in one block and refers to it in the next.
        let mut enc = hpack::Encoder::new();
        let jobs: Vec<Job> = (1..=2).map(|i| Job { path: format!("/m/{i}"), body: None }).collect();
        let mut core = Core::new(origin(), jobs, vec![], Reaction::Ignore);
        core.take_output();
        core.receive(&server_settings(&[]));
        let mut b = frames::headers(1).status(200).field("x-index-me", "1").build_with(&mut enc).to_bytes();
        frames::data(1, b"a".to_vec()).end_stream().build().encode(&mut b);
        let mut b2 = frames::headers(3).field("x-index-me", "1").build_with(&mut enc).to_bytes();
        frames::data(3, b"b".to_vec()).end_stream().build().encode(&mut b2);
        core.receive(&b);
        core.receive(&b2);
        let o = core.outcome().expect("ended");
        assert_eq!((&o.end, o.stdout.as_slice()), (&End::Exit(0), &b"ab"[..]), "no :status taken for 200: {o:?}");
        assert_eq!(core.decoder.table().len(), 1);
    }

    #[test]
    fn a_refusal_is_retried_as_the_reaction_says() {
        let refuse = frames::rst_stream(1, ErrorCode::REFUSED_STREAM).to_bytes();
        // On a new stream of the same connection.
        let mut core = Core::new(origin(), get(), vec![refuse.clone()], Reaction::RetrySameConnection);
        core.take_output();
        core.receive(&server_settings(&[]));
        core.take_output();
        core.receive(&refuse);
        assert!(written(&mut core).iter().any(|f| matches!(f, Frame::Headers(h) if h.stream_id.0 == 3)));
        core.receive(&response(3, 200, b"ok"));
        assert_eq!(core.outcome().map(|o| (o.end.clone(), o.stdout.clone())), Some((End::Exit(0), b"ok".to_vec())));
        // After GOAWAY, on a new stream all the same (what §6.8 forbids).
        let goaway = frames::goaway(0, ErrorCode::NO_ERROR).build().to_bytes();
        let mut core = Core::new(origin(), get(), vec![goaway.clone()], Reaction::RetrySameConnection);
        core.receive(&server_settings(&[]));
        core.take_output();
        core.receive(&goaway);
        assert!(written(&mut core).iter().any(|f| matches!(f, Frame::Headers(h) if h.stream_id.0 == 3)));
        // On a new connection: the request goes back to the shell.
        let mut core = Core::new(origin(), get(), vec![goaway.clone()], Reaction::RetryNewConnection);
        core.receive(&server_settings(&[]));
        core.receive(&goaway);
        assert_eq!(core.outcome().map(|o| o.retry.clone()), Some(get()));
        // The lenient client opens nothing after a GOAWAY and reports the failure.
        let mut core = Core::new(origin(), get(), vec![], Reaction::Ignore);
        core.receive(&server_settings(&[]));
        core.take_output();
        core.receive(&goaway);
        assert!(!written(&mut core).iter().any(|f| matches!(f, Frame::Headers(_))));
        assert_eq!(core.outcome().map(|o| o.end.clone()), Some(End::Exit(1)));
    }

    #[test]
    fn crash_hang_deliver_and_the_output_variants() {
        let partial = {
            let mut b = frames::headers(1).status(200).build().to_bytes();
            frames::data(1, b"part".to_vec()).build().encode(&mut b);
            frames::rst_stream(1, ErrorCode::INTERNAL_ERROR).encode(&mut b);
            b
        };
        let run = |reaction: Reaction| {
            let mut core = Core::new(origin(), get(), vec![partial.clone()], reaction);
            core.receive(&server_settings(&[]));
            core.receive(&partial);
            core
        };
        let o = run(Reaction::Crash).outcome().cloned().expect("ended");
        assert_eq!((o.end, o.abort), (End::Signal(11), true));
        assert!(run(Reaction::Hang).outcome().is_none(), "a hang never ends");
        let mut hung = run(Reaction::Hang);
        hung.peer_closed();
        assert!(hung.outcome().is_none(), "not even when the server closes");
        let o = run(Reaction::Deliver).outcome().cloned().expect("ended");
        assert_eq!((o.end, o.stdout), (End::Exit(0), b"part".to_vec()), "success reported on a reset response");
        let o = run(Reaction::Ignore).outcome().cloned().expect("ended");
        assert_eq!(o.end, End::Exit(1), "the lenient client reports the reset");

        let mut core = Core::new(origin(), get(), vec![], Reaction::NoSettingsAck);
        core.take_output();
        core.receive(&server_settings(&[]));
        assert!(written(&mut core).is_empty(), "no ACK");
        let mut core = Core::new(origin(), get(), vec![], Reaction::FirstFrameNotSettings);
        assert!(matches!(written(&mut core).first(), Some(Frame::WindowUpdate(_))));
        let core = Core::new(origin(), get(), vec![], Reaction::NoServerPreface);
        assert_eq!(core.outcome().map(|o| o.end.clone()), Some(End::Exit(1)));
    }

    #[test]
    fn with_push_on_a_pushed_response_is_read_and_dropped() {
        let mut core = Core::with(origin(), get(), Cue::new(vec![], 0), Reaction::Ignore, PUSH_SETTINGS);
        core.take_output();
        core.receive(&server_settings(&[]));
        let promise = frames::push_promise(1, 2).block(frames::headers(2).request("GET", "/pushed").encoded_block()).build().to_bytes();
        core.receive(&promise);
        core.receive(&response(2, 200, b"pushed"));
        assert!(core.outcome().is_none(), "a push is not the response");
        core.receive(&response(1, 200, b"mine"));
        let o = core.outcome().expect("ended").clone();
        assert_eq!((o.end, o.stdout.as_slice()), (End::Exit(0), &b"mine"[..]));
        let fs = written(&mut core);
        assert!(fs.iter().any(|f| matches!(f, Frame::GoAway(g) if g.last_stream_id.0 == 2)), "our GOAWAY names the push: {fs:?}");
    }

    #[test]
    fn without_steps_the_reaction_comes_on_the_first_frame() {
        let jobs = vec![Job { path: "/p".into(), body: Some(vec![b'x'; 4096]) }];
        let mut core = Core::with(origin(), jobs, Cue::on_first_frame(0), Reaction::Close, CLIENT_SETTINGS);
        core.take_output();
        core.receive(&server_settings(&[(SettingId::INITIAL_WINDOW_SIZE, 1000)]));
        assert_eq!(core.outcome().map(|o| o.end.clone()), Some(End::Exit(1)));
        assert!(written(&mut core).is_empty(), "closed at once: no ACK, no body");
    }

    #[test]
    fn urls_are_split_without_normalising() {
        let (o, p) = split_url("https://[::1]:8443/rfc9113/8.1/x%2f/../y").expect("splits");
        assert_eq!((o.scheme.as_str(), o.authority.as_str(), p.as_str()), ("https", "[::1]:8443", "/rfc9113/8.1/x%2f/../y"));
        assert!(split_url("ftp://x/").is_err());
    }
}
