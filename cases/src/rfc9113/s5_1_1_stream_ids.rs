//! RFC 9113 §5.1.1: stream identifiers.

use crate::common::*;
use h2probe_harness::case::{Case, Script};

const S: &str = "RFC 9113 §5.1.1";
const UNEXPECTED: &str = "Streams initiated by a client MUST use odd-numbered stream identifiers … The identifier of a newly established stream MUST be numerically greater than all streams that the initiating endpoint has opened or reserved. … An endpoint that receives an unexpected stream identifier MUST respond with a connection error (Section 5.4.1) of type PROTOCOL_ERROR.";

/// A new stream whose identifier is not above every earlier one. §5.1.1 makes that a
/// connection error, but the lower stream is already closed and §5.1 lets an endpoint
/// discard frames on any closed stream: one rule, at SHOULD level.
const LOWER_ID: &str = "The identifier of a newly established stream MUST be numerically greater than all streams that the initiating endpoint has opened or reserved. … An endpoint that receives an unexpected stream identifier MUST respond with a connection error (Section 5.4.1) of type PROTOCOL_ERROR. (But stream 3 is already closed: \"When a stream transitions out of the \"idle\" state, all streams in the \"idle\" state that might have been opened by the peer with a lower-valued stream identifier immediately transition to \"closed\"\", and §5.1 says of closed streams \"An endpoint MAY treat receipt of any other type of frame on a closed stream as a connection error (Section 5.4.1) of type STREAM_CLOSED\" and \"An endpoint can perform this minimal processing for all streams that are in the \"closed\" state\", that is, minimally process and discard. RFC 9113 contradicts itself, so this runs at SHOULD level (--strict), either code passing: the connection error is what §5.1.1 names, discarding what §5.1 permits; nghttp2 (nghttpd, Apache, Node) ignores such HEADERS on purpose.)";

/// The same conflict for a stream identifier used twice.
const REUSED_ID: &str = "The identifier of a newly established stream MUST be numerically greater than all streams that the initiating endpoint has opened or reserved. … An endpoint that receives an unexpected stream identifier MUST respond with a connection error (Section 5.4.1) of type PROTOCOL_ERROR. … Stream identifiers cannot be reused. (But stream 1 is closed, and §5.1 says of closed streams \"An endpoint MAY treat receipt of any other type of frame on a closed stream as a connection error (Section 5.4.1) of type STREAM_CLOSED\" and \"An endpoint can perform this minimal processing for all streams that are in the \"closed\" state\", that is, minimally process and discard. RFC 9113 contradicts itself, so this runs at SHOULD level (--strict), either code passing: the connection error is what §5.1.1 names, discarding what §5.1 permits. Apache and Node discard the HEADERS.)";

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "rfc9113/5.1.1/even-stream-id",
        h2spec: Some("http2/5.1.1/1"),
        description: "Opens stream 2, an even (server-initiated) identifier",
        requirement: UNEXPECTED,
        script: |ctx| Ok(Script::send([ctx.get(2)], ce(&[E::PROTOCOL_ERROR]))),
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
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
        reactions: &[&super::s5_1_stream_states::ce2_rows(3, E::PROTOCOL_ERROR, E::STREAM_CLOSED)],
        ..should(S)
    },
    Case {
        id: "rfc9113/5.1.1/reused-stream-id",
        aliases: &["rfc9113/5.1/closed-headers", "http2/5.1/12"],
        description: "Completes a request on stream 1, then opens stream 1 again with a new request",
        requirement: REUSED_ID,
        script: |ctx| {
            Ok(Script::steps(
                vec![send([ctx.get(1)]), Step::Await(h2probe_harness::expectation::Expectation::ResponseComplete { stream: StreamId(1) }), send([ctx.get(1)])],
                ce(&[E::PROTOCOL_ERROR, E::STREAM_CLOSED]),
            ))
        },
        reactions: &[&super::s5_1_stream_states::ce2_rows(1, E::PROTOCOL_ERROR, E::STREAM_CLOSED)],
        ..should(S)
    },
    Case {
        id: "rfc9113/5.1.1/skipped-stream-ids-accepted",
        description: "Opens stream 1, then stream 101, leaving the identifiers between unused; both must be served",
        requirement: "The identifier of a newly established stream MUST be numerically greater than all streams that the initiating endpoint has opened or reserved. … When a stream transitions out of the \"idle\" state, all streams in the \"idle\" state that might have been opened by the peer with a lower-valued stream identifier immediately transition to \"closed\". That is, an endpoint may skip a stream identifier, with the effect being that the skipped stream is immediately closed.",
        script: |ctx| Ok(Script::send([ctx.get(1).build(), ctx.get(101).build()], response(101))),
        reactions: &[&served_rows(101)],
        ..must(S)
    },
];
