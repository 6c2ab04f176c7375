//! RFC 9113 §5.1.1: stream identifiers.

use crate::common::*;
use h2probe_harness::case::{Case, Script};

const S: &str = "RFC 9113 §5.1.1";
const UNEXPECTED: &str = "Streams initiated by a client MUST use odd-numbered stream identifiers … The identifier of a newly established stream MUST be numerically greater than all streams that the initiating endpoint has opened or reserved. … An endpoint that receives an unexpected stream identifier MUST respond with a connection error (Section 5.4.1) of type PROTOCOL_ERROR.";

/// A new stream whose identifier is not above every earlier one. §5.1.1 makes that a
/// connection error, but the lower stream is already closed and §5.1 lets an endpoint
/// discard frames on any closed stream: one rule, at SHOULD level.
const LOWER_ID: &str = "The identifier of a newly established stream MUST be numerically greater than all streams that the initiating endpoint has opened or reserved. … An endpoint that receives an unexpected stream identifier MUST respond with a connection error (Section 5.4.1) of type PROTOCOL_ERROR. (But the lower stream is already closed: \"The first use of a new stream identifier implicitly closes all streams in the 'idle' state that might have been initiated by that peer with a lower-valued stream identifier\", and §5.1 says of closed streams \"An endpoint MAY treat receipt of any other type of frame on a closed stream as a connection error (Section 5.4.1) of type STREAM_CLOSED\" and \"An endpoint can perform this minimal processing for all streams that are in the 'closed' state\". RFC 9113 contradicts itself, so this runs at SHOULD level (--strict); nghttp2 ignores such HEADERS on purpose.)";

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "rfc9113/5.1.1/even-stream-id",
        h2spec: Some("http2/5.1.1/1"),
        description: "Opens stream 2, an even (server-initiated) identifier",
        requirement: UNEXPECTED,
        script: |ctx| Ok(Script::send([ctx.get(2)], ce(&[E::PROTOCOL_ERROR]))),
        ..must(S)
    },
    Case {
        id: "rfc9113/5.1.1/decreasing-stream-id",
        h2spec: Some("http2/5.1.1/2"),
        description: "Opens stream 5, then stream 3",
        requirement: LOWER_ID,
        // Opening stream 5 "implicitly closes all streams in the idle state … with a
        // lower-valued stream identifier" (§5.1.1), and §5.1 lets a frame on a closed stream
        // be a connection error of type STREAM_CLOSED: both codes follow the RFC.
        script: |ctx| Ok(Script::send([ctx.get(5), ctx.get(3)], ce(&[E::PROTOCOL_ERROR, E::STREAM_CLOSED]))),
        ..should(S)
    },
    Case {
        id: "rfc9113/5.1.1/reused-stream-id",
        aliases: &["rfc9113/5.1/closed-headers", "http2/5.1/12"],
        description: "Completes a request on stream 1, then opens stream 1 again with a new request",
        requirement: LOWER_ID,
        script: |ctx| {
            Ok(Script::steps(
                vec![send([ctx.get(1)]), Step::Await(h2probe_harness::expectation::Expectation::ResponseComplete { stream: StreamId(1) }), send([ctx.get(1)])],
                ce(&[E::PROTOCOL_ERROR, E::STREAM_CLOSED]),
            ))
        },
        ..should(S)
    },
    Case {
        id: "rfc9113/5.1.1/skipped-stream-ids-accepted",
        description: "Opens stream 1, then stream 101, leaving the identifiers between unused; both must be served",
        requirement: "The identifier of a newly established stream MUST be numerically greater than all streams that the initiating endpoint has opened or reserved. … The first use of a new stream identifier implicitly closes all streams in the \"idle\" state that might have been initiated by that peer with a lower-valued stream identifier. (Identifiers need not be consecutive.)",
        script: |ctx| Ok(Script::send([ctx.get(1).build(), ctx.get(101).build()], response(101))),
        ..must(S)
    },
];
