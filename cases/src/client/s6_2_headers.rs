//! RFC 9113 §6.2: HEADERS frames sent by the server.

use super::*;
use h2probe_codec::frame::flags;
use h2probe_harness::case::Script;

const S: &str = "RFC 9113 §6.2";

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "client/rfc9113/6.2/headers-on-stream-zero",
        description: "Sends a HEADERS frame (a response) on stream 0",
        requirement: "HEADERS frames MUST be associated with a stream. If a HEADERS frame is received whose Stream Identifier field is 0x00, the recipient MUST respond with a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
        script: |ctx| {
            let block = ctx.response_headers(1, 200).encoded_block();
            Ok(Script::send([frames::raw(FrameType::HEADERS).flags(flags::END_HEADERS).payload(block)], ce(&[E::PROTOCOL_ERROR])))
        },
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..client(S)
    },
    Case {
        id: "client/rfc9113/6.2/pad-length-too-large",
        description: "Sends response HEADERS whose Pad Length is as long as the rest of the payload",
        requirement: "The total number of padding octets is determined by the value of the Pad Length field. If the length of the padding is the length of the frame payload or greater, the recipient MUST treat this as a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
        script: |ctx| {
            let s = ctx.stream();
            let block = ctx.response_headers(s, 200).encoded_block();
            let mut payload = vec![block.len() as u8 + 1];
            payload.extend(&block);
            let headers = frames::raw(FrameType::HEADERS).stream(s).flags(flags::END_HEADERS | flags::PADDED).payload(payload);
            Ok(Script::send([headers], ce(&[E::PROTOCOL_ERROR])))
        },
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..client(S)
    },
    Case {
        id: "client/rfc9113/6.2/padded-headers",
        description: "Sends the response HEADERS padded with 64 octets",
        requirement: "PADDED (0x08): When set, the PADDED flag indicates that the Pad Length field and any padding that it describes are present.",
        script: |ctx| {
            let s = ctx.stream();
            Ok(Script::send([ctx.response_headers(s, 200).padded(64).build().into(), ctx.body(s)], accepted(s)))
        },
        reactions: &[ACCEPTED_ROWS],
        ..client(S)
    },
    Case {
        id: "client/rfc9113/6.2/priority-flag-on-response",
        description: "Sends the response HEADERS with the PRIORITY flag (a dependency on stream 0, weight 16)",
        requirement: "PRIORITY (0x20): When set, the PRIORITY flag indicates that the Exclusive, Stream Dependency, and Weight fields are present. (RFC 9113 deprecates the fields, but a frame carrying them is valid.)",
        script: |ctx| {
            let s = ctx.stream();
            Ok(Script::send([ctx.response_headers(s, 200).priority(0, 15, false).build().into(), ctx.body(s)], accepted(s)))
        },
        reactions: &[ACCEPTED_ROWS],
        ..client(S)
    },
];
