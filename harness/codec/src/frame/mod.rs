//! HTTP/2 frames (RFC 9113 §4, §6; RFC 9218 §7.1).
//!
//! [`Frame`] is the strict typed view: decoding enforces the per-type rules of §6 and
//! reports violations as [`FrameError`], whose [`FrameError::consequence`] is the single
//! mapping to the RFC's connection or stream error. [`RawFrame`] encodes anything.
//! [`FrameDecoder`] cuts frames out of a byte stream incrementally, bounded by the
//! advertised SETTINGS_MAX_FRAME_SIZE so a hostile length field cannot make it buffer more.

mod continuation;
mod data;
mod error;
pub mod flags;
mod goaway;
mod head;
mod headers;
mod padding;
mod ping;
mod priority;
mod priority_update;
mod push_promise;
mod raw;
mod rst_stream;
mod settings;
mod window_update;

pub use continuation::Continuation;
pub use data::Data;
pub use error::{carries_field_block, Consequence, FrameError};
pub use goaway::GoAway;
pub use head::{Head, DEFAULT_MAX_FRAME_SIZE, HEAD_LEN, MAX_LENGTH_FIELD, MAX_MAX_FRAME_SIZE};
pub use headers::{Headers, PrioritySpec};
pub use ping::Ping;
pub use priority::Priority;
pub use priority_update::PriorityUpdate;
pub use push_promise::PushPromise;
pub use raw::RawFrame;
pub use rst_stream::RstStream;
pub use settings::{check_value as check_setting_value, Settings};
pub use window_update::WindowUpdate;

use crate::registry::{FrameType, StreamId};
use core::fmt;

/// The client connection preface (RFC 9113 §3.4), sent before the first SETTINGS.
pub const PREFACE: &[u8; 24] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/// A frame of a type this codec does not interpret. "Implementations MUST ignore and
/// discard frames of unknown types" (§5.5), so it is kept whole for the transcript.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Unknown {
    /// The type byte.
    pub kind: FrameType,
    /// Flags as received.
    pub flags: u8,
    /// Stream id.
    pub stream_id: StreamId,
    /// Payload as received.
    pub payload: Vec<u8>,
}

/// A frame that decoded under the rules of RFC 9113.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum Frame {
    /// §6.1
    Data(Data),
    /// §6.2
    Headers(Headers),
    /// §6.3
    Priority(Priority),
    /// §6.4
    RstStream(RstStream),
    /// §6.5
    Settings(Settings),
    /// §6.6
    PushPromise(PushPromise),
    /// §6.7
    Ping(Ping),
    /// §6.8
    GoAway(GoAway),
    /// §6.9
    WindowUpdate(WindowUpdate),
    /// §6.10
    Continuation(Continuation),
    /// RFC 9218 §7.1
    PriorityUpdate(PriorityUpdate),
    /// Any other type, including the RFC 7838/8336 ones this codec does not parse.
    Unknown(Unknown),
}

impl Frame {
    /// Decodes one frame from its head and exactly `head.length` payload bytes.
    pub fn decode(head: &Head, payload: &[u8]) -> Result<Frame, FrameError> {
        Ok(match head.kind {
            FrameType::DATA => Frame::Data(Data::decode(head, payload)?),
            FrameType::HEADERS => Frame::Headers(Headers::decode(head, payload)?),
            FrameType::PRIORITY => Frame::Priority(Priority::decode(head, payload)?),
            FrameType::RST_STREAM => Frame::RstStream(RstStream::decode(head, payload)?),
            FrameType::SETTINGS => Frame::Settings(Settings::decode(head, payload)?),
            FrameType::PUSH_PROMISE => Frame::PushPromise(PushPromise::decode(head, payload)?),
            FrameType::PING => Frame::Ping(Ping::decode(head, payload)?),
            FrameType::GOAWAY => Frame::GoAway(GoAway::decode(head, payload)?),
            FrameType::WINDOW_UPDATE => Frame::WindowUpdate(WindowUpdate::decode(head, payload)?),
            FrameType::CONTINUATION => Frame::Continuation(Continuation::decode(head, payload)?),
            FrameType::PRIORITY_UPDATE => Frame::PriorityUpdate(PriorityUpdate::decode(head, payload)?),
            kind => Frame::Unknown(Unknown {
                kind,
                flags: head.flags,
                stream_id: head.stream_id,
                payload: payload.to_vec(),
            }),
        })
    }

    /// Decodes one complete frame (header and payload) from the start of `buf`.
    /// Convenience for tests and seeds; streams should use [`FrameDecoder`].
    pub fn decode_bytes(buf: &[u8]) -> Result<Option<(Frame, usize)>, FrameError> {
        match FrameDecoder::new().with_max_frame_size(MAX_LENGTH_FIELD).next_raw(buf)? {
            Some((head, payload)) => Ok(Some((Frame::decode(&head, payload)?, HEAD_LEN + payload.len()))),
            None => Ok(None),
        }
    }

    /// The header this frame encodes with.
    pub fn head(&self) -> Head {
        match self {
            Frame::Data(f) => f.head(),
            Frame::Headers(f) => f.head(),
            Frame::Priority(f) => f.head(),
            Frame::RstStream(f) => f.head(),
            Frame::Settings(f) => f.head(),
            Frame::PushPromise(f) => f.head(),
            Frame::Ping(f) => f.head(),
            Frame::GoAway(f) => f.head(),
            Frame::WindowUpdate(f) => f.head(),
            Frame::Continuation(f) => f.head(),
            Frame::PriorityUpdate(f) => f.head(),
            Frame::Unknown(f) => Head {
                length: f.payload.len() as u32,
                kind: f.kind,
                flags: f.flags,
                reserved: false,
                stream_id: f.stream_id,
            },
        }
    }

    /// Appends the encoded frame. Encoding never fails and never checks validity: a typed
    /// frame with stream 0 or an oversized payload is written as asked.
    pub fn encode(&self, dst: &mut Vec<u8>) {
        let head = self.head();
        dst.reserve(HEAD_LEN + head.length as usize);
        head.encode(dst);
        match self {
            Frame::Data(f) => f.encode_payload(dst),
            Frame::Headers(f) => f.encode_payload(dst),
            Frame::Priority(f) => f.encode_payload(dst),
            Frame::RstStream(f) => f.encode_payload(dst),
            Frame::Settings(f) => f.encode_payload(dst),
            Frame::PushPromise(f) => f.encode_payload(dst),
            Frame::Ping(f) => f.encode_payload(dst),
            Frame::GoAway(f) => f.encode_payload(dst),
            Frame::WindowUpdate(f) => f.encode_payload(dst),
            Frame::Continuation(f) => f.encode_payload(dst),
            Frame::PriorityUpdate(f) => f.encode_payload(dst),
            Frame::Unknown(f) => dst.extend_from_slice(&f.payload),
        }
    }

    /// The encoded frame as a new vector.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = Vec::new();
        self.encode(&mut v);
        v
    }

    /// The frame as a [`RawFrame`], to be bent further before sending.
    pub fn to_raw(&self) -> RawFrame {
        let bytes = self.to_bytes();
        RawFrame::from_parts(self.head(), &bytes[HEAD_LEN..])
    }

    /// Frame type.
    pub fn kind(&self) -> FrameType {
        self.head().kind
    }

    /// Stream id the frame was sent on.
    pub fn stream_id(&self) -> StreamId {
        match self {
            Frame::Data(f) => f.stream_id,
            Frame::Headers(f) => f.stream_id,
            Frame::Priority(f) => f.stream_id,
            Frame::RstStream(f) => f.stream_id,
            Frame::PushPromise(f) => f.stream_id,
            Frame::WindowUpdate(f) => f.stream_id,
            Frame::Continuation(f) => f.stream_id,
            Frame::Unknown(f) => f.stream_id,
            Frame::Settings(_) | Frame::Ping(_) | Frame::GoAway(_) | Frame::PriorityUpdate(_) => StreamId::ZERO,
        }
    }
}

/// One line per frame, as the transcript shows it.
impl fmt::Display for Frame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Frame::Data(d) => {
                write!(f, "DATA stream={} len={}", d.stream_id, d.data.len())?;
                if let Some(p) = d.padding {
                    write!(f, " padding={p}")?;
                }
                if d.end_stream {
                    f.write_str(" END_STREAM")?;
                }
                Ok(())
            }
            Frame::Headers(h) => {
                write!(f, "HEADERS stream={} block={}B", h.stream_id, h.block.len())?;
                if let Some(p) = h.priority {
                    write!(f, " priority(dep={}, weight={}, excl={})", p.dependency, p.weight as u16 + 1, p.exclusive)?;
                }
                if let Some(p) = h.padding {
                    write!(f, " padding={p}")?;
                }
                if h.end_stream {
                    f.write_str(" END_STREAM")?;
                }
                if h.end_headers {
                    f.write_str(" END_HEADERS")?;
                }
                Ok(())
            }
            Frame::Priority(p) => write!(
                f,
                "PRIORITY stream={} dep={} weight={} excl={}",
                p.stream_id,
                p.spec.dependency,
                p.spec.weight as u16 + 1,
                p.spec.exclusive
            ),
            Frame::RstStream(r) => write!(f, "RST_STREAM stream={} code={}", r.stream_id, r.code),
            Frame::Settings(s) => {
                if s.ack {
                    return f.write_str("SETTINGS ACK");
                }
                f.write_str("SETTINGS")?;
                for (id, v) in &s.params {
                    write!(f, " {id}={v}")?;
                }
                Ok(())
            }
            Frame::PushPromise(p) => write!(
                f,
                "PUSH_PROMISE stream={} promised={} block={}B{}",
                p.stream_id,
                p.promised_id,
                p.block.len(),
                if p.end_headers { " END_HEADERS" } else { "" }
            ),
            Frame::Ping(p) => write!(f, "PING{} payload={}", if p.ack { " ACK" } else { "" }, hex(&p.payload)),
            Frame::GoAway(g) => {
                write!(f, "GOAWAY last_stream={} code={}", g.last_stream_id, g.code)?;
                if !g.debug_data.is_empty() {
                    write!(f, " debug={:?}", String::from_utf8_lossy(&g.debug_data[..g.debug_data.len().min(200)]))?;
                }
                Ok(())
            }
            Frame::WindowUpdate(w) => write!(f, "WINDOW_UPDATE stream={} increment={}", w.stream_id, w.increment),
            Frame::Continuation(c) => write!(
                f,
                "CONTINUATION stream={} block={}B{}",
                c.stream_id,
                c.block.len(),
                if c.end_headers { " END_HEADERS" } else { "" }
            ),
            Frame::PriorityUpdate(p) => write!(
                f,
                "PRIORITY_UPDATE prioritized={} value={:?}",
                p.prioritized_id,
                String::from_utf8_lossy(&p.field_value)
            ),
            Frame::Unknown(u) => write!(
                f,
                "UNKNOWN type={} flags=0x{:02x} stream={} len={}",
                u.kind,
                u.flags,
                u.stream_id,
                u.payload.len()
            ),
        }
    }
}

/// Lower-case hex of a short byte string.
pub fn hex(bytes: &[u8]) -> String {
    use fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// Cuts frames out of a byte stream. Holds only the size limit: the caller owns the
/// buffer, so the decoder works the same over a socket, a fuzz input or a file.
#[derive(Debug, Clone, Copy)]
pub struct FrameDecoder {
    max_frame_size: u32,
}

impl Default for FrameDecoder {
    fn default() -> Self {
        FrameDecoder::new()
    }
}

impl FrameDecoder {
    /// A decoder bounded by the initial SETTINGS_MAX_FRAME_SIZE, 16 384.
    pub fn new() -> FrameDecoder {
        FrameDecoder { max_frame_size: DEFAULT_MAX_FRAME_SIZE }
    }

    /// Sets the largest payload accepted: the SETTINGS_MAX_FRAME_SIZE we advertised.
    pub fn with_max_frame_size(mut self, max: u32) -> FrameDecoder {
        self.max_frame_size = max.min(MAX_LENGTH_FIELD);
        self
    }

    /// The current payload limit.
    pub fn max_frame_size(&self) -> u32 {
        self.max_frame_size
    }

    /// Bytes needed before the next frame is complete, given what `buf` holds; 0 when a
    /// whole frame is there. Lets a reader size its next read exactly.
    pub fn needed(&self, buf: &[u8]) -> usize {
        match Head::parse(buf) {
            None => HEAD_LEN - buf.len(),
            Some(h) => (HEAD_LEN + h.length as usize).saturating_sub(buf.len()),
        }
    }

    /// The next frame's head and payload, without interpreting the payload; `None` when
    /// `buf` does not yet hold a whole frame. Fails before buffering when the length field
    /// exceeds the limit (§4.2).
    pub fn next_raw<'a>(&self, buf: &'a [u8]) -> Result<Option<(Head, &'a [u8])>, FrameError> {
        let Some(head) = Head::parse(buf) else { return Ok(None) };
        if head.length > self.max_frame_size {
            return Err(FrameError::TooLarge {
                kind: head.kind,
                stream_id: head.stream_id,
                length: head.length,
                max: self.max_frame_size,
            });
        }
        let end = HEAD_LEN + head.length as usize;
        Ok(buf.get(HEAD_LEN..end).map(|payload| (head, payload)))
    }

    /// The next typed frame and the number of bytes it used; `None` when more bytes are
    /// needed. On `Err` the stream cannot be resynchronised: the RFC consequence is in the
    /// error, and for a stream-level error the caller may skip `HEAD_LEN + length` bytes.
    pub fn next_frame(&self, buf: &[u8]) -> Result<Option<(Head, Frame, usize)>, FrameError> {
        match self.next_raw(buf)? {
            None => Ok(None),
            Some((head, payload)) => {
                let frame = Frame::decode(&head, payload)?;
                Ok(Some((head, frame, HEAD_LEN + payload.len())))
            }
        }
    }
}
