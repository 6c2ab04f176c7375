//! PRIORITY_UPDATE (RFC 9218 §7.1): the replacement for RFC 7540 priority signalling.

use super::error::FrameError;
use super::head::Head;
use crate::registry::{FrameType, StreamId};

/// A PRIORITY_UPDATE frame.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct PriorityUpdate {
    /// The stream whose priority changes.
    pub prioritized_id: StreamId,
    /// Priority Field Value, an RFC 8941 dictionary such as `u=1, i`.
    pub field_value: Vec<u8>,
}

impl PriorityUpdate {
    /// Decodes a PRIORITY_UPDATE payload.
    pub fn decode(head: &Head, payload: &[u8]) -> Result<PriorityUpdate, FrameError> {
        // "PRIORITY_UPDATE frames MUST be sent on the control stream (stream 0) … a
        // connection error of type PROTOCOL_ERROR."
        if !head.stream_id.is_zero() {
            return Err(FrameError::StreamIdNonZero { kind: FrameType::PRIORITY_UPDATE, stream_id: head.stream_id });
        }
        let Some((id, value)) = payload.split_first_chunk::<4>() else {
            return Err(FrameError::BadLength {
                kind: FrameType::PRIORITY_UPDATE,
                stream_id: StreamId::ZERO,
                length: head.length,
                expected: "must be at least 4",
            });
        };
        let prioritized_id = StreamId(u32::from_be_bytes(*id) & 0x7fff_ffff);
        // "If a PRIORITY_UPDATE frame is received with a Prioritized Stream ID of 0x00, the
        // recipient MUST respond with a connection error of type PROTOCOL_ERROR."
        if prioritized_id.is_zero() {
            return Err(FrameError::PriorityUpdateStreamZero);
        }
        Ok(PriorityUpdate { prioritized_id, field_value: value.to_vec() })
    }

    pub(crate) fn head(&self) -> Head {
        Head {
            length: (4 + self.field_value.len()) as u32,
            kind: FrameType::PRIORITY_UPDATE,
            flags: 0,
            reserved: false,
            stream_id: StreamId::ZERO,
        }
    }

    pub(crate) fn encode_payload(&self, dst: &mut Vec<u8>) {
        dst.extend_from_slice(&(self.prioritized_id.0 & 0x7fff_ffff).to_be_bytes());
        dst.extend_from_slice(&self.field_value);
    }
}
