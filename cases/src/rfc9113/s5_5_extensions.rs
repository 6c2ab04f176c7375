//! RFC 9113 §5.5: extending HTTP/2.

use crate::common::*;
use h2probe_harness::case::{Case, Script};

const S: &str = "RFC 9113 §5.5";

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "rfc9113/5.5/unknown-frame-on-stream",
        description: "Sends an extension frame of unknown type 0xff on an open stream, then completes the request",
        requirement: "Implementations MUST discard frames that have unknown or unsupported types.",
        script: |ctx| {
            Ok(Script::send(
                [ctx.post(1).build(), frames::unknown(0xff, 1, filler(8)), frames::data(1, filler(4)).end_stream().build()],
                response(1),
            ))
        },
        ..must(S)
    },
    Case {
        id: "rfc9113/5.5/unknown-frame-inside-field-block",
        h2spec: Some("http2/5.5/2"),
        description: "Sends HEADERS without END_HEADERS, then an unknown extension frame",
        requirement: "Extension frames that appear in the middle of a field block (Section 4.3) are not permitted; these MUST be treated as a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
        script: |ctx| {
            Ok(Script::send([ctx.get(1).no_end_headers().build(), frames::unknown(0x16, 1, filler(8))], ce(&[E::PROTOCOL_ERROR])).no_fence())
        },
        ..must(S)
    },
];
