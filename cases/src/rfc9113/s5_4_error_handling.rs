//! RFC 9113 §5.4: error handling.

use crate::common::*;
use h2probe_harness::case::{Case, Script};
use h2probe_harness::expectation::Expectation;

const S: &str = "RFC 9113 §5.4.1";

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "rfc9113/5.4.1/close-after-connection-error",
        h2spec: Some("http2/5.4.1/1"),
        description: "Sends a PING on stream 3 (a connection error); the server must close the connection",
        requirement: "After sending the GOAWAY frame for an error condition, the endpoint MUST close the TCP connection.",
        script: |_| Ok(Script::send([frames::raw(FrameType::PING).stream(3).payload(filler(8))], Expectation::ConnectionClose)),
        reactions: &[&[
            row(GoAway(E::PROTOCOL_ERROR), Pass),
            row(Close, Pass),
            row(GoAwayOpen(E::PROTOCOL_ERROR), Fail),
            row(Ignore, Fail),
            row(Drop, Fail),
        ]],
        ..must(S)
    },
    Case {
        id: "rfc9113/5.4.1/goaway-before-close",
        h2spec: Some("http2/5.4.1/2"),
        description: "Sends a PING on stream 3 (a connection error); the server should send GOAWAY before closing",
        requirement: "An endpoint that encounters a connection error SHOULD first send a GOAWAY frame (Section 6.8) with the stream identifier of the last stream that it successfully received from its peer.",
        script: |_| Ok(Script::send([frames::raw(FrameType::PING).stream(3).payload(filler(8))], Expectation::GoAway)),
        reactions: &[&[
            row(GoAway(E::PROTOCOL_ERROR), Pass),
            row(GoAwayOpen(E::PROTOCOL_ERROR), Pass),
            row(Close, Fail),
            row(Ignore, Fail),
            row(Drop, Fail),
        ]],
        ..should(S)
    },
];
