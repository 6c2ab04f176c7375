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

/// One line per frame, as the transcript shows it: the type, the stream where the type has
/// one, then the header's length and flags in hex with the flags' names (as `nghttp -v`
/// shows them, so a frame in a report can be compared with a capture), then the payload's
/// fields. Types that define no flags omit `flags=` (a typed frame of those always has 0).
impl fmt::Display for Frame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let head = self.head();
        let kind = head.kind;
        match self {
            Frame::Settings(_) | Frame::Ping(_) | Frame::GoAway(_) | Frame::PriorityUpdate(_) => write!(f, "{kind}")?,
            Frame::Unknown(u) => write!(f, "UNKNOWN type={} stream={}", u.kind, u.stream_id)?,
            _ => write!(f, "{kind} stream={}", self.stream_id())?,
        }
        write!(f, " len=0x{:x}", head.length)?;
        if defines_flags(kind) || matches!(self, Frame::Unknown(_)) {
            write_flags(f, kind, head.flags)?;
        }
        match self {
            Frame::Data(d) => {
                if let Some(p) = d.padding {
                    write!(f, " padding={p}")?;
                }
                Ok(())
            }
            Frame::Headers(h) => {
                // The field block is the whole payload unless padding or priority share it.
                if h.priority.is_some() || h.padding.is_some() {
                    write!(f, " block={}B", h.block.len())?;
                }
                if let Some(p) = h.priority {
                    write!(f, " priority(dep={}, weight={}, excl={})", p.dependency, p.weight as u16 + 1, p.exclusive)?;
                }
                if let Some(p) = h.padding {
                    write!(f, " padding={p}")?;
                }
                Ok(())
            }
            Frame::Priority(p) => {
                write!(f, " dep={} weight={} excl={}", p.spec.dependency, p.spec.weight as u16 + 1, p.spec.exclusive)
            }
            Frame::RstStream(r) => write!(f, " code={}", r.code),
            Frame::Settings(s) => {
                for (id, v) in &s.params {
                    write!(f, " {id}={v}")?;
                }
                Ok(())
            }
            Frame::PushPromise(p) => write!(f, " promised={} block={}B", p.promised_id, p.block.len()),
            Frame::Ping(p) => {
                write!(f, " payload={}", hex(&p.payload))?;
                // Our fences and probes are ASCII ("h2pfence"): say so, as a person reads it.
                if p.payload.iter().all(|b| b.is_ascii_alphanumeric()) {
                    write!(f, " ({:?})", String::from_utf8_lossy(&p.payload))?;
                }
                Ok(())
            }
            Frame::GoAway(g) => {
                write!(f, " last_stream={} code={}", g.last_stream_id, g.code)?;
                if !g.debug_data.is_empty() {
                    write!(f, " debug={:?}", String::from_utf8_lossy(&g.debug_data[..g.debug_data.len().min(200)]))?;
                }
                Ok(())
            }
            Frame::WindowUpdate(w) => write!(f, " increment={}", w.increment),
            Frame::Continuation(_) => Ok(()),
            Frame::PriorityUpdate(p) => {
                write!(f, " prioritized={} value={:?}", p.prioritized_id, String::from_utf8_lossy(&p.field_value))
            }
            Frame::Unknown(_) => Ok(()),
        }
    }
}

/// Whether RFC 9113 (or RFC 9218) defines any flag for frames of `kind`.
fn defines_flags(kind: FrameType) -> bool {
    matches!(
        kind,
        FrameType::DATA | FrameType::HEADERS | FrameType::SETTINGS | FrameType::PUSH_PROMISE | FrameType::PING | FrameType::CONTINUATION
    )
}

/// The names of the flags `kind` defines, in bit order; `None` for a bit it does not define.
fn flag_name(kind: FrameType, bit: u8) -> Option<&'static str> {
    Some(match (kind, bit) {
        (FrameType::DATA | FrameType::HEADERS, flags::END_STREAM) => "END_STREAM",
        (FrameType::SETTINGS | FrameType::PING, flags::ACK) => "ACK",
        (FrameType::HEADERS | FrameType::PUSH_PROMISE | FrameType::CONTINUATION, flags::END_HEADERS) => "END_HEADERS",
        (FrameType::DATA | FrameType::HEADERS | FrameType::PUSH_PROMISE, flags::PADDED) => "PADDED",
        (FrameType::HEADERS, flags::PRIORITY) => "PRIORITY",
        _ => return None,
    })
}

/// ` flags=0x05 (END_STREAM|END_HEADERS)`: the byte in hex, then each set bit by name, or in
/// hex where `kind` defines no flag with that bit (a tester sets those on purpose).
pub(crate) fn write_flags(f: &mut fmt::Formatter<'_>, kind: FrameType, bits: u8) -> fmt::Result {
    write!(f, " flags=0x{bits:02x}")?;
    if bits == 0 {
        return Ok(());
    }
    let mut sep = " (";
    for i in 0..8 {
        let bit = 1u8 << i;
        if bits & bit != 0 {
            f.write_str(sep)?;
            match flag_name(kind, bit) {
                Some(name) => f.write_str(name)?,
                None => write!(f, "0x{bit:02x}")?,
            }
            sep = "|";
        }
    }
    f.write_str(")")
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
