//! A scripted HTTP/2 server on loopback that enacts one [`Reaction`] on cue: the peer of
//! the reaction tests, which prove every case's expectation against reactions no real
//! server happens to show (a generic code, a response before the reset, a dropped PING …).
//!
//! Until the cue it is a lenient, conforming server: it answers every request with 200 and
//! a body, respects the client's flow-control windows, acknowledges SETTINGS and PINGs, and
//! keeps HPACK in step (including the §4.3.1 size update). It never rejects anything, so
//! "ignore the violation" is simply what it does when not told otherwise.
//!
//! The cue is the last `Send` step of the case's script: the test hands the server the bytes
//! of every `Send` step, which the client writes contiguously; bytes between them (the
//! handshake, automatic replies, the PING fence) are served as they come. The frames of the
//! last step are held until all of them have arrived, then the reaction replaces or
//! accompanies their normal processing. [`crate::cue`] does the cutting, for the scripted
//! client too.

use crate::cue::{Cue, Piece};
use crate::reaction::Reaction;
use h2probe_codec::frame::{Frame, Head, HEAD_LEN, PREFACE};
use h2probe_codec::hpack::{self, HeaderField};
use h2probe_codec::{frames, FrameType, SettingId};
use std::collections::{BTreeMap, HashSet};
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::time::{timeout_at, Instant};

/// What the scripted server advertises and serves.
#[derive(Debug, Clone)]
pub struct Profile {
    /// Its SETTINGS frame.
    pub settings: Vec<(SettingId, u32)>,
    /// Octets of every response body.
    pub body: usize,
}

impl Default for Profile {
    fn default() -> Profile {
        Profile {
            settings: vec![
                (SettingId::MAX_CONCURRENT_STREAMS, 100),
                (SettingId::INITIAL_WINDOW_SIZE, 65_535),
                (SettingId::MAX_FRAME_SIZE, 16_384),
                (SettingId::MAX_HEADER_LIST_SIZE, 65_536),
                (SettingId::ENABLE_CONNECT_PROTOCOL, 1),
                (SettingId::NO_RFC7540_PRIORITIES, 1),
            ],
            body: 32 * 1024,
        }
    }
}

impl Profile {
    /// The profiles reaction tests try in turn, until a case's script builds: the default
    /// (every feature a case may need), then one whose stream window is smaller than a
    /// frame and that does not enable extended CONNECT (for the cases that need exactly that).
    pub fn all() -> Vec<Profile> {
        let small = Profile {
            settings: vec![
                (SettingId::MAX_CONCURRENT_STREAMS, 100),
                (SettingId::INITIAL_WINDOW_SIZE, 8_192),
                (SettingId::MAX_FRAME_SIZE, 16_384),
                (SettingId::NO_RFC7540_PRIORITIES, 1),
            ],
            body: 32 * 1024,
        };
        vec![Profile::default(), small]
    }
}

#[derive(Debug, Default)]
struct Stream {
    request_done: bool,
    answered: bool,
    reset: bool,
    head: bool,
    send_window: i64,
    body_left: usize,
}

/// The server's behaviour, without I/O: bytes in, bytes out.
pub struct Core {
    profile: Profile,
    reaction: Reaction,
    cue: Cue,
    parse: Vec<u8>,
    preface_left: usize,
    out: Vec<u8>,
    closed: bool,
    suppress_all: bool,
    suppressed: HashSet<u32>,
    echo_acks: Option<bool>,
    decoder: hpack::Decoder,
    encoder: hpack::Encoder,
    client_initial_window: i64,
    conn_window: i64,
    client_max_frame: usize,
    streams: BTreeMap<u32, Stream>,
    block: Option<(u32, bool, Vec<u8>)>,
    max_stream: u32,
    triggered: bool,
}

impl Core {
    /// A server for one connection that enacts `reaction` once the last of `segments` (the
    /// bytes of each `Send` step of the script, in order) has arrived.
    pub fn new(profile: Profile, segments: Vec<Vec<u8>>, reaction: Reaction) -> Core {
        let mut core = Core {
            profile,
            reaction,
            cue: Cue::new(segments, PREFACE.len()),
            parse: Vec::new(),
            preface_left: PREFACE.len(),
            out: Vec::new(),
            closed: false,
            suppress_all: false,
            suppressed: HashSet::new(),
            echo_acks: None,
            decoder: hpack::Decoder::new(),
            encoder: hpack::Encoder::new(),
            client_initial_window: 65_535,
            conn_window: 65_535,
            client_max_frame: 16_384,
            streams: BTreeMap::new(),
            block: None,
            max_stream: 0,
            triggered: false,
        };
        if reaction == Reaction::NoServerPreface {
            core.closed = true;
            return core;
        }
        if reaction == Reaction::FirstFrameNotSettings {
            frames::window_update(0, 1).encode(&mut core.out);
        }
        let mut settings = frames::settings();
        for &(id, v) in &core.profile.settings {
            settings = settings.set(id, v);
        }
        settings.build().encode(&mut core.out);
        core
    }

    /// Whether the server has closed the connection.
    pub fn closed(&self) -> bool {
        self.closed
    }

    /// Takes what the server has to write.
    pub fn take_output(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.out)
    }

    /// Feeds bytes from the client.
    pub fn receive(&mut self, bytes: &[u8]) {
        self.cue.push(bytes);
        while !self.closed {
            match self.cue.next_piece() {
                Some(Piece::Pass(bytes)) => self.feed(&bytes),
                Some(Piece::Cue(bytes)) => self.trigger(&bytes),
                None => return,
            }
        }
    }

    fn trigger(&mut self, bytes: &[u8]) {
        self.triggered = true;
        let last = self.max_stream;
        match self.reaction {
            Reaction::Ignore
            | Reaction::NoSettingsAck
            | Reaction::FirstFrameNotSettings
            | Reaction::NoServerPreface
            | Reaction::NoSizeUpdate
            | Reaction::IgnoreFlowControl => self.feed(bytes),
            // Reactions of a client under test: a server enacts none of them.
            Reaction::RetryNewConnection
            | Reaction::RetrySameConnection
            | Reaction::GiveUp
            | Reaction::RetryForever
            | Reaction::Hang
            | Reaction::Crash
            | Reaction::Deliver
            | Reaction::ResetAndDeliver(..) => self.feed(bytes),
            Reaction::GoAway(c) => {
                frames::goaway(last, c).build().encode(&mut self.out);
                self.closed = true;
            }
            Reaction::GoAwayOpen(c) => frames::goaway(last, c).build().encode(&mut self.out),
            Reaction::Close => self.closed = true,
            Reaction::Reset(s, c) => {
                frames::rst_stream(s, c).encode(&mut self.out);
                self.suppressed.insert(s);
                self.feed(bytes);
            }
            Reaction::ResetThenGoAway(s, c, g) => {
                frames::rst_stream(s, c).encode(&mut self.out);
                frames::goaway(last.max(s), g).build().encode(&mut self.out);
                self.closed = true;
            }
            Reaction::ResetThenClose(s, c) => {
                frames::rst_stream(s, c).encode(&mut self.out);
                self.closed = true;
            }
            Reaction::Respond(s, status) => {
                self.suppressed.insert(s);
                self.write_headers(s, status, true);
                self.feed(bytes);
            }
            Reaction::RespondThenReset(s, status, c) => {
                self.suppressed.insert(s);
                self.write_headers(s, status, false);
                frames::rst_stream(s, c).encode(&mut self.out);
                self.feed(bytes);
            }
            Reaction::RespondOpen(s, status) => {
                self.suppressed.insert(s);
                self.write_headers(s, status, false);
                self.feed(bytes);
            }
            Reaction::Drop => {}
            Reaction::EchoAcks | Reaction::PingBack => {
                self.echo_acks = Some(self.reaction == Reaction::EchoAcks);
                self.feed(bytes);
            }
        }
    }

    /// Parses and serves bytes in order: the preface, then frames. A cursor walks the
    /// buffer and what was used goes once at the end: a step of 20,000 small frames would
    /// otherwise move the rest of the buffer once per frame.
    fn feed(&mut self, bytes: &[u8]) {
        self.parse.extend_from_slice(bytes);
        let mut at = 0;
        while !self.closed {
            if self.preface_left > 0 {
                let n = self.preface_left.min(self.parse.len() - at);
                at += n;
                self.preface_left -= n;
                if self.preface_left > 0 {
                    break;
                }
                continue;
            }
            let Some((decoded, total)) = crate::cue::next_frame(&self.parse[at..]) else { break };
            at += total;
            // A lenient server: a frame that does not decode is dropped.
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
                            let delta = i64::from(v) - self.client_initial_window;
                            self.client_initial_window = i64::from(v);
                            for st in self.streams.values_mut() {
                                st.send_window += delta;
                            }
                        }
                        SettingId::HEADER_TABLE_SIZE if self.reaction != Reaction::NoSizeUpdate => {
                            self.encoder.set_max_table_size(v as usize)
                        }
                        SettingId::MAX_FRAME_SIZE if (16_384..=16_777_215).contains(&v) => self.client_max_frame = v as usize,
                        _ => {}
                    }
                }
                if self.reaction != Reaction::NoSettingsAck {
                    frames::settings_ack().encode(&mut self.out);
                }
                self.send_data();
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
            Frame::Continuation(c) => {
                if let Some((s, _, block)) = &mut self.block {
                    if *s == c.stream_id.0 {
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
                let n = d.flow_len() as u32;
                if n > 0 {
                    frames::window_update(0, n).encode(&mut self.out);
                    if !d.end_stream {
                        frames::window_update(d.stream_id.0, n).encode(&mut self.out);
                    }
                }
                if d.end_stream {
                    self.request_done(d.stream_id.0);
                }
            }
            Frame::WindowUpdate(w) => {
                let inc = i64::from(w.increment);
                if w.stream_id.0 == 0 {
                    self.conn_window += inc;
                } else if let Some(st) = self.streams.get_mut(&w.stream_id.0) {
                    st.send_window += inc;
                }
                self.send_data();
            }
            Frame::RstStream(r) => {
                if let Some(st) = self.streams.get_mut(&r.stream_id.0) {
                    st.reset = true;
                }
            }
            _ => {}
        }
    }

    fn field_block(&mut self, stream: u32, end_stream: bool, block: &[u8]) {
        // A block that does not decode is taken as a request all the same: this server
        // notices nothing.
        let fields = self.decoder.decode(block).unwrap_or_default();
        let head = fields.iter().any(|f| f.name == b":method" && f.value == b"HEAD");
        if !self.streams.contains_key(&stream) {
            self.max_stream = self.max_stream.max(stream);
            let window = self.client_initial_window;
            self.streams.insert(stream, Stream { head, send_window: window, ..Stream::default() });
        }
        if end_stream {
            self.request_done(stream);
        }
    }

    fn request_done(&mut self, stream: u32) {
        let suppressed = self.suppress_all || self.suppressed.contains(&stream);
        let body = self.profile.body;
        let Some(st) = self.streams.get_mut(&stream) else { return };
        if st.request_done || suppressed || st.reset {
            st.request_done = true;
            return;
        }
        st.request_done = true;
        st.answered = true;
        let head = st.head;
        st.body_left = if head { 0 } else { body };
        self.write_headers(stream, 200, head || body == 0);
        self.send_data();
    }

    fn write_headers(&mut self, stream: u32, status: u16, end_stream: bool) {
        let fields = [
            HeaderField::new(":status", status.to_string()),
            HeaderField::new("content-type", "text/plain"),
            HeaderField::new("content-length", self.profile.body.to_string()),
        ];
        let mut block = Vec::new();
        self.encoder.encode(&fields, &mut block);
        let mut h = frames::headers(stream).block(block);
        if end_stream {
            h = h.end_stream();
        }
        h.build().encode(&mut self.out);
    }

    fn send_data(&mut self) {
        let ignore = self.reaction == Reaction::IgnoreFlowControl;
        let ids: Vec<u32> = self.streams.keys().copied().collect();
        for id in ids {
            loop {
                let (conn, max) = (self.conn_window, self.client_max_frame);
                let Some(st) = self.streams.get_mut(&id) else { break };
                if st.body_left == 0 || st.reset {
                    break;
                }
                let room = if ignore { st.body_left } else { st.send_window.min(conn).max(0) as usize };
                let n = st.body_left.min(room).min(max);
                if n == 0 {
                    break;
                }
                st.body_left -= n;
                st.send_window -= n as i64;
                self.conn_window -= n as i64;
                let mut d = frames::data(id, vec![b'x'; n]);
                if st.body_left == 0 {
                    d = d.end_stream();
                }
                d.build().encode(&mut self.out);
            }
        }
    }
}

/// A scripted server listening on 127.0.0.1, in cleartext (h2c) or over TLS with ALPN h2
/// and a self-signed certificate generated at start.
pub struct Scripted {
    listener: TcpListener,
    addr: SocketAddr,
    tls: Option<tokio_rustls::TlsAcceptor>,
}

/// The TLS listener could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum ScriptedError {
    /// Binding the port failed.
    #[error("cannot listen on 127.0.0.1: {0}")]
    Bind(#[from] std::io::Error),
    /// Generating the certificate or the TLS configuration failed.
    #[error("cannot set up TLS: {0}")]
    Tls(String),
}

/// A TLS acceptor with ALPN h2 and a fresh self-signed certificate for localhost and
/// 127.0.0.1 (clients of the scripted server accept it insecurely or pin it).
pub fn self_signed_acceptor() -> Result<tokio_rustls::TlsAcceptor, ScriptedError> {
    crate::transport::accept::self_signed().map_err(|e| ScriptedError::Tls(e.to_string()))
}

impl Scripted {
    /// Binds an ephemeral port on 127.0.0.1 (h2c).
    pub async fn bind() -> Result<Scripted, ScriptedError> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        Ok(Scripted { listener, addr, tls: None })
    }

    /// Binds an ephemeral port on 127.0.0.1 that speaks TLS with ALPN h2.
    pub async fn bind_tls() -> Result<Scripted, ScriptedError> {
        let mut s = Scripted::bind().await?;
        s.tls = Some(self_signed_acceptor()?);
        Ok(s)
    }

    /// `host:port`, the `:authority` a client sends.
    pub fn authority(&self) -> String {
        self.addr.to_string()
    }

    /// The server's URL: `http://…` (h2c) or `https://…` (TLS).
    pub fn url(&self) -> String {
        let scheme = if self.tls.is_some() { "https" } else { "http" };
        format!("{scheme}://{}/", self.addr)
    }

    /// Serves one connection with `core`, for at most `limit`; then stops by itself.
    pub fn serve(self, core: Core, limit: Duration) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let deadline = Instant::now() + limit;
            let Ok(Ok((sock, _))) = timeout_at(deadline, self.listener.accept()).await else { return };
            match self.tls {
                None => serve_io(sock, core, deadline).await,
                Some(acceptor) => {
                    if let Ok(Ok(tls)) = timeout_at(deadline, acceptor.accept(sock)).await {
                        serve_io(tls, core, deadline).await;
                    }
                }
            }
        })
    }
}

/// Serves one connection until the core closes it, the client does, or `deadline` passes.
async fn serve_io<S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin>(mut sock: S, mut core: Core, deadline: Instant) {
    {
        {
            let mut buf = vec![0u8; 64 * 1024];
            loop {
                let out = core.take_output();
                if !out.is_empty() && timeout_at(deadline, sock.write_all(&out)).await.map_or(true, |r| r.is_err()) {
                    return;
                }
                if core.closed() {
                    break;
                }
                match timeout_at(deadline, sock.read(&mut buf)).await {
                    Ok(Ok(n)) if n > 0 => core.receive(&buf[..n]),
                    _ => return,
                }
            }
            // Close cleanly: FIN after what was written, then drain, so the kernel does not
            // answer unread data with a reset that could overtake the GOAWAY.
            let _ = sock.shutdown().await;
            let drain_until = deadline.min(Instant::now() + Duration::from_millis(500));
            while let Ok(Ok(n)) = timeout_at(drain_until, sock.read(&mut buf)).await {
                if n == 0 {
                    break;
                }
            }
        }
    }
}

/// Whether the bytes end with a complete frame of `kind` (for tests of the core).
pub fn ends_with_frame(bytes: &[u8], kind: FrameType) -> bool {
    let mut rest = bytes;
    let mut last = None;
    while let Some(h) = Head::parse(rest) {
        let n = HEAD_LEN + h.length as usize;
        if rest.len() < n {
            return false;
        }
        last = Some(h.kind);
        rest = &rest[n..];
    }
    last == Some(kind)
}

#[cfg(test)]
mod tests {
    use super::*;
    use h2probe_codec::frame::Frame;
    use h2probe_codec::ErrorCode;

    fn frames_of(bytes: &[u8]) -> Vec<Frame> {
        let mut out = Vec::new();
        let mut rest = bytes;
        while let Ok(Some((f, n))) = Frame::decode_bytes(rest) {
            out.push(f);
            rest = &rest[n..];
        }
        out
    }

    fn handshake() -> Vec<u8> {
        let mut b = PREFACE.to_vec();
        frames::settings().build().encode(&mut b);
        b
    }

    #[test]
    fn serves_a_get_with_a_flow_controlled_body() {
        let get = frames::headers(1).request("GET", "/").scheme("http").authority("a").end_stream().build().to_bytes();
        let mut core = Core::new(Profile { body: 70_000, ..Profile::default() }, vec![get.clone()], Reaction::Ignore);
        core.receive(&handshake());
        core.receive(&get);
        let out = frames_of(&core.take_output());
        let data: usize = out.iter().filter_map(|f| if let Frame::Data(d) = f { Some(d.data.len()) } else { None }).sum();
        assert_eq!(data, 65_535, "the body stops at the initial window");
        core.receive(&frames::window_update(0, 10_000).to_bytes());
        core.receive(&frames::window_update(1, 10_000).to_bytes());
        let out = frames_of(&core.take_output());
        assert!(out.iter().any(|f| matches!(f, Frame::Data(d) if d.end_stream)), "{out:?}");
    }

    #[test]
    fn holds_the_last_segment_and_enacts_the_reaction() {
        let get = frames::headers(1).request("GET", "/").scheme("http").authority("a").end_stream().build().to_bytes();
        let mut core = Core::new(Profile::default(), vec![get.clone()], Reaction::Reset(1, ErrorCode::PROTOCOL_ERROR));
        core.receive(&handshake());
        core.take_output();
        core.receive(&get[..5]);
        assert!(core.take_output().is_empty(), "half a segment: nothing yet");
        core.receive(&get[5..]);
        let out = frames_of(&core.take_output());
        assert!(matches!(out.as_slice(), [Frame::RstStream(r)] if r.code == ErrorCode::PROTOCOL_ERROR), "{out:?}");
        core.receive(&frames::ping(*b"h2pfence").build().to_bytes());
        assert!(ends_with_frame(&core.take_output(), FrameType::PING), "the fence after the trigger is answered");
    }
}
