//! PRIORITY (RFC 9113 §6.3). Signalling is deprecated, the frame is not: it stays legal in
//! any stream state and must still be parsed.

use super::error::FrameError;
use super::head::Head;
use super::headers::PrioritySpec;
use crate::registry::{FrameType, StreamId};

/// A PRIORITY frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Priority {
    /// Stream being reprioritised.
    pub stream_id: StreamId,
    /// The priority fields.
    pub spec: PrioritySpec,
}

impl Priority {
    /// Decodes a PRIORITY payload.
    pub fn decode(head: &Head, payload: &[u8]) -> Result<Priority, FrameError> {
        // "If a PRIORITY frame is received with a stream identifier of 0x00, the recipient
        // MUST respond with a connection error of type PROTOCOL_ERROR."
        if head.stream_id.is_zero() {
            return Err(FrameError::StreamIdZero { kind: FrameType::PRIORITY });
        }
        // "A PRIORITY frame with a length other than 5 octets MUST be treated as a stream
        // error of type FRAME_SIZE_ERROR."
        let Ok(b) = <&[u8; 5]>::try_from(payload) else {
            return Err(FrameError::BadLength {
                kind: FrameType::PRIORITY,
                stream_id: head.stream_id,
                length: head.length,
                expected: "must be 5",
            });
        };
        Ok(Priority { stream_id: head.stream_id, spec: PrioritySpec::parse(b) })
    }

    pub(crate) fn head(&self) -> Head {
        Head { length: 5, kind: FrameType::PRIORITY, flags: 0, reserved: false, stream_id: self.stream_id }
    }

    pub(crate) fn encode_payload(&self, dst: &mut Vec<u8>) {
        self.spec.encode(dst);
    }
}
