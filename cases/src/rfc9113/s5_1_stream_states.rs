//! RFC 9113 §5.1: stream states — what each state lets a peer send.
//!
//! Where §5.1 and the frame sections name different errors for the same frame (DATA on an
//! idle stream is a connection error PROTOCOL_ERROR under §5.1 and a stream error
//! STREAM_CLOSED under §6.1), RFC 9113 §5.4 decides: "If an endpoint detects multiple
//! different errors, it MAY choose to report any one of those errors. If a frame causes a
//! connection error, that error MUST be reported." So the connection error is due, and the
//! other section's code is accepted on it.

use crate::common::*;
use h2probe_harness::case::{Case, Script};
use h2probe_harness::expectation::Expectation;

const S: &str = "RFC 9113 §5.1";

const IDLE: &str = "idle: Receiving any frame other than HEADERS or PRIORITY on a stream in this state MUST be treated as a connection error (Section 5.4.1) of type PROTOCOL_ERROR.";
const HALF_CLOSED_REMOTE: &str = "half-closed (remote): If an endpoint receives additional frames, other than WINDOW_UPDATE, PRIORITY, or RST_STREAM, for a stream that is in this state, it MUST respond with a stream error (Section 5.4.2) of type STREAM_CLOSED.";
const CONTINUATION_ALONE: &str = "A CONTINUATION frame MUST be preceded by a HEADERS, PUSH_PROMISE or CONTINUATION frame without the END_HEADERS flag set. A recipient that observes violation of this rule MUST respond with a connection error (Section 5.4.1) of type PROTOCOL_ERROR. (RFC 9113 §6.10. The stream is closed, and §5.1 names STREAM_CLOSED for that: \"An endpoint MAY treat receipt of any other type of frame on a closed stream as a connection error (Section 5.4.1) of type STREAM_CLOSED\". Either code passes; a RST_STREAM alone fails, §5.4: \"If a frame causes a connection error, that error MUST be reported.\")";
const CONTINUATION_HALF_CLOSED: &str = "A CONTINUATION frame MUST be preceded by a HEADERS, PUSH_PROMISE or CONTINUATION frame without the END_HEADERS flag set. A recipient that observes violation of this rule MUST respond with a connection error (Section 5.4.1) of type PROTOCOL_ERROR. (RFC 9113 §6.10. The stream is half-closed (remote), where §5.1 names STREAM_CLOSED: \"If an endpoint receives additional frames, other than WINDOW_UPDATE, PRIORITY, or RST_STREAM, for a stream that is in this state, it MUST respond with a stream error (Section 5.4.2) of type STREAM_CLOSED.\" The connection error is the one due, §5.4: \"If a frame causes a connection error, that error MUST be reported.\" Either code passes on it; a RST_STREAM alone fails.)";
/// RFC 7540 §5.1 made frames on a closed stream a MUST-level error; RFC 9113 §5.1 says only
/// "An endpoint MAY treat receipt of any other type of frame on a closed stream as a
/// connection error (Section 5.4.1) of type STREAM_CLOSED", so these run under `rfc7540`.
const RFC7540_CLOSED: &str = "RFC 7540 §5.1: An endpoint that receives any frame other than PRIORITY after receiving a RST_STREAM MUST treat that as a stream error (Section 5.4.2) of type STREAM_CLOSED. Similarly, an endpoint that receives any frames after receiving a frame with the END_STREAM flag set MUST treat that as a connection error (Section 5.4.1) of type STREAM_CLOSED. (RFC 9113 relaxed this to a MAY.)";

/// The trailer block of stream 1, which only inserts `x-h2probe-marker: decoded` into the
/// dynamic table (literal with incremental indexing), with END_STREAM.
fn trailers_inserting_marker() -> h2probe_codec::frame::Frame {
    let mut block = Vec::new();
    h2probe_codec::hpack::Representation::literal("x-h2probe-marker", "decoded").incremental().encode(&mut block);
    frames::headers(1).block(block).end_stream().build()
}

/// A GET on `stream` that references the marker by index 62 (requests are otherwise
/// encoded without touching the dynamic table, so the marker is entry 62).
fn get_referencing_marker(ctx: &h2probe_harness::case::Ctx, stream: u32) -> h2probe_codec::frame::Frame {
    let mut block = ctx.get(stream).encoded_block();
    h2probe_codec::hpack::Representation::indexed(62).encode(&mut block);
    ctx.get(stream).block(block).build()
}

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
pub(crate) const DATA_ON_CLOSED: &str = "If a DATA frame is received whose stream is not in the \"open\" or \"half-closed (local)\" state, the recipient MUST respond with a stream error (Section 5.4.2) of type STREAM_CLOSED. (RFC 9113 §6.1. But RFC 9113 contradicts itself here. §5.1, closed: \"An endpoint MAY treat receipt of any other type of frame on a closed stream as a connection error (Section 5.4.1) of type STREAM_CLOSED\" … \"An endpoint MUST minimally process and then discard any frames it receives in this state.\" … \"An endpoint can perform this minimal processing for all streams that are in the \"closed\" state.\" RFC 7540 §5.1 made an error a MUST here (a stream error after RST_STREAM, a connection error after END_STREAM, both STREAM_CLOSED); RFC 9113 §5.1 makes it a MAY and allows discarding on every closed stream. Both readings are defensible, so this runs at SHOULD level (--strict): the error is what §6.1 names, discarding (Apache, nginx, Node) what §5.1 permits.)";

/// WINDOW_UPDATE or RST_STREAM on a stream the server has just closed: RFC 9113 expects
/// them and excepts them from the MAY-error of closed streams, but no longer says MUST
/// ignore (RFC 7540 §5.1 did), so these run at SHOULD level.
const CLOSED_LATE_FRAME: &str = "closed: … An endpoint MAY treat receipt of any other type of frame on a closed stream as a connection error (Section 5.4.1) of type STREAM_CLOSED, except as noted below. An endpoint that sends a frame with the END_STREAM flag set or a RST_STREAM frame might receive a WINDOW_UPDATE or RST_STREAM frame from its peer in the time before the peer receives and processes the frame that closes the stream. (An interoperability check, SHOULD level: RFC 7540 §5.1 said \"Endpoints MUST ignore WINDOW_UPDATE or RST_STREAM frames received in this state\"; RFC 9113 dropped that sentence, and also lets an endpoint that knows the peer saw the close treat later frames as an error: \"Endpoints MAY use other signals to detect that a peer has received the frames that caused the stream to enter the \"closed\" state and treat receipt of any frame other than PRIORITY as a connection error (Section 5.4.1) of type PROTOCOL_ERROR.\" Our WINDOW_UPDATE for the last DATA is such a signal.)";

/// A RST_STREAM that must be accepted: nothing answers it. An error, a close, or a
/// RST_STREAM in answer (§5.4.2: "To avoid looping, an endpoint MUST NOT send a RST_STREAM
/// in response to a RST_STREAM frame") fail.
const RESET_ACCEPTED_ROWS: &[Row] = &[
    row(Ignore, Pass),
    row(Reset(1, E::STREAM_CLOSED), Fail),
    row(Reset(1, E::PROTOCOL_ERROR), Fail),
    row(GoAway(E::PROTOCOL_ERROR), Fail),
    row(Close, Fail),
];

/// A connection error for which the RFC names two codes (`a` is the one named for the
/// frame's kind, `b` the one of the stream's state): either passes; INTERNAL_ERROR is the
/// generic code in place of the specific one (§5.4); a RST_STREAM alone fails (§5.4: the
/// connection error MUST be reported), as do ignoring it and wrong or undefined codes.
pub(crate) const fn ce2_rows(stream: u32, a: E, b: E) -> [Row; 11] {
    [
        row(GoAway(a), Pass),
        row(GoAway(b), Pass),
        row(GoAway(E::INTERNAL_ERROR), Alternative),
        row(ResetThenGoAway(stream, b, a), Pass),
        row(Close, Lenient),
        row(Ignore, Fail),
        row(Reset(stream, a), Fail),
        row(Reset(stream, b), Fail),
        row(GoAway(E::HTTP_1_1_REQUIRED), Fail),
        row(GoAway(E::FLOW_CONTROL_ERROR), Fail),
        row(GoAway(E(0xfe)), Fail),
    ]
}

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "rfc9113/5.1/idle-data",
        h2spec: Some("http2/5.1/1"),
        description: "idle: sends a DATA frame on an idle stream",
        requirement: "idle: Receiving any frame other than HEADERS or PRIORITY on a stream in this state MUST be treated as a connection error (Section 5.4.1) of type PROTOCOL_ERROR. (RFC 9113 §6.1 also names a stream error for it: \"If a DATA frame is received whose stream is not in the \"open\" or \"half-closed (local)\" state, the recipient MUST respond with a stream error (Section 5.4.2) of type STREAM_CLOSED.\" §5.4 decides: \"If an endpoint detects multiple different errors, it MAY choose to report any one of those errors. If a frame causes a connection error, that error MUST be reported.\" So the connection error is due: STREAM_CLOSED on it is taken leniently, as the code §6.1 applies to this frame; a RST_STREAM alone fails.)",
        script: |_| {
            Ok(Script::send([frames::data(1, filler(8)).end_stream()], ce(&[E::PROTOCOL_ERROR]).or_applicable(&[E::STREAM_CLOSED])))
        },
        reactions: &[&ce_rows(E::PROTOCOL_ERROR), &[row(GoAway(E::STREAM_CLOSED), Lenient), row(Reset(1, E::STREAM_CLOSED), Fail)]],
        ..must(S)
    },
    Case {
        id: "rfc9113/5.1/idle-window-update",
        h2spec: Some("http2/5.1/3"),
        description: "idle: sends a WINDOW_UPDATE frame on an idle stream",
        requirement: IDLE,
        script: |_| Ok(Script::send([frames::window_update(1, 100)], ce(&[E::PROTOCOL_ERROR]))),
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
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
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..must(S)
    },
    Case {
        id: "rfc9113/5.1/half-closed-remote-data",
        aliases: &["rfc9113/6.1/not-open", "http2/6.1/2"],
        h2spec: Some("http2/5.1/5"),
        description: "half-closed (remote): sends DATA after a request with END_STREAM",
        requirement: HALF_CLOSED_REMOTE,
        script: |ctx| Ok(Script::send([ctx.get(1).build(), frames::data(1, filler(8)).build()], se(1, &[E::STREAM_CLOSED]))),
        setup: HOLD_RESPONSE,
        reactions: &[&se_rows(1, E::STREAM_CLOSED)],
        ..must(S)
    },
    Case {
        id: "rfc9113/5.1/half-closed-remote-headers",
        h2spec: Some("http2/5.1/6"),
        description: "half-closed (remote): after a GET with END_STREAM, sends a second HEADERS on the stream, a valid trailer-like block (no pseudo-header fields) with END_STREAM",
        requirement: "half-closed (remote): If an endpoint receives additional frames, other than WINDOW_UPDATE, PRIORITY, or RST_STREAM, for a stream that is in this state, it MUST respond with a stream error (Section 5.4.2) of type STREAM_CLOSED. (The second block is a well-formed field section without pseudo-header fields, so only the stream state is wrong; a block of request pseudo-header fields would also make a malformed trailer section, §8.1, where PROTOCOL_ERROR applies directly.)",
        script: |ctx| {
            let second = frames::headers(1).field("x-h2probe-after-end-stream", "1").end_stream();
            Ok(Script::send([ctx.get(1).build(), second.build()], se(1, &[E::STREAM_CLOSED])))
        },
        setup: HOLD_RESPONSE,
        reactions: &[&se_rows(1, E::STREAM_CLOSED)],
        ..must(S)
    },
    Case {
        id: "rfc9113/5.1/half-closed-remote-continuation",
        h2spec: Some("http2/5.1/7"),
        description: "half-closed (remote): sends a CONTINUATION after a complete request",
        requirement: CONTINUATION_HALF_CLOSED,
        script: |ctx| {
            let block = ctx.get(1).encoded_block();
            Ok(Script::send(
                [ctx.get(1).build(), frames::continuation(1, block).end_headers().build()],
                ce(&[E::PROTOCOL_ERROR, E::STREAM_CLOSED]),
            ))
        },
        setup: HOLD_RESPONSE,
        reactions: &[&ce2_rows(1, E::PROTOCOL_ERROR, E::STREAM_CLOSED)],
        ..must(S)
    },
    Case {
        id: "rfc9113/5.1/closed-after-rst-data",
        h2spec: Some("http2/5.1/8"),
        description: "closed: sends DATA after resetting the stream with RST_STREAM",
        requirement: DATA_ON_CLOSED,
        script: |ctx| {
            Ok(Script::send(
                [ctx.post_sized(1, 8).build(), frames::rst_stream(1, E::CANCEL), frames::data(1, filler(8)).build()],
                se(1, &[E::STREAM_CLOSED]),
            ))
        },
        setup: crate::common::HOLD_RESPONSE,
        reactions: &[&se_rows(1, E::STREAM_CLOSED)],
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
        reactions: &[&se_rows(1, E::STREAM_CLOSED)],
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
                [ctx.post_sized(1, 8).build(), frames::rst_stream(1, E::CANCEL), frames::continuation(1, block).end_headers().build()],
                ce(&[E::PROTOCOL_ERROR, E::STREAM_CLOSED]),
            ))
        },
        setup: crate::common::HOLD_RESPONSE,
        reactions: &[&ce2_rows(1, E::PROTOCOL_ERROR, E::STREAM_CLOSED)],
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
        reactions: &[&se_rows(1, E::STREAM_CLOSED)],
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
            Ok(Script::steps(steps, ce(&[E::PROTOCOL_ERROR, E::STREAM_CLOSED])))
        },
        reactions: &[&ce2_rows(1, E::PROTOCOL_ERROR, E::STREAM_CLOSED)],
        ..must(S)
    },
    Case {
        id: "rfc9113/5.1/half-closed-remote-window-update",
        aliases: &["rfc9113/6.9/accepts-stream-update", "generic/3.9/2"],
        h2spec: Some("generic/2/2"),
        description: "half-closed (remote): sends WINDOW_UPDATE after a request with END_STREAM; the response must still arrive",
        requirement: HALF_CLOSED_REMOTE,
        script: |ctx| Ok(Script::send([ctx.get(1).build(), frames::window_update(1, 1)], response(1))),
        reactions: &[&served_rows(1)],
        ..must(S)
    },
    Case {
        id: "rfc9113/5.1/half-closed-remote-priority",
        h2spec: Some("generic/2/3"),
        description: "half-closed (remote): sends PRIORITY after a request with END_STREAM; the response must still arrive",
        requirement: HALF_CLOSED_REMOTE,
        script: |ctx| Ok(Script::send([ctx.get(1).build(), frames::priority(1, 0, 15).build()], response(1))),
        reactions: &[&served_rows(1)],
        ..must(S)
    },
    Case {
        id: "rfc9113/5.1/half-closed-remote-rst-stream",
        h2spec: Some("generic/2/4"),
        description: "half-closed (remote): sends RST_STREAM after a request with END_STREAM; the connection must stay usable",
        requirement: HALF_CLOSED_REMOTE,
        script: |ctx| Ok(Script::send([ctx.get(1).build(), frames::rst_stream(1, E::CANCEL)], IGNORED)),
        reactions: &[RESET_ACCEPTED_ROWS],
        ..must(S)
    },
    Case {
        id: "rfc9113/5.1/idle-priority",
        h2spec: Some("generic/2/1"),
        description: "idle: sends a PRIORITY frame on an idle stream; it must be accepted",
        requirement: IDLE,
        script: |_| Ok(Script::send([frames::priority(1, 0, 15)], IGNORED)),
        reactions: &[IGNORED_ROWS],
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
        reactions: &[IGNORED_ROWS],
        ..must(S)
    },
    Case {
        id: "rfc9113/5.1/closed-window-update",
        description: "closed: sends WINDOW_UPDATE on a stream just after its response ended; it should be ignored",
        requirement: CLOSED_LATE_FRAME,
        tags: &["interop"],
        script: |ctx| {
            let mut steps = closed_stream_1(ctx);
            steps.push(send([frames::window_update(1, 1)]));
            Ok(Script::steps(steps, IGNORED))
        },
        reactions: &[IGNORED_ROWS],
        ..should(S)
    },
    Case {
        id: "rfc9113/5.1/closed-rst-stream",
        description: "closed: sends RST_STREAM(CANCEL) on a stream just after its response ended; it should be ignored",
        requirement: CLOSED_LATE_FRAME,
        tags: &["interop"],
        script: |ctx| {
            let mut steps = closed_stream_1(ctx);
            steps.push(send([frames::rst_stream(1, E::CANCEL)]));
            Ok(Script::steps(steps, IGNORED))
        },
        reactions: &[RESET_ACCEPTED_ROWS, &[row(Drop, Pass)]],
        ..should(S)
    },
    Case {
        id: "rfc9113/5.1/max-stream-id",
        description: "Opens its first stream with the largest identifier, 2^31-1; the request must be served",
        requirement: "Streams are identified by an unsigned 31-bit integer. … The identifier of a newly established stream MUST be numerically greater than all streams that the initiating endpoint has opened or reserved. (RFC 9113 §5.1.1: 2^31-1 is a valid client stream identifier.)",
        script: |ctx| Ok(Script::send([ctx.get(0x7fff_ffff)], response(0x7fff_ffff))),
        reactions: &[&served_rows(0x7fff_ffff)],
        ..must(S)
    },
    Case {
        id: "rfc9113/5.1/reset-stream-headers-still-decoded",
        description: "Sends a malformed POST (uppercase field name, content-length: 0, no END_STREAM) that the server resets or rejects, then, once a PING sent after it is answered, trailers on that stream that insert x-h2probe-marker into the dynamic table and a GET on stream 3 that references it (index 62); the GET must be served",
        requirement: "closed: … An endpoint that sends a RST_STREAM frame on a stream that is in the \"open\" or \"half-closed (local)\" state could receive any type of frame. The peer might have sent or enqueued for sending these frames before processing the RST_STREAM frame. An endpoint MUST minimally process and then discard any frames it receives in this state. This means updating header compression state for HEADERS and PUSH_PROMISE frames. (RFC 9113 §5.4.2: \"The peer that sends the RST_STREAM frame MUST be prepared to receive any frames that were sent or enqueued for sending by the remote peer. These frames can be ignored, except where they modify connection state (such as the state maintained for field section compression (Section 4.3) or flow control).\" §6.4: \"after sending the RST_STREAM, the sending endpoint MUST be prepared to receive and process additional frames sent on the stream that might have been sent by the peer prior to the arrival of the RST_STREAM.\" The uppercase name makes the request malformed, §8.2.1, which is a stream error, §8.1.1; the trailers follow the server's RST_STREAM by one round trip, and nothing tells the server we saw its RST_STREAM, so for it they may have been in flight. A server that skips their field block has no entry 62 for the GET: a COMPRESSION_ERROR, or a request with some other field. A connection error in place of the stream error (§5.4.1 allows it) leaves nothing to judge: skipped. A server that answers the malformed request with a complete 400 resets the stream with NO_ERROR or not at all (§8.1); without a reset the stream is half-closed (local) on its side, where \"An endpoint can receive any type of frame in this state\", so the trailers are valid there and must be decoded all the same, §4.3: \"An endpoint receiving HEADERS, PUSH_PROMISE, or CONTINUATION frames needs to reassemble field blocks and perform decompression even if the frames are to be discarded.\" nginx resets the stream and lighttpd answers 400 then resets it with NO_ERROR, and both close the connection with PROTOCOL_ERROR on the trailers; h2o answers 400 without a reset and closes it with STREAM_CLOSED.)",
        script: |ctx| {
            Ok(Script::steps(
                vec![
                    send([ctx.post_sized(1, 0).field("X-H2probe", "uppercase").build(), frames::ping(*b"h2preset").build()]),
                    Step::Await(Expectation::ping_ack(*b"h2preset")),
                    send([trailers_inserting_marker(), get_referencing_marker(ctx, 3)]),
                ],
                response(3),
            ))
        },
        // A server that answers the trailers on its reset stream with a connection error
        // (STREAM_CLOSED), or that did not decode them (COMPRESSION_ERROR at index 62), fails.
        reactions: &[&served_rows(3), &[row(GoAway(E::STREAM_CLOSED), Fail), row(GoAway(E::COMPRESSION_ERROR), Fail)]],
        ..must(S)
    },
];
