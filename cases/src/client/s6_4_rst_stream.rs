//! RFC 9113 §6.4: RST_STREAM frames sent by the server.

use super::*;
use h2probe_harness::case::Script;

const S: &str = "RFC 9113 §6.4";

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "client/rfc9113/6.4/rst-on-stream-zero",
        description: "Sends RST_STREAM on stream 0",
        requirement: "RST_STREAM frames MUST be associated with a stream. If a RST_STREAM frame is received with a stream identifier of 0x00, the recipient MUST treat this as a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
        script: |_| Ok(Script::send([frames::raw(FrameType::RST_STREAM).payload([0, 0, 0, 8])], ce(&[E::PROTOCOL_ERROR]))),
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..client(S)
    },
    Case {
        id: "client/rfc9113/6.4/rst-bad-length",
        description: "Sends a 3-octet RST_STREAM on the request's stream",
        requirement: "A RST_STREAM frame with a length other than 4 octets MUST be treated as a connection error (Section 5.4.1) of type FRAME_SIZE_ERROR.",
        script: |ctx| Ok(Script::send([frames::raw(FrameType::RST_STREAM).stream(ctx.stream()).payload([0, 0, 8])], ce(&[E::FRAME_SIZE_ERROR]))),
        reactions: &[&ce_rows(E::FRAME_SIZE_ERROR)],
        ..client(S)
    },
];
