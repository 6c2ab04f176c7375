//! RFC 9113 §5.1: stream states — what each state lets a peer send.
//!
//! Where §5.1 and the frame sections name different errors for the same frame (DATA on an
//! idle stream is a connection error PROTOCOL_ERROR under §5.1 and a stream error
//! STREAM_CLOSED under §6.1), both are accepted: a server obeying either MUST is right.

use crate::common::*;
use h2probe_harness::case::{Case, Script};
use h2probe_harness::expectation::Expectation;

const S: &str = "RFC 9113 §5.1";

const IDLE: &str = "idle: Receiving any frame other than HEADERS or PRIORITY on a stream in this state MUST be treated as a connection error (Section 5.4.1) of type PROTOCOL_ERROR.";
const HALF_CLOSED_REMOTE: &str = "half-closed (remote): If an endpoint receives additional frames, other than WINDOW_UPDATE, PRIORITY, or RST_STREAM, for a stream that is in this state, it MUST respond with a stream error (Section 5.4.2) of type STREAM_CLOSED.";
const DATA_NOT_OPEN: &str = "If a DATA frame is received whose stream is not in the \"open\" or \"half-closed (local)\" state, the recipient MUST respond with a stream error (Section 5.4.2) of type STREAM_CLOSED. (RFC 9113 §6.1)";
const CONTINUATION_ALONE: &str = "A CONTINUATION frame MUST be preceded by a HEADERS, PUSH_PROMISE or CONTINUATION frame without the END_HEADERS flag set. A recipient that observes violation of this rule MUST respond with a connection error (Section 5.4.1) of type PROTOCOL_ERROR. (RFC 9113 §6.10; §5.1 also lets a closed stream's frames be a connection error of type STREAM_CLOSED.)";
/// RFC 7540 §5.1 made frames on a closed stream a MUST-level error; RFC 9113 §5.1 says only
/// "An endpoint MAY treat receipt of any other type of frame on a closed stream as a
/// connection error (Section 5.4.1) of type STREAM_CLOSED", so these run under `rfc7540`.
const RFC7540_CLOSED: &str = "RFC 7540 §5.1: An endpoint that receives any frame other than PRIORITY after receiving a RST_STREAM MUST treat that as a stream error (Section 5.4.2) of type STREAM_CLOSED. Similarly, an endpoint that receives any frames after receiving a frame with the END_STREAM flag set MUST treat that as a connection error (Section 5.4.1) of type STREAM_CLOSED. (RFC 9113 relaxed this to a MAY.)";

/// Waits for the response to a GET on stream 1 to end, so the stream is closed.
fn closed_stream_1(ctx: &h2probe_harness::case::Ctx) -> Vec<Step> {
    vec![
        send([ctx.get(1)]),
        Step::Await(Expectation::ResponseComplete {
            stream: StreamId(1),
        }),
    ]
}

/// DATA on a closed stream. RFC 9113 contradicts itself here, so the case runs at SHOULD level.
const DATA_ON_CLOSED: &str = "If a DATA frame is received whose stream is not in the \"open\" or \"half-closed (local)\" state, the recipient MUST respond with a stream error (Section 5.4.2) of type STREAM_CLOSED. (RFC 9113 §6.1. But RFC 9113 contradicts itself here. §5.1, closed: \"An endpoint MAY treat receipt of any other type of frame on a closed stream as a connection error (Section 5.4.1) of type STREAM_CLOSED\" … \"An endpoint can perform this minimal processing for all streams that are in the 'closed' state\", that is, minimally process and discard. Both readings are defensible, so this runs at SHOULD level (--strict): the error is what §6.1 names, discarding (nghttp2, Apache, nginx) what §5.1 permits.)";

const CLOSED_IGNORE: &str = "closed: … WINDOW_UPDATE or RST_STREAM frames can be received in this state for a short period after a DATA or HEADERS frame containing an END_STREAM flag is sent. … Endpoints MUST ignore WINDOW_UPDATE or RST_STREAM frames received in this state, though endpoints MAY choose to treat frames that arrive a significant time after sending END_STREAM as a connection error (Section 5.4.1) of type PROTOCOL_ERROR.";

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "rfc9113/5.1/idle-data",
        h2spec: Some("http2/5.1/1"),
        description: "idle: sends a DATA frame on an idle stream",
        requirement: IDLE,
        script: |_| Ok(Script::send([frames::data(1, filler(8)).end_stream()], se(1, &[E::PROTOCOL_ERROR, E::STREAM_CLOSED]))),
        ..must(S)
    },
    Case {
        id: "rfc9113/5.1/idle-window-update",
        h2spec: Some("http2/5.1/3"),
        description: "idle: sends a WINDOW_UPDATE frame on an idle stream",
        requirement: IDLE,
        script: |_| Ok(Script::send([frames::window_update(1, 100)], ce(&[E::PROTOCOL_ERROR]))),
        ..must(S)
    },
    Case {
        id: "rfc9113/5.1/idle-continuation",
        h2spec: Some("http2/5.1/4"),
        description: "idle: sends a CONTINUATION frame on an idle stream",
        requirement: IDLE,
        script: |ctx| {
            let block = ctx.get(1).encoded_block();
            Ok(Script::send([frames::continuation(1, block).end_headers()], ce(&[E::PROTOCOL_ERROR])))
        },
        ..must(S)
    },
    Case {
        id: "rfc9113/5.1/half-closed-remote-data",
        h2spec: Some("http2/5.1/5"),
        description: "half-closed (remote): sends DATA after a request with END_STREAM",
        requirement: HALF_CLOSED_REMOTE,
        script: |ctx| Ok(Script::send([ctx.get(1).build(), frames::data(1, filler(8)).build()], se(1, &[E::STREAM_CLOSED]))),
        setup: HOLD_RESPONSE,
        ..must(S)
    },
    Case {
        id: "rfc9113/5.1/half-closed-remote-headers",
        h2spec: Some("http2/5.1/6"),
        description: "half-closed (remote): sends a second HEADERS after a request with END_STREAM",
        requirement: HALF_CLOSED_REMOTE,
        script: |ctx| Ok(Script::send([ctx.get(1).build(), ctx.get(1).build()], se(1, &[E::STREAM_CLOSED]))),
        setup: HOLD_RESPONSE,
        ..must(S)
    },
    Case {
        id: "rfc9113/5.1/half-closed-remote-continuation",
        h2spec: Some("http2/5.1/7"),
        description: "half-closed (remote): sends a CONTINUATION after a complete request",
        requirement: HALF_CLOSED_REMOTE,
        script: |ctx| {
            let block = ctx.get(1).encoded_block();
            Ok(Script::send(
                [ctx.get(1).build(), frames::continuation(1, block).end_headers().build()],
                se(1, &[E::STREAM_CLOSED, E::PROTOCOL_ERROR]),
            ))
        },
        setup: HOLD_RESPONSE,
        ..must(S)
    },
    Case {
        id: "rfc9113/5.1/closed-after-rst-data",
        h2spec: Some("http2/5.1/8"),
        description: "closed: sends DATA after resetting the stream with RST_STREAM",
        requirement: DATA_ON_CLOSED,
        script: |ctx| {
            Ok(Script::send(
                [ctx.post(1).build(), frames::rst_stream(1, E::CANCEL), frames::data(1, filler(8)).build()],
                se(1, &[E::STREAM_CLOSED]),
            ))
        },
        setup: crate::common::HOLD_RESPONSE,
        ..should(S)
    },
    Case {
        id: "rfc9113/5.1/closed-after-rst-headers",
        h2spec: Some("http2/5.1/9"),
        description: "closed: sends HEADERS after resetting the stream with RST_STREAM",
        requirement: RFC7540_CLOSED,
        tags: &["rfc7540"],
        script: |ctx| {
            Ok(Script::send([ctx.post(1).build(), frames::rst_stream(1, E::CANCEL), ctx.get(1).build()], se(1, &[E::STREAM_CLOSED])))
        },
        ..must(S)
    },
    Case {
        id: "rfc9113/5.1/closed-after-rst-continuation",
        h2spec: Some("http2/5.1/10"),
        description: "closed: sends CONTINUATION after resetting the stream with RST_STREAM",
        requirement: CONTINUATION_ALONE,
        script: |ctx| {
            let block = ctx.get(1).encoded_block();
            Ok(Script::send(
                [ctx.post(1).build(), frames::rst_stream(1, E::CANCEL), frames::continuation(1, block).end_headers().build()],
                se(1, &[E::STREAM_CLOSED, E::PROTOCOL_ERROR]),
            ))
        },
        setup: crate::common::HOLD_RESPONSE,
        ..must(S)
    },
    Case {
        id: "rfc9113/5.1/closed-data",
        h2spec: Some("http2/5.1/11"),
        description: "closed: sends DATA on a stream whose response has ended",
        requirement: DATA_ON_CLOSED,
        script: |ctx| {
            let mut steps = closed_stream_1(ctx);
            steps.push(send([frames::data(1, filler(8)).build()]));
            Ok(Script::steps(steps, se(1, &[E::STREAM_CLOSED])))
        },
        ..should(S)
    },
    Case {
        id: "rfc9113/5.1/closed-continuation",
        h2spec: Some("http2/5.1/13"),
        description: "closed: sends CONTINUATION on a stream whose response has ended",
        requirement: CONTINUATION_ALONE,
        script: |ctx| {
            let block = ctx.get(1).encoded_block();
            let mut steps = closed_stream_1(ctx);
            steps.push(send([frames::continuation(1, block).end_headers()]));
            Ok(Script::steps(steps, ce(&[E::STREAM_CLOSED, E::PROTOCOL_ERROR])))
        },
        ..must(S)
    },
    Case {
        id: "rfc9113/5.1/half-closed-remote-window-update",
        h2spec: Some("generic/2/2"),
        description: "half-closed (remote): sends WINDOW_UPDATE after a request with END_STREAM; the response must still arrive",
        requirement: HALF_CLOSED_REMOTE,
        script: |ctx| Ok(Script::send([ctx.get(1).build(), frames::window_update(1, 1)], response(1))),
        ..must(S)
    },
    Case {
        id: "rfc9113/5.1/half-closed-remote-priority",
        h2spec: Some("generic/2/3"),
        description: "half-closed (remote): sends PRIORITY after a request with END_STREAM; the response must still arrive",
        requirement: HALF_CLOSED_REMOTE,
        script: |ctx| Ok(Script::send([ctx.get(1).build(), frames::priority(1, 0, 15).build()], response(1))),
        ..must(S)
    },
    Case {
        id: "rfc9113/5.1/half-closed-remote-rst-stream",
        h2spec: Some("generic/2/4"),
        description: "half-closed (remote): sends RST_STREAM after a request with END_STREAM; the connection must stay usable",
        requirement: HALF_CLOSED_REMOTE,
        script: |ctx| Ok(Script::send([ctx.get(1).build(), frames::rst_stream(1, E::CANCEL)], Expectation::Ignored { close_ok: false })),
        ..must(S)
    },
    Case {
        id: "rfc9113/5.1/idle-priority",
        h2spec: Some("generic/2/1"),
        description: "idle: sends a PRIORITY frame on an idle stream; it must be accepted",
        requirement: IDLE,
        script: |_| Ok(Script::send([frames::priority(1, 0, 15)], IGNORED)),
        ..must(S)
    },
    Case {
        id: "rfc9113/5.1/closed-priority",
        h2spec: Some("generic/2/5"),
        description: "closed: sends a PRIORITY frame on a closed stream; it must be accepted",
        requirement: "closed: An endpoint MUST NOT send frames other than PRIORITY on a closed stream. (§6.3: The PRIORITY frame can be sent for a stream in any state, including idle or closed streams.)",
        script: |ctx| {
            let mut steps = closed_stream_1(ctx);
            steps.push(send([frames::priority(1, 0, 15)]));
            Ok(Script::steps(steps, IGNORED))
        },
        ..must(S)
    },
    Case {
        id: "rfc9113/5.1/closed-window-update",
        description: "closed: sends WINDOW_UPDATE on a stream just after its response ended; it must be ignored",
        requirement: CLOSED_IGNORE,
        script: |ctx| {
            let mut steps = closed_stream_1(ctx);
            steps.push(send([frames::window_update(1, 1)]));
            Ok(Script::steps(steps, IGNORED))
        },
        ..must(S)
    },
    Case {
        id: "rfc9113/5.1/closed-rst-stream",
        description: "closed: sends RST_STREAM(CANCEL) on a stream just after its response ended; it must be ignored",
        requirement: CLOSED_IGNORE,
        script: |ctx| {
            let mut steps = closed_stream_1(ctx);
            steps.push(send([frames::rst_stream(1, E::CANCEL)]));
            Ok(Script::steps(steps, IGNORED))
        },
        ..must(S)
    },
    Case {
        id: "rfc9113/5.1/max-stream-id",
        description: "Opens its first stream with the largest identifier, 2^31-1; the request must be served",
        requirement: "Streams are identified by an unsigned 31-bit integer. … The identifier of a newly established stream MUST be numerically greater than all streams that the initiating endpoint has opened or reserved. (RFC 9113 §5.1.1: 2^31-1 is a valid client stream identifier.)",
        script: |ctx| Ok(Script::send([ctx.get(0x7fff_ffff)], response(0x7fff_ffff))),
        ..must(S)
    },
];
