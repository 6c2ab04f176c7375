//! SETTINGS (RFC 9113 §6.5).

use super::error::FrameError;
use super::flags::ACK;
use super::head::{Head, DEFAULT_MAX_FRAME_SIZE, MAX_MAX_FRAME_SIZE};
use crate::registry::{FrameType, SettingId, StreamId};

/// A SETTINGS frame. Parameters are kept as a list, in wire order and with duplicates,
/// because "the values in the SETTINGS frame MUST be processed in the order they appear"
/// (§6.5.3) and a tester sends duplicates on purpose.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Settings {
    /// ACK flag; an ACK carries no parameters.
    pub ack: bool,
    /// (identifier, value) pairs.
    pub params: Vec<(SettingId, u32)>,
}

impl Settings {
    /// Decodes a SETTINGS payload, including the value range checks of §6.5.2.
    pub fn decode(head: &Head, payload: &[u8]) -> Result<Settings, FrameError> {
        // "If an endpoint receives a SETTINGS frame whose Stream Identifier field is anything
        // other than 0x00, the endpoint MUST respond with a connection error PROTOCOL_ERROR."
        if !head.stream_id.is_zero() {
            return Err(FrameError::StreamIdNonZero { kind: FrameType::SETTINGS, stream_id: head.stream_id });
        }
        let ack = head.has(ACK);
        // "Receipt of a SETTINGS frame with the ACK flag set and a length field value other
        // than 0 MUST be treated as a connection error of type FRAME_SIZE_ERROR."
        if ack && !payload.is_empty() {
            return Err(FrameError::SettingsAckWithPayload { length: head.length });
        }
        // "A SETTINGS frame with a length other than a multiple of 6 octets MUST be treated
        // as a connection error of type FRAME_SIZE_ERROR."
        if payload.len() % 6 != 0 {
            return Err(FrameError::BadLength {
                kind: FrameType::SETTINGS,
                stream_id: StreamId::ZERO,
                length: head.length,
                expected: "must be a multiple of 6",
            });
        }
        let mut params = Vec::with_capacity(payload.len() / 6);
        for p in payload.chunks_exact(6) {
            let id = SettingId(u16::from_be_bytes([p[0], p[1]]));
            let value = u32::from_be_bytes([p[2], p[3], p[4], p[5]]);
            check_value(id, value)?;
            params.push((id, value));
        }
        Ok(Settings { ack, params })
    }

    /// The last value of `id` in this frame, if present.
    pub fn get(&self, id: SettingId) -> Option<u32> {
        self.params.iter().rev().find(|(i, _)| *i == id).map(|&(_, v)| v)
    }

    pub(crate) fn head(&self) -> Head {
        Head {
            length: (self.params.len() * 6) as u32,
            kind: FrameType::SETTINGS,
            flags: if self.ack { ACK } else { 0 },
            reserved: false,
            stream_id: StreamId::ZERO,
        }
    }

    pub(crate) fn encode_payload(&self, dst: &mut Vec<u8>) {
        for (id, v) in &self.params {
            dst.extend_from_slice(&id.0.to_be_bytes());
            dst.extend_from_slice(&v.to_be_bytes());
        }
    }
}

/// The range rules of RFC 9113 §6.5.2, RFC 8441 §3 and RFC 9218 §2.1.
pub fn check_value(id: SettingId, value: u32) -> Result<(), FrameError> {
    let ok = match id {
        // "Any value other than 0 or 1 MUST be treated as a connection error PROTOCOL_ERROR."
        SettingId::ENABLE_PUSH
        | SettingId::ENABLE_CONNECT_PROTOCOL
        | SettingId::NO_RFC7540_PRIORITIES => value <= 1,
        // "Values above the maximum flow-control window size of 2^31-1 MUST be treated as a
        // connection error of type FLOW_CONTROL_ERROR."
        SettingId::INITIAL_WINDOW_SIZE => value <= 0x7fff_ffff,
        // "Values outside this range MUST be treated as a connection error PROTOCOL_ERROR."
        SettingId::MAX_FRAME_SIZE => (DEFAULT_MAX_FRAME_SIZE..=MAX_MAX_FRAME_SIZE).contains(&value),
        _ => true,
    };
    if ok {
        Ok(())
    } else {
        Err(FrameError::BadSettingValue { id, value })
    }
}
