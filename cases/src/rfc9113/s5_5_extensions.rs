//! RFC 9113 §5.5: extending HTTP/2.

use crate::common::*;
use h2probe_harness::case::{Case, Script};

const S: &str = "RFC 9113 §5.5";

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "rfc9113/5.5/unknown-frame-on-stream",
        description: "Sends a POST (content-length: 4), an extension frame of unknown type 0xff on its stream, then the body",
        requirement: "Implementations MUST discard frames that have unknown or unsupported types. (RFC 9113 §5.1: \"Receipt of frames for which the semantics are unknown cannot be treated as an error, as the conditions for sending and receiving those frames are also unknown\".)",
        script: |ctx| {
            Ok(Script::send(
                [ctx.post_sized(1, 4).build(), frames::unknown(0xff, 1, filler(8)), frames::data(1, filler(4)).end_stream().build()],
                response(1),
            ))
        },
        reactions: &[&served_rows(1)],
        ..must(S)
    },
    Case {
        id: "rfc9113/5.5/unknown-frame-inside-field-block",
        h2spec: Some("http2/5.5/2"),
        description: "Sends HEADERS without END_HEADERS, an unknown extension frame, then the CONTINUATION that completes the block",
        requirement: "However, extension frames that appear in the middle of a field block (Section 4.3) are not permitted; these MUST be treated as a connection error (Section 5.4.1) of type PROTOCOL_ERROR. (The CONTINUATION that completes the block follows the extension frame, then the PING fence: a server that discards the extension frame as an unknown one answers the request and the PING.)",
        script: |ctx| {
            let (headers, continuation) = super::s4_3_field_blocks::split_get(ctx);
            Ok(Script::send([headers, frames::unknown(0x16, 1, filler(8)), continuation], ce(&[E::PROTOCOL_ERROR])))
        },
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..must(S)
    },
];
