//! DATA (RFC 9113 §6.1).

use super::error::FrameError;
use super::flags::{END_STREAM, PADDED};
use super::head::Head;
use super::padding;
use crate::registry::{FrameType, StreamId};

/// A DATA frame.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Data {
    /// Stream the data belongs to (never 0 on the wire when valid).
    pub stream_id: StreamId,
    /// END_STREAM flag.
    pub end_stream: bool,
    /// Pad Length, when the PADDED flag is set. Padding octets are sent as zeros.
    pub padding: Option<u8>,
    /// Application data.
    pub data: Vec<u8>,
}

impl Data {
    /// Decodes a DATA payload.
    pub fn decode(head: &Head, payload: &[u8]) -> Result<Data, FrameError> {
        // "If a DATA frame is received whose Stream Identifier field is 0x00, the recipient
        // MUST respond with a connection error (Section 5.4.1) of type PROTOCOL_ERROR."
        if head.stream_id.is_zero() {
            return Err(FrameError::StreamIdZero { kind: FrameType::DATA });
        }
        let (data, padding) = padding::strip(head, payload, 0)?;
        Ok(Data { stream_id: head.stream_id, end_stream: head.has(END_STREAM), padding, data: data.to_vec() })
    }

    /// The flow-controlled size: the whole payload, padding included (§6.9.1).
    pub fn flow_len(&self) -> usize {
        padding::payload_len(self.data.len(), self.padding)
    }

    pub(crate) fn head(&self) -> Head {
        let mut flags = 0;
        if self.end_stream {
            flags |= END_STREAM;
        }
        if self.padding.is_some() {
            flags |= PADDED;
        }
        Head {
            length: self.flow_len() as u32,
            kind: FrameType::DATA,
            flags,
            reserved: false,
            stream_id: self.stream_id,
        }
    }

    pub(crate) fn encode_payload(&self, dst: &mut Vec<u8>) {
        if let Some(p) = self.padding {
            dst.push(p);
        }
        dst.extend_from_slice(&self.data);
        padding::write_padding(dst, self.padding);
    }
}
