//! WINDOW_UPDATE (RFC 9113 §6.9).

use super::error::FrameError;
use super::head::Head;
use crate::registry::{FrameType, StreamId};

/// A WINDOW_UPDATE frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct WindowUpdate {
    /// Stream whose window grows; 0 for the connection window.
    pub stream_id: StreamId,
    /// Window size increment (31 bits).
    pub increment: u32,
}

impl WindowUpdate {
    /// Decodes a WINDOW_UPDATE payload.
    pub fn decode(head: &Head, payload: &[u8]) -> Result<WindowUpdate, FrameError> {
        // "A WINDOW_UPDATE frame with a length other than 4 octets MUST be treated as a
        // connection error of type FRAME_SIZE_ERROR."
        let Ok(b) = <[u8; 4]>::try_from(payload) else {
            return Err(FrameError::BadLength {
                kind: FrameType::WINDOW_UPDATE,
                stream_id: head.stream_id,
                length: head.length,
                expected: "must be 4",
            });
        };
        let increment = u32::from_be_bytes(b) & 0x7fff_ffff;
        // "A receiver MUST treat the receipt of a WINDOW_UPDATE frame with a flow-control
        // window increment of 0 as a stream error of type PROTOCOL_ERROR; errors on the
        // connection flow-control window MUST be treated as a connection error."
        if increment == 0 {
            return Err(FrameError::ZeroWindowIncrement { stream_id: head.stream_id });
        }
        Ok(WindowUpdate { stream_id: head.stream_id, increment })
    }

    pub(crate) fn head(&self) -> Head {
        Head { length: 4, kind: FrameType::WINDOW_UPDATE, flags: 0, reserved: false, stream_id: self.stream_id }
    }

    pub(crate) fn encode_payload(&self, dst: &mut Vec<u8>) {
        dst.extend_from_slice(&(self.increment & 0x7fff_ffff).to_be_bytes());
    }
}
