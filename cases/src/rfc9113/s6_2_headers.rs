//! RFC 9113 §6.2: HEADERS.

use crate::common::*;
use h2probe_codec::frame::flags;
use h2probe_harness::case::{Case, Script};

const S: &str = "RFC 9113 §6.2";
/// RFC 7540's "Padding that exceeds the size remaining for the field block fragment MUST be
/// treated as a PROTOCOL_ERROR" left the kind of error open; RFC 9113 names a connection error.
const PAD: &str = "The total number of padding octets is determined by the value of the Pad Length field. If the length of the padding is the length of the frame payload or greater, the recipient MUST treat this as a connection error (Section 5.4.1) of type PROTOCOL_ERROR. (RFC 7540 named no kind of error; RFC 9113 names a connection error, and RST_STREAM alone does not do: with the padding invalid the end of the field block fragment is unknown, so the block cannot be decoded and the connection's compression state is out of step, §4.3; §5.4: \"If a frame causes a connection error, that error MUST be reported.\")";

/// A GET's HEADERS frame with the PADDED flag whose Pad Length field is `pad`, whatever
/// room the payload leaves for it (no padding octets follow the block).
fn with_pad_length(block: Vec<u8>, pad: u8) -> h2probe_codec::frame::RawFrame {
    let mut payload = vec![pad];
    payload.extend_from_slice(&block);
    frames::raw(FrameType::HEADERS).stream(1).flags(flags::PADDED | flags::END_HEADERS | flags::END_STREAM).payload(payload).build()
}

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "rfc9113/6.2/stream-zero",
        h2spec: Some("http2/6.2/3"),
        description: "Sends a HEADERS frame on stream 0",
        requirement: "If a HEADERS frame is received whose Stream Identifier field is 0x00, the recipient MUST respond with a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
        script: |ctx| Ok(Script::send([ctx.get(0)], ce(&[E::PROTOCOL_ERROR]))),
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..must(S)
    },
    Case {
        id: "rfc9113/6.2/pad-length-too-large",
        h2spec: Some("http2/6.2/4"),
        description: "Sends a GET whose HEADERS frame has Pad Length 255, more than its whole payload",
        requirement: PAD,
        script: |ctx| {
            let block = ctx.get(1).encoded_block();
            if block.len() + 1 >= 255 {
                return Err(format!("the request's field block ({} octets) is too long for a Pad Length of 255 to exceed the payload", block.len()));
            }
            Ok(Script::send([with_pad_length(block, 255)], ce(&[E::PROTOCOL_ERROR])))
        },
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..must(S)
    },
    Case {
        id: "rfc9113/6.2/accepts-headers",
        h2spec: Some("generic/3.2/1"),
        description: "Sends a GET in one HEADERS frame",
        requirement: "The HEADERS frame (type=0x01) is used to open a stream (Section 5.1), and additionally carries a field block fragment.",
        script: |ctx| Ok(Script::send([ctx.get(1)], response(1))),
        reactions: &[&served_rows(1)],
        ..must(S)
    },
    Case {
        id: "rfc9113/6.2/accepts-padded-headers",
        h2spec: Some("generic/3.2/2"),
        description: "Sends a GET whose HEADERS frame is padded with 8 octets",
        requirement: "PADDED (0x08): When set, the PADDED flag indicates that the Pad Length field and any padding that it describes are present.",
        script: |ctx| Ok(Script::send([ctx.get(1).padded(8)], response(1))),
        reactions: &[&served_rows(1)],
        ..must(S)
    },
    Case {
        id: "rfc9113/6.2/accepts-padded-priority-headers",
        description: "Sends a GET whose HEADERS frame is padded and carries priority fields",
        requirement: "PADDED (0x08): When set, the PADDED flag indicates that the Pad Length field and any padding that it describes are present. PRIORITY (0x20): When set, the PRIORITY flag indicates that the Exclusive, Stream Dependency, and Weight fields are present.",
        script: |ctx| Ok(Script::send([ctx.get(1).padded(16).priority(0, 15, false)], response(1))),
        reactions: &[&served_rows(1)],
        ..must(S)
    },
    Case {
        id: "rfc9113/6.2/pad-length-equals-payload",
        description: "Sends a HEADERS frame whose Pad Length equals the whole payload length, leaving no room for itself",
        requirement: PAD,
        script: |ctx| {
            let block = ctx.get(1).encoded_block();
            let Ok(pad) = u8::try_from(block.len() + 1) else {
                return Err(format!("the request's field block ({} octets) is too long for an 8-bit Pad Length", block.len()));
            };
            Ok(Script::send([with_pad_length(block, pad)], ce(&[E::PROTOCOL_ERROR])))
        },
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..must(S)
    },
    Case {
        id: "rfc9113/6.2/accepts-max-padding",
        description: "Sends a GET whose HEADERS frame carries the most padding, 255 octets",
        requirement: "Pad Length: An 8-bit field containing the length of the frame padding in units of octets. … Padding: Padding octets that contain no application semantic value.",
        script: |ctx| Ok(Script::send([ctx.get(1).padded(255)], response(1))),
        reactions: &[&served_rows(1)],
        ..must(S)
    },
];
