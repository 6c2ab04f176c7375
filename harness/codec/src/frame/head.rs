//! The 9-octet frame header (RFC 9113 §4.1).

use crate::registry::{FrameType, StreamId};

/// Size of the frame header on the wire.
pub const HEAD_LEN: usize = 9;

/// Largest value the 24-bit length field can carry.
pub const MAX_LENGTH_FIELD: u32 = 0x00ff_ffff;

/// Initial and minimum SETTINGS_MAX_FRAME_SIZE (RFC 9113 §6.5.2).
pub const DEFAULT_MAX_FRAME_SIZE: u32 = 16_384;

/// Largest legal SETTINGS_MAX_FRAME_SIZE, 2^24-1.
pub const MAX_MAX_FRAME_SIZE: u32 = MAX_LENGTH_FIELD;

/// A decoded frame header, every field exactly as it was on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Head {
    /// The 24-bit payload length the header claims.
    pub length: u32,
    /// Frame type, known or not.
    pub kind: FrameType,
    /// All eight flag bits, including ones the type does not define.
    pub flags: u8,
    /// The reserved bit in front of the stream id. "MUST remain unset (0x0) when sending
    /// and MUST be ignored when receiving" (RFC 9113 §4.1), so we keep it to report it.
    pub reserved: bool,
    /// The 31-bit stream identifier.
    pub stream_id: StreamId,
}

impl Head {
    /// Parses the first 9 bytes of `buf`; `None` if fewer are available.
    pub fn parse(buf: &[u8]) -> Option<Head> {
        let b: &[u8; HEAD_LEN] = buf.get(..HEAD_LEN)?.try_into().ok()?;
        let length = u32::from_be_bytes([0, b[0], b[1], b[2]]);
        let sid = u32::from_be_bytes([b[5], b[6], b[7], b[8]]);
        Some(Head {
            length,
            kind: FrameType(b[3]),
            flags: b[4],
            reserved: sid & 0x8000_0000 != 0,
            stream_id: StreamId(sid & 0x7fff_ffff),
        })
    }

    /// Appends the 9 header bytes. The length is truncated to 24 bits and the stream id to
    /// 31 bits (plus the reserved bit), so any head encodes to exactly 9 bytes.
    pub fn encode(&self, dst: &mut Vec<u8>) {
        let len = self.length.to_be_bytes();
        let sid = (self.stream_id.0 & 0x7fff_ffff) | if self.reserved { 0x8000_0000 } else { 0 };
        dst.extend_from_slice(&[len[1], len[2], len[3], self.kind.0, self.flags]);
        dst.extend_from_slice(&sid.to_be_bytes());
    }

    /// True if every bit of `flag` is set.
    pub fn has(&self, flag: u8) -> bool {
        self.flags & flag == flag
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_encode_round_trip_keeps_reserved_bit_and_unknown_type() {
        let raw = [0x00, 0x00, 0x08, 0x16, 0xff, 0x80, 0x00, 0x00, 0x03];
        let head = Head::parse(&raw).expect("9 bytes");
        assert_eq!(head.length, 8);
        assert_eq!(head.kind, FrameType(0x16));
        assert!(head.reserved);
        assert_eq!(head.stream_id, StreamId(3));
        let mut out = Vec::new();
        head.encode(&mut out);
        assert_eq!(out, raw);
    }

    #[test]
    fn short_buffer_is_none() {
        assert_eq!(Head::parse(&[0; 8]), None);
    }
}
