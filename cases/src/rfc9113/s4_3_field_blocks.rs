//! RFC 9113 §4.3: field section compression and decompression.

use crate::common::*;
use h2probe_harness::case::{Case, Script};

const S: &str = "RFC 9113 §4.3";

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "rfc9113/4.3/undecodable-field-block",
        h2spec: Some("http2/4.3/1"),
        description: "Sends a HEADERS frame whose field block ends inside a literal (0x40)",
        requirement: "A decoding error in a field block MUST be treated as a connection error (Section 5.4.1) of type COMPRESSION_ERROR.",
        script: |_| Ok(Script::send([frames::headers(1).block([0x40]).end_stream()], ce(&[E::COMPRESSION_ERROR]))),
        ..must(S)
    },
    Case {
        id: "rfc9113/4.3/priority-inside-field-block",
        aliases: &["rfc9113/6.2/priority-inside-field-block", "http2/6.2/1"],
        h2spec: Some("http2/4.3/2"),
        description: "Sends HEADERS without END_HEADERS, then a PRIORITY frame",
        requirement: "Each field block is processed as a discrete unit. Field blocks MUST be transmitted as a contiguous sequence of frames, with no interleaved frames of any other type or from any other stream.",
        script: |ctx| {
            Ok(Script::send([ctx.get(1).no_end_headers().build(), frames::priority(1, 0, 15).build()], ce(&[E::PROTOCOL_ERROR]))
                .no_fence())
        },
        ..must(S)
    },
    Case {
        id: "rfc9113/4.3/other-stream-inside-field-block",
        aliases: &["rfc9113/6.2/headers-other-stream-inside-field-block", "http2/6.2/2"],
        h2spec: Some("http2/4.3/3"),
        description: "Sends HEADERS without END_HEADERS on stream 1, then HEADERS on stream 3",
        requirement: "Field blocks MUST be transmitted as a contiguous sequence of frames, with no interleaved frames of any other type or from any other stream.",
        script: |ctx| Ok(Script::send([ctx.get(1).no_end_headers().build(), ctx.get(3).build()], ce(&[E::PROTOCOL_ERROR])).no_fence()),
        ..must(S)
    },
];
