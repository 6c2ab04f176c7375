//! RFC 9113 §8.7: requests the server says it did not process (GOAWAY with a lower last
//! stream id, RST_STREAM(REFUSED_STREAM)): the client may retry them, must not open streams
//! on a connection after its GOAWAY, and must not retry without end.

use super::*;
use h2probe_harness::case::{Others, Script};

const S: &str = "RFC 9113 §8.7";
const RETRY: &str = "The GOAWAY frame indicates the highest stream number that might have been processed. Requests on streams with higher numbers are therefore guaranteed to be safe to retry. … Requests that have not been processed have not failed; clients MAY automatically retry them, even those with non-idempotent methods.";
const REFUSED: &str = "The REFUSED_STREAM error code can be included in a RST_STREAM frame to indicate that the stream is being closed prior to any processing having occurred. Any request that was sent on the reset stream can be safely retried. … Requests that have not been processed have not failed; clients MAY automatically retry them, even those with non-idempotent methods.";

/// After a GOAWAY below the request: a retry on a new connection passes; reporting the
/// failure is lenient (§8.7 allows it, though the request did not fail); a new stream on
/// the same connection breaks §6.8.
const GOAWAY_ROWS: &[Row] = &[
    row(RetryNewConnection, Pass),
    row(Ignore, Lenient),
    row(GiveUp, Lenient),
    row(Close, Lenient),
    row(RetrySameConnection, Fail),
    row(Hang, Fail),
    row(Crash, Fail),
];

/// After REFUSED_STREAM: a retry on a new stream or connection passes; reporting the
/// failure is lenient (the lenient client, "ignoring" nothing, does that).
const REFUSED_ROWS: &[Row] = &[
    row(RetryNewConnection, Pass),
    row(RetrySameConnection, Pass),
    row(Ignore, Lenient),
    row(GiveUp, Lenient),
    row(Hang, Fail),
    row(Crash, Fail),
];

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "client/rfc9113/8.7/goaway-unprocessed-retried",
        description: "Answers the request with GOAWAY(last stream 0, NO_ERROR): the request was not processed; a new connection is answered normally",
        requirement: RETRY,
        script: |ctx| {
            Ok(Script::send([frames::goaway(0, E::NO_ERROR).build()], Expectation::Retried { stream: StreamId(ctx.stream()), goaway_last: Some(0) }))
        },
        reactions: &[GOAWAY_ROWS],
        ..client(S)
    },
    Case {
        id: "client/rfc9113/8.7/goaway-unprocessed-post-retried",
        description: "Answers a POST with GOAWAY(last stream 0, NO_ERROR) before reading its body; a new connection is answered normally",
        requirement: RETRY,
        script: |ctx| {
            Ok(Script::send([frames::goaway(0, E::NO_ERROR).build()], Expectation::Retried { stream: StreamId(ctx.stream()), goaway_last: Some(0) }))
        },
        reactions: &[GOAWAY_ROWS],
        ..client_post(S, 1_000)
    },
    Case {
        id: "client/rfc9113/8.7/goaway-error-unprocessed-retried",
        description: "Answers the request with GOAWAY(last stream 0, ENHANCE_YOUR_CALM) and closes; a new connection is answered normally",
        requirement: RETRY,
        script: |ctx| {
            Ok(Script::send([frames::goaway(0, E::ENHANCE_YOUR_CALM).build()], Expectation::Retried { stream: StreamId(ctx.stream()), goaway_last: Some(0) }))
        },
        reactions: &[GOAWAY_ROWS],
        ..client(S)
    },
    Case {
        id: "client/rfc9113/8.7/refused-stream-retried",
        description: "Resets the request with REFUSED_STREAM; a retry (new stream or connection) is answered normally",
        requirement: REFUSED,
        script: |ctx| {
            let s = ctx.stream();
            Ok(Script::send([frames::rst_stream(s, E::REFUSED_STREAM)], Expectation::Retried { stream: StreamId(s), goaway_last: None }))
        },
        reactions: &[REFUSED_ROWS],
        ..client(S)
    },
    Case {
        id: "client/rfc9113/8.7/refused-always-bounded",
        description: "Refuses the request and every retry with REFUSED_STREAM; the client must give up",
        requirement: "An endpoint that doesn't monitor use of these features exposes itself to a risk of denial of service. Implementations SHOULD track the use of these features and set limits on their use. (A request refused again and again has to fail at some point: more than 20 retries fail the case.)",
        script: |ctx| Ok(Script::send([frames::rst_stream(ctx.stream(), E::REFUSED_STREAM)], Expectation::RetriesBounded { max: 20 }).others(Others::Refuse)),
        reactions: &[&[
            row(GiveUp, Pass),
            row(Ignore, Pass),
            row(RetryNewConnection, Pass),
            row(RetryForever, Fail),
            row(Hang, Fail),
            row(Crash, Fail),
        ]],
        ..client_should("RFC 9113 §10.5")
    },
];
