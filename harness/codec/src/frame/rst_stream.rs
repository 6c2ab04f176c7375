//! RST_STREAM (RFC 9113 §6.4).

use super::error::FrameError;
use super::head::Head;
use crate::registry::{ErrorCode, FrameType, StreamId};

/// A RST_STREAM frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct RstStream {
    /// Stream being reset.
    pub stream_id: StreamId,
    /// Why.
    pub code: ErrorCode,
}

impl RstStream {
    /// Decodes a RST_STREAM payload.
    pub fn decode(head: &Head, payload: &[u8]) -> Result<RstStream, FrameError> {
        // "If a RST_STREAM frame is received with a stream identifier of 0x00, the recipient
        // MUST treat this as a connection error of type PROTOCOL_ERROR."
        if head.stream_id.is_zero() {
            return Err(FrameError::StreamIdZero { kind: FrameType::RST_STREAM });
        }
        // "A RST_STREAM frame with a length other than 4 octets MUST be treated as a
        // connection error of type FRAME_SIZE_ERROR."
        let Ok(b) = <[u8; 4]>::try_from(payload) else {
            return Err(FrameError::BadLength {
                kind: FrameType::RST_STREAM,
                stream_id: head.stream_id,
                length: head.length,
                expected: "must be 4",
            });
        };
        Ok(RstStream { stream_id: head.stream_id, code: ErrorCode(u32::from_be_bytes(b)) })
    }

    pub(crate) fn head(&self) -> Head {
        Head { length: 4, kind: FrameType::RST_STREAM, flags: 0, reserved: false, stream_id: self.stream_id }
    }

    pub(crate) fn encode_payload(&self, dst: &mut Vec<u8>) {
        dst.extend_from_slice(&self.code.0.to_be_bytes());
    }
}
