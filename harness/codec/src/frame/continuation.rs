//! CONTINUATION (RFC 9113 §6.10).

use super::error::FrameError;
use super::flags::END_HEADERS;
use super::head::Head;
use crate::registry::{FrameType, StreamId};

/// A CONTINUATION frame: more of a field block.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Continuation {
    /// Stream of the field block.
    pub stream_id: StreamId,
    /// END_HEADERS flag.
    pub end_headers: bool,
    /// Field block fragment.
    pub block: Vec<u8>,
}

impl Continuation {
    /// Decodes a CONTINUATION payload.
    pub fn decode(head: &Head, payload: &[u8]) -> Result<Continuation, FrameError> {
        // "If a CONTINUATION frame is received with a Stream Identifier field of 0x00, the
        // recipient MUST respond with a connection error of type PROTOCOL_ERROR."
        if head.stream_id.is_zero() {
            return Err(FrameError::StreamIdZero { kind: FrameType::CONTINUATION });
        }
        Ok(Continuation { stream_id: head.stream_id, end_headers: head.has(END_HEADERS), block: payload.to_vec() })
    }

    pub(crate) fn head(&self) -> Head {
        Head {
            length: self.block.len() as u32,
            kind: FrameType::CONTINUATION,
            flags: if self.end_headers { END_HEADERS } else { 0 },
            reserved: false,
            stream_id: self.stream_id,
        }
    }

    pub(crate) fn encode_payload(&self, dst: &mut Vec<u8>) {
        dst.extend_from_slice(&self.block);
    }
}
