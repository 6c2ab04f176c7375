//! A frame that encodes anything.
//!
//! The typed [`super::Frame`] can only say what the RFC allows. A conformance tester has to
//! say the rest: a length field that lies, a type no one defined, undefined flags, the
//! reserved bit, stream 0 where it is forbidden, a payload above SETTINGS_MAX_FRAME_SIZE.

use super::head::Head;
use crate::registry::{FrameType, StreamId};

/// A frame as bytes: header fields chosen freely, payload sent verbatim.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct RawFrame {
    /// The type byte.
    pub kind: FrameType,
    /// All eight flag bits.
    pub flags: u8,
    /// Sets the reserved bit in front of the stream id.
    pub reserved: bool,
    /// Stream id (31 bits are sent).
    pub stream_id: StreamId,
    /// The value written to the length field; `None` writes the real payload length.
    /// Set it to lie: a length shorter or longer than the bytes that follow.
    pub length: Option<u32>,
    /// The payload, sent as is.
    pub payload: Vec<u8>,
}

impl RawFrame {
    /// A frame of `kind` on stream 0 with an empty payload.
    pub fn new(kind: FrameType) -> RawFrame {
        RawFrame {
            kind,
            flags: 0,
            reserved: false,
            stream_id: StreamId(0),
            length: None,
            payload: Vec::new(),
        }
    }

    /// The header this frame writes.
    pub fn head(&self) -> Head {
        Head {
            length: self.length.unwrap_or(self.payload.len() as u32),
            kind: self.kind,
            flags: self.flags,
            reserved: self.reserved,
            stream_id: self.stream_id,
        }
    }

    /// Appends header and payload.
    pub fn encode(&self, dst: &mut Vec<u8>) {
        self.head().encode(dst);
        dst.extend_from_slice(&self.payload);
    }

    /// Header and payload as a new vector.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(super::head::HEAD_LEN + self.payload.len());
        self.encode(&mut v);
        v
    }

    /// Rebuilds a raw frame from a decoded head and its payload (exact round trip).
    pub fn from_parts(head: Head, payload: &[u8]) -> RawFrame {
        RawFrame {
            kind: head.kind,
            flags: head.flags,
            reserved: head.reserved,
            stream_id: head.stream_id,
            length: (head.length as usize != payload.len()).then_some(head.length),
            payload: payload.to_vec(),
        }
    }
}

/// One transcript line: the header fields as sent (length and flags in hex, as the typed
/// frames show them), and where the length lies.
impl core::fmt::Display for RawFrame {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{} (raw) stream={}", self.kind, self.stream_id)?;
        if self.reserved {
            f.write_str(" R=1")?;
        }
        match self.length {
            Some(l) if l as usize != self.payload.len() => {
                write!(f, " len=0x{l:x} (payload 0x{:x} octets)", self.payload.len())?;
            }
            _ => write!(f, " len=0x{:x}", self.payload.len())?,
        }
        super::write_flags(f, self.kind, self.flags)
    }
}
