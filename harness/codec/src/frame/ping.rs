//! PING (RFC 9113 §6.7). Also the harness's fence: a PING ACK proves the server processed
//! every frame sent before the PING.

use super::error::FrameError;
use super::flags::ACK;
use super::head::Head;
use crate::registry::{FrameType, StreamId};

/// A PING frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Ping {
    /// ACK flag.
    pub ack: bool,
    /// Opaque data, echoed in the ACK.
    pub payload: [u8; 8],
}

impl Ping {
    /// Decodes a PING payload.
    pub fn decode(head: &Head, payload: &[u8]) -> Result<Ping, FrameError> {
        // "If a PING frame is received with a Stream Identifier field value other than 0x00,
        // the recipient MUST respond with a connection error of type PROTOCOL_ERROR."
        if !head.stream_id.is_zero() {
            return Err(FrameError::StreamIdNonZero { kind: FrameType::PING, stream_id: head.stream_id });
        }
        // "Receipt of a PING frame with a length field value other than 8 MUST be treated as
        // a connection error of type FRAME_SIZE_ERROR."
        let Ok(payload) = <[u8; 8]>::try_from(payload) else {
            return Err(FrameError::BadLength {
                kind: FrameType::PING,
                stream_id: StreamId::ZERO,
                length: head.length,
                expected: "must be 8",
            });
        };
        Ok(Ping { ack: head.has(ACK), payload })
    }

    pub(crate) fn head(&self) -> Head {
        Head {
            length: 8,
            kind: FrameType::PING,
            flags: if self.ack { ACK } else { 0 },
            reserved: false,
            stream_id: StreamId::ZERO,
        }
    }

    pub(crate) fn encode_payload(&self, dst: &mut Vec<u8>) {
        dst.extend_from_slice(&self.payload);
    }
}
