//! RFC 9113 §7: error codes.

use crate::common::*;
use h2probe_harness::case::{Case, Script};
use h2probe_harness::expectation::Expectation;

const S: &str = "RFC 9113 §7";
const UNKNOWN: &str = "Unknown or unsupported error codes MUST NOT trigger any special behavior. These MAY be treated by an implementation as being equivalent to INTERNAL_ERROR.";

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "rfc9113/7/goaway-unknown-code",
        h2spec: Some("http2/7/1"),
        description: "Sends GOAWAY with unknown error code 0xff",
        requirement: UNKNOWN,
        script: |_| Ok(Script::send([frames::goaway(0, E(0xff))], Expectation::Ignored { close_ok: true })),
        ..must(S)
    },
    Case {
        id: "rfc9113/7/rst-stream-unknown-code",
        h2spec: Some("http2/7/2"),
        description: "Opens a stream and resets it with unknown error code 0xff",
        requirement: UNKNOWN,
        script: |ctx| Ok(Script::send([ctx.post(1).build(), frames::rst_stream(1, E(0xff))], IGNORED)),
        ..must(S)
    },
];
