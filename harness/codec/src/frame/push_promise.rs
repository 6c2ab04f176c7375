//! PUSH_PROMISE (RFC 9113 §6.6). A server must never receive one (§8.4); the tester sends
//! it to check exactly that.

use super::error::FrameError;
use super::flags::{END_HEADERS, PADDED};
use super::head::Head;
use super::padding;
use crate::registry::{FrameType, StreamId};

/// A PUSH_PROMISE frame.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct PushPromise {
    /// Stream the promise is associated with.
    pub stream_id: StreamId,
    /// END_HEADERS flag.
    pub end_headers: bool,
    /// Pad Length, when PADDED is set.
    pub padding: Option<u8>,
    /// The promised (server-initiated) stream.
    pub promised_id: StreamId,
    /// Field block fragment of the promised request.
    pub block: Vec<u8>,
}

impl PushPromise {
    /// Decodes a PUSH_PROMISE payload.
    pub fn decode(head: &Head, payload: &[u8]) -> Result<PushPromise, FrameError> {
        // "If the Stream Identifier field specifies the value 0x00, a recipient MUST respond
        // with a connection error of type PROTOCOL_ERROR."
        if head.stream_id.is_zero() {
            return Err(FrameError::StreamIdZero { kind: FrameType::PUSH_PROMISE });
        }
        let (rest, padding) = padding::strip(head, payload, 4)?;
        let Some((id, block)) = rest.split_first_chunk::<4>() else {
            return Err(FrameError::BadLength {
                kind: FrameType::PUSH_PROMISE,
                stream_id: head.stream_id,
                length: head.length,
                expected: "too short for the Promised Stream ID",
            });
        };
        Ok(PushPromise {
            stream_id: head.stream_id,
            end_headers: head.has(END_HEADERS),
            padding,
            promised_id: StreamId(u32::from_be_bytes(*id) & 0x7fff_ffff),
            block: block.to_vec(),
        })
    }

    pub(crate) fn head(&self) -> Head {
        let mut flags = 0;
        if self.end_headers {
            flags |= END_HEADERS;
        }
        if self.padding.is_some() {
            flags |= PADDED;
        }
        Head {
            length: padding::payload_len(4 + self.block.len(), self.padding) as u32,
            kind: FrameType::PUSH_PROMISE,
            flags,
            reserved: false,
            stream_id: self.stream_id,
        }
    }

    pub(crate) fn encode_payload(&self, dst: &mut Vec<u8>) {
        if let Some(p) = self.padding {
            dst.push(p);
        }
        dst.extend_from_slice(&(self.promised_id.0 & 0x7fff_ffff).to_be_bytes());
        dst.extend_from_slice(&self.block);
        padding::write_padding(dst, self.padding);
    }
}
