//! GOAWAY (RFC 9113 §6.8).

use super::error::FrameError;
use super::head::Head;
use crate::registry::{ErrorCode, FrameType, StreamId};

/// A GOAWAY frame.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct GoAway {
    /// Highest-numbered stream the sender might have acted on.
    pub last_stream_id: StreamId,
    /// Why the connection is going away.
    pub code: ErrorCode,
    /// Opaque diagnostic data (servers often put a reason string here).
    pub debug_data: Vec<u8>,
}

impl GoAway {
    /// Decodes a GOAWAY payload.
    pub fn decode(head: &Head, payload: &[u8]) -> Result<GoAway, FrameError> {
        // "An endpoint MUST treat a GOAWAY frame with a stream identifier other than 0x00 as a
        // connection error of type PROTOCOL_ERROR."
        if !head.stream_id.is_zero() {
            return Err(FrameError::StreamIdNonZero { kind: FrameType::GOAWAY, stream_id: head.stream_id });
        }
        let Some((fixed, debug)) = payload.split_first_chunk::<8>() else {
            return Err(FrameError::BadLength {
                kind: FrameType::GOAWAY,
                stream_id: StreamId::ZERO,
                length: head.length,
                expected: "must be at least 8",
            });
        };
        let last = u32::from_be_bytes([fixed[0], fixed[1], fixed[2], fixed[3]]) & 0x7fff_ffff;
        let code = u32::from_be_bytes([fixed[4], fixed[5], fixed[6], fixed[7]]);
        Ok(GoAway { last_stream_id: StreamId(last), code: ErrorCode(code), debug_data: debug.to_vec() })
    }

    pub(crate) fn head(&self) -> Head {
        Head {
            length: (8 + self.debug_data.len()) as u32,
            kind: FrameType::GOAWAY,
            flags: 0,
            reserved: false,
            stream_id: StreamId::ZERO,
        }
    }

    pub(crate) fn encode_payload(&self, dst: &mut Vec<u8>) {
        dst.extend_from_slice(&(self.last_stream_id.0 & 0x7fff_ffff).to_be_bytes());
        dst.extend_from_slice(&self.code.0.to_be_bytes());
        dst.extend_from_slice(&self.debug_data);
    }
}
