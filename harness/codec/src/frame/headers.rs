//! HEADERS (RFC 9113 §6.2), and the priority fields it shares with PRIORITY.

use super::error::FrameError;
use super::flags::{END_HEADERS, END_STREAM, PADDED, PRIORITY};
use super::head::Head;
use super::padding;
use crate::registry::{FrameType, StreamId};

/// RFC 7540 priority fields: Exclusive, Stream Dependency, Weight. Deprecated by RFC 9113
/// §5.3.2 but still on the wire, so still decoded and encodable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct PrioritySpec {
    /// Exclusive flag.
    pub exclusive: bool,
    /// Stream this one depends on.
    pub dependency: StreamId,
    /// Weight as sent (the wire value, 0..=255, meaning weight 1..=256).
    pub weight: u8,
}

impl PrioritySpec {
    pub(crate) fn parse(b: &[u8; 5]) -> PrioritySpec {
        let dep = u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
        PrioritySpec {
            exclusive: dep & 0x8000_0000 != 0,
            dependency: StreamId(dep & 0x7fff_ffff),
            weight: b[4],
        }
    }

    pub(crate) fn encode(&self, dst: &mut Vec<u8>) {
        let dep = (self.dependency.0 & 0x7fff_ffff) | if self.exclusive { 0x8000_0000 } else { 0 };
        dst.extend_from_slice(&dep.to_be_bytes());
        dst.push(self.weight);
    }
}

/// A HEADERS frame: the start of a field block.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Headers {
    /// Stream the field block opens or continues.
    pub stream_id: StreamId,
    /// END_STREAM flag.
    pub end_stream: bool,
    /// END_HEADERS flag; when clear, CONTINUATION frames must follow.
    pub end_headers: bool,
    /// PRIORITY flag and its fields.
    pub priority: Option<PrioritySpec>,
    /// Pad Length, when PADDED is set.
    pub padding: Option<u8>,
    /// The HPACK field block fragment.
    pub block: Vec<u8>,
}

impl Headers {
    /// Decodes a HEADERS payload.
    pub fn decode(head: &Head, payload: &[u8]) -> Result<Headers, FrameError> {
        // "If a HEADERS frame is received whose Stream Identifier field is 0x00, the
        // recipient MUST respond with a connection error of type PROTOCOL_ERROR."
        if head.stream_id.is_zero() {
            return Err(FrameError::StreamIdZero { kind: FrameType::HEADERS });
        }
        let fixed = if head.has(PRIORITY) { 5 } else { 0 };
        let (rest, padding) = padding::strip(head, payload, fixed)?;
        let (priority, block) = if head.has(PRIORITY) {
            match rest.split_first_chunk::<5>() {
                Some((p, block)) => (Some(PrioritySpec::parse(p)), block),
                None => {
                    return Err(FrameError::BadLength {
                        kind: FrameType::HEADERS,
                        stream_id: head.stream_id,
                        length: head.length,
                        expected: "too short for the priority fields",
                    })
                }
            }
        } else {
            (None, rest)
        };
        Ok(Headers {
            stream_id: head.stream_id,
            end_stream: head.has(END_STREAM),
            end_headers: head.has(END_HEADERS),
            priority,
            padding,
            block: block.to_vec(),
        })
    }

    pub(crate) fn head(&self) -> Head {
        let mut flags = 0;
        if self.end_stream {
            flags |= END_STREAM;
        }
        if self.end_headers {
            flags |= END_HEADERS;
        }
        if self.padding.is_some() {
            flags |= PADDED;
        }
        if self.priority.is_some() {
            flags |= PRIORITY;
        }
        let body = self.block.len() + if self.priority.is_some() { 5 } else { 0 };
        Head {
            length: padding::payload_len(body, self.padding) as u32,
            kind: FrameType::HEADERS,
            flags,
            reserved: false,
            stream_id: self.stream_id,
        }
    }

    pub(crate) fn encode_payload(&self, dst: &mut Vec<u8>) {
        if let Some(p) = self.padding {
            dst.push(p);
        }
        if let Some(p) = &self.priority {
            p.encode(dst);
        }
        dst.extend_from_slice(&self.block);
        padding::write_padding(dst, self.padding);
    }
}
