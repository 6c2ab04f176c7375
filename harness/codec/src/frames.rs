//! The frame-builder DSL shared by cases, tests and fuzz seeds.
//!
//! It reads like the protocol, and it never refuses: every builder can be bent into a
//! violation (stream 0, undefined flags, bad padding, a lying length) because that is what
//! a conformance tester sends.
//!
//! ```
//! use h2probe_codec::{frames, ErrorCode, FrameType};
//! let get = frames::headers(1).request("GET", "/").end_stream().build();
//! let bad_ping = frames::raw(FrameType::PING).stream(1).len(6).payload([0; 6]).build();
//! let bye = frames::goaway(0, ErrorCode::NO_ERROR).build();
//! # let _ = (get, bad_ping, bye);
//! ```

use crate::frame::{
    Continuation, Data, Frame, GoAway, Headers, Ping, Priority, PrioritySpec, PriorityUpdate,
    PushPromise, RawFrame, RstStream, Settings, Unknown, WindowUpdate,
};
use crate::hpack::{self, HeaderField};
use crate::registry::{ErrorCode, FrameType, SettingId, StreamId};

/// DATA on `stream`.
pub fn data(stream: u32, data: impl Into<Vec<u8>>) -> DataBuilder {
    DataBuilder(Data { stream_id: StreamId(stream), end_stream: false, padding: None, data: data.into() })
}

/// HEADERS on `stream`, END_HEADERS set, no fields yet.
pub fn headers(stream: u32) -> HeadersBuilder {
    HeadersBuilder {
        stream_id: StreamId(stream),
        fields: Vec::new(),
        block: None,
        end_stream: false,
        end_headers: true,
        priority: None,
        padding: None,
    }
}

/// CONTINUATION on `stream` carrying `block`, END_HEADERS clear.
pub fn continuation(stream: u32, block: impl Into<Vec<u8>>) -> ContinuationBuilder {
    ContinuationBuilder(Continuation { stream_id: StreamId(stream), end_headers: false, block: block.into() })
}

/// PRIORITY on `stream` depending on `dependency` with wire weight `weight` (0..=255).
pub fn priority(stream: u32, dependency: u32, weight: u8) -> PriorityBuilder {
    PriorityBuilder(Priority {
        stream_id: StreamId(stream),
        spec: PrioritySpec { exclusive: false, dependency: StreamId(dependency), weight },
    })
}

/// RST_STREAM on `stream` with `code`.
pub fn rst_stream(stream: u32, code: ErrorCode) -> Frame {
    Frame::RstStream(RstStream { stream_id: StreamId(stream), code })
}

/// An empty SETTINGS frame (no ACK).
pub fn settings() -> SettingsBuilder {
    SettingsBuilder(Settings::default())
}

/// SETTINGS with the ACK flag and no payload.
pub fn settings_ack() -> Frame {
    Frame::Settings(Settings { ack: true, params: Vec::new() })
}

/// PING with `payload`.
pub fn ping(payload: [u8; 8]) -> PingBuilder {
    PingBuilder(Ping { ack: false, payload })
}

/// GOAWAY naming `last_stream` with `code`.
pub fn goaway(last_stream: u32, code: ErrorCode) -> GoAwayBuilder {
    GoAwayBuilder(GoAway { last_stream_id: StreamId(last_stream), code, debug_data: Vec::new() })
}

/// WINDOW_UPDATE on `stream` (0 = connection) by `increment`.
pub fn window_update(stream: u32, increment: u32) -> Frame {
    Frame::WindowUpdate(WindowUpdate { stream_id: StreamId(stream), increment })
}

/// PUSH_PROMISE on `stream` promising `promised` with an empty block, END_HEADERS set.
pub fn push_promise(stream: u32, promised: u32) -> PushPromiseBuilder {
    PushPromiseBuilder(PushPromise {
        stream_id: StreamId(stream),
        end_headers: true,
        padding: None,
        promised_id: StreamId(promised),
        block: Vec::new(),
    })
}

/// PRIORITY_UPDATE (RFC 9218) for `prioritized` with a Priority Field Value like `u=1`.
pub fn priority_update(prioritized: u32, value: &str) -> Frame {
    Frame::PriorityUpdate(PriorityUpdate { prioritized_id: StreamId(prioritized), field_value: value.as_bytes().to_vec() })
}

/// A frame of an undefined type, which the receiver must ignore (§5.5).
pub fn unknown(kind: u8, stream: u32, payload: impl Into<Vec<u8>>) -> Frame {
    Frame::Unknown(Unknown { kind: FrameType(kind), flags: 0, stream_id: StreamId(stream), payload: payload.into() })
}

/// A raw frame of any type: every header field under the caller's control.
pub fn raw(kind: FrameType) -> RawBuilder {
    RawBuilder(RawFrame::new(kind))
}

/// Builder for DATA.
#[derive(Debug, Clone)]
pub struct DataBuilder(Data);

impl DataBuilder {
    /// Sets END_STREAM.
    pub fn end_stream(mut self) -> Self {
        self.0.end_stream = true;
        self
    }
    /// Sets PADDED with `pad_len` zero octets of padding.
    pub fn padded(mut self, pad_len: u8) -> Self {
        self.0.padding = Some(pad_len);
        self
    }
    /// The typed frame.
    pub fn build(self) -> Frame {
        Frame::Data(self.0)
    }
}

/// Builder for HEADERS: collects fields, encodes them with HPACK on [`HeadersBuilder::build`].
#[derive(Debug, Clone)]
pub struct HeadersBuilder {
    stream_id: StreamId,
    fields: Vec<HeaderField>,
    block: Option<Vec<u8>>,
    end_stream: bool,
    end_headers: bool,
    priority: Option<PrioritySpec>,
    padding: Option<u8>,
}

impl HeadersBuilder {
    /// Adds the four request pseudo-header fields in the canonical order, with `http` and
    /// `localhost` as placeholders for scheme and authority (see [`Self::scheme`],
    /// [`Self::authority`]).
    pub fn request(self, method: &str, path: &str) -> Self {
        self.field(":method", method).field(":scheme", "http").field(":path", path).field(":authority", "localhost")
    }
    /// Adds `:status` (for server-side fixtures).
    pub fn status(self, code: u16) -> Self {
        self.field(":status", code.to_string())
    }
    /// Appends a field, whatever its name or value.
    pub fn field(mut self, name: impl Into<Vec<u8>>, value: impl Into<Vec<u8>>) -> Self {
        self.fields.push(HeaderField::new(name, value));
        self
    }
    /// Appends a field marked never-indexed.
    pub fn sensitive_field(mut self, name: impl Into<Vec<u8>>, value: impl Into<Vec<u8>>) -> Self {
        let mut f = HeaderField::new(name, value);
        f.never_indexed = true;
        self.fields.push(f);
        self
    }
    /// Replaces the value of the first field called `name`, or appends it.
    pub fn set(mut self, name: &str, value: impl Into<Vec<u8>>) -> Self {
        let value = value.into();
        match self.fields.iter_mut().find(|f| f.name == name.as_bytes()) {
            Some(f) => f.value = value,
            None => self.fields.push(HeaderField::new(name, value)),
        }
        self
    }
    /// Removes every field called `name`.
    pub fn without(mut self, name: &str) -> Self {
        self.fields.retain(|f| f.name != name.as_bytes());
        self
    }
    /// Sets `:scheme`.
    pub fn scheme(self, scheme: &str) -> Self {
        self.set(":scheme", scheme)
    }
    /// Sets `:authority`.
    pub fn authority(self, authority: &str) -> Self {
        self.set(":authority", authority)
    }
    /// Appends several fields.
    pub fn fields<I, N, V>(mut self, fields: I) -> Self
    where
        I: IntoIterator<Item = (N, V)>,
        N: Into<Vec<u8>>,
        V: Into<Vec<u8>>,
    {
        self.fields.extend(fields.into_iter().map(|(n, v)| HeaderField::new(n, v)));
        self
    }
    /// Uses `block` verbatim as the field block fragment instead of encoding the fields:
    /// the way to send a deliberately broken HPACK block.
    pub fn block(mut self, block: impl Into<Vec<u8>>) -> Self {
        self.block = Some(block.into());
        self
    }
    /// Sets END_STREAM.
    pub fn end_stream(mut self) -> Self {
        self.end_stream = true;
        self
    }
    /// Clears END_HEADERS: CONTINUATION frames must follow.
    pub fn no_end_headers(mut self) -> Self {
        self.end_headers = false;
        self
    }
    /// Sets the PRIORITY flag and fields.
    pub fn priority(mut self, dependency: u32, weight: u8, exclusive: bool) -> Self {
        self.priority = Some(PrioritySpec { exclusive, dependency: StreamId(dependency), weight });
        self
    }
    /// Sets PADDED with `pad_len` zero octets.
    pub fn padded(mut self, pad_len: u8) -> Self {
        self.padding = Some(pad_len);
        self
    }
    /// The fields collected so far.
    pub fn header_fields(&self) -> &[HeaderField] {
        &self.fields
    }
    /// The field block: the verbatim block if one was given, else the fields encoded
    /// without touching any dynamic table, so no HPACK state is shared with the peer.
    pub fn encoded_block(&self) -> Vec<u8> {
        match &self.block {
            Some(b) => b.clone(),
            None => {
                let mut out = Vec::new();
                hpack::encode_stateless(&self.fields, &mut out);
                out
            }
        }
    }
    /// The typed frame, fields encoded statelessly.
    pub fn build(self) -> Frame {
        let block = self.encoded_block();
        self.with_block(block)
    }
    /// The typed frame, fields encoded with a connection's encoder (dynamic table in use).
    pub fn build_with(self, encoder: &mut hpack::Encoder) -> Frame {
        let block = match &self.block {
            Some(b) => b.clone(),
            None => {
                let mut out = Vec::new();
                encoder.encode(&self.fields, &mut out);
                out
            }
        };
        self.with_block(block)
    }
    /// The field block split into a HEADERS frame and CONTINUATION frames of at most
    /// `fragment` octets each (at least one frame; END_HEADERS only on the last).
    pub fn build_split(self, fragment: usize) -> Vec<Frame> {
        let block = self.encoded_block();
        let fragment = fragment.max(1);
        let mut chunks: Vec<&[u8]> = block.chunks(fragment).collect();
        if chunks.is_empty() {
            chunks.push(&[]);
        }
        let last = chunks.len() - 1;
        let stream = self.stream_id;
        let end_headers = self.end_headers;
        let mut frames = vec![Self { end_headers: last == 0 && end_headers, ..self }.with_block(chunks[0].to_vec())];
        for (i, c) in chunks.iter().enumerate().skip(1) {
            frames.push(Frame::Continuation(Continuation {
                stream_id: stream,
                end_headers: i == last && end_headers,
                block: c.to_vec(),
            }));
        }
        frames
    }

    fn with_block(self, block: Vec<u8>) -> Frame {
        Frame::Headers(Headers {
            stream_id: self.stream_id,
            end_stream: self.end_stream,
            end_headers: self.end_headers,
            priority: self.priority,
            padding: self.padding,
            block,
        })
    }
}

/// Builder for CONTINUATION.
#[derive(Debug, Clone)]
pub struct ContinuationBuilder(Continuation);

impl ContinuationBuilder {
    /// Sets END_HEADERS.
    pub fn end_headers(mut self) -> Self {
        self.0.end_headers = true;
        self
    }
    /// The typed frame.
    pub fn build(self) -> Frame {
        Frame::Continuation(self.0)
    }
}

/// Builder for PRIORITY.
#[derive(Debug, Clone)]
pub struct PriorityBuilder(Priority);

impl PriorityBuilder {
    /// Sets the exclusive bit.
    pub fn exclusive(mut self) -> Self {
        self.0.spec.exclusive = true;
        self
    }
    /// The typed frame.
    pub fn build(self) -> Frame {
        Frame::Priority(self.0)
    }
}

/// Builder for SETTINGS.
#[derive(Debug, Clone)]
pub struct SettingsBuilder(Settings);

impl SettingsBuilder {
    /// Appends a parameter (duplicates and out-of-range values are sent as given).
    pub fn set(mut self, id: SettingId, value: u32) -> Self {
        self.0.params.push((id, value));
        self
    }
    /// Sets the ACK flag (parameters, if any, are still sent: a violation).
    pub fn ack(mut self) -> Self {
        self.0.ack = true;
        self
    }
    /// The typed frame.
    pub fn build(self) -> Frame {
        Frame::Settings(self.0)
    }
}

/// Builder for PING.
#[derive(Debug, Clone)]
pub struct PingBuilder(Ping);

impl PingBuilder {
    /// Sets the ACK flag.
    pub fn ack(mut self) -> Self {
        self.0.ack = true;
        self
    }
    /// The typed frame.
    pub fn build(self) -> Frame {
        Frame::Ping(self.0)
    }
}

/// Builder for GOAWAY.
#[derive(Debug, Clone)]
pub struct GoAwayBuilder(GoAway);

impl GoAwayBuilder {
    /// Sets the debug data.
    pub fn debug(mut self, data: impl Into<Vec<u8>>) -> Self {
        self.0.debug_data = data.into();
        self
    }
    /// The typed frame.
    pub fn build(self) -> Frame {
        Frame::GoAway(self.0)
    }
}

/// Builder for PUSH_PROMISE.
#[derive(Debug, Clone)]
pub struct PushPromiseBuilder(PushPromise);

impl PushPromiseBuilder {
    /// Sets the field block of the promised request.
    pub fn block(mut self, block: impl Into<Vec<u8>>) -> Self {
        self.0.block = block.into();
        self
    }
    /// The typed frame.
    pub fn build(self) -> Frame {
        Frame::PushPromise(self.0)
    }
}

/// Builder for a raw frame.
#[derive(Debug, Clone)]
pub struct RawBuilder(RawFrame);

impl RawBuilder {
    /// Sets all eight flag bits.
    pub fn flags(mut self, flags: u8) -> Self {
        self.0.flags = flags;
        self
    }
    /// Sets the stream id.
    pub fn stream(mut self, stream: u32) -> Self {
        self.0.stream_id = StreamId(stream);
        self
    }
    /// Sets the reserved bit of the stream id field.
    pub fn reserved(mut self) -> Self {
        self.0.reserved = true;
        self
    }
    /// Writes `len` in the length field, whatever the payload's real length.
    pub fn len(mut self, len: u32) -> Self {
        self.0.length = Some(len);
        self
    }
    /// Sets the payload. Without [`Self::len`] the length field matches it.
    pub fn payload(mut self, payload: impl Into<Vec<u8>>) -> Self {
        self.0.payload = payload.into();
        self
    }
    /// The raw frame.
    pub fn build(self) -> RawFrame {
        self.0
    }
}

macro_rules! into_frame {
    ($($b:ty),*) => {$(
        impl From<$b> for Frame {
            fn from(b: $b) -> Frame { b.build() }
        }
    )*};
}
into_frame!(DataBuilder, HeadersBuilder, ContinuationBuilder, PriorityBuilder, SettingsBuilder, PingBuilder, GoAwayBuilder, PushPromiseBuilder);

impl From<RawBuilder> for RawFrame {
    fn from(b: RawBuilder) -> RawFrame {
        b.build()
    }
}
