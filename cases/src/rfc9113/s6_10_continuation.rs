//! RFC 9113 §6.10: CONTINUATION.

use crate::common::*;
use h2probe_harness::case::{Case, Script};

const S: &str = "RFC 9113 §6.10";
const PRECEDED: &str = "A CONTINUATION frame MUST be preceded by a HEADERS, PUSH_PROMISE or CONTINUATION frame without the END_HEADERS flag set. A recipient that observes violation of this rule MUST respond with a connection error (Section 5.4.1) of type PROTOCOL_ERROR.";

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "rfc9113/6.10/accepts-continuations",
        h2spec: Some("http2/6.10/1"),
        description: "Sends a GET whose field block spans HEADERS and several CONTINUATION frames",
        requirement: "Any number of CONTINUATION frames can be sent, as long as the preceding frame is on the same stream and is a HEADERS, PUSH_PROMISE, or CONTINUATION frame without the END_HEADERS flag set.",
        script: |ctx| Ok(Script::send(ctx.get(1).fields(dummy_fields(8000)).build_split(4096), response(1))),
        ..must(S)
    },
    Case {
        id: "rfc9113/6.10/accepts-continuation",
        h2spec: Some("generic/3.10/1"),
        description: "Sends a GET whose field block is split into HEADERS and one CONTINUATION",
        requirement: "The CONTINUATION frame (type=0x09) is used to continue a sequence of field block fragments (Section 4.3).",
        script: |ctx| {
            let block = ctx.get(1).encoded_block();
            let split = block.len() / 2;
            Ok(Script::send(
                [
                    ctx.get(1).no_end_headers().block(block[..split].to_vec()).build(),
                    frames::continuation(1, block[split..].to_vec()).end_headers().build(),
                ],
                response(1),
            ))
        },
        ..must(S)
    },
    Case {
        id: "rfc9113/6.10/accepts-empty-continuations",
        h2spec: Some("generic/3.10/2"),
        description: "Sends a GET whose field block is followed by two CONTINUATION frames, the first empty",
        requirement: "Any number of CONTINUATION frames can be sent, as long as the preceding frame is on the same stream and is a HEADERS, PUSH_PROMISE, or CONTINUATION frame without the END_HEADERS flag set.",
        script: |ctx| {
            let block = ctx.get(1).encoded_block();
            let split = block.len() / 2;
            Ok(Script::send(
                [
                    ctx.get(1).no_end_headers().block(block[..split].to_vec()).build(),
                    frames::continuation(1, vec![]).build(),
                    frames::continuation(1, block[split..].to_vec()).end_headers().build(),
                ],
                response(1),
            ))
        },
        ..must(S)
    },
    Case {
        id: "rfc9113/6.10/followed-by-other-frame",
        h2spec: Some("http2/6.10/2"),
        description: "Sends HEADERS and CONTINUATION without END_HEADERS, then a DATA frame",
        requirement: "If the END_HEADERS flag is not set, this frame MUST be followed by another CONTINUATION frame. A receiver MUST treat the receipt of any other type of frame or a frame on a different stream as a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
        script: |ctx| {
            let block = ctx.get(1).encoded_block();
            Ok(Script::send(
                [
                    ctx.post(1).no_end_headers().block(block).build(),
                    frames::continuation(1, frames::headers(1).field("x-dummy", "1").encoded_block()).build(),
                    frames::data(1, filler(4)).end_stream().build(),
                ],
                ce(&[E::PROTOCOL_ERROR]),
            )
            .no_fence())
        },
        ..must(S)
    },
    Case {
        id: "rfc9113/6.10/stream-zero",
        h2spec: Some("http2/6.10/3"),
        description: "Sends HEADERS without END_HEADERS, then a CONTINUATION on stream 0",
        requirement: "If a CONTINUATION frame is received with a Stream Identifier field of 0x00, the recipient MUST respond with a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
        script: |ctx| {
            let block = ctx.get(1).encoded_block();
            let split = block.len() / 2;
            Ok(Script::send(
                [ctx.get(1).no_end_headers().block(block[..split].to_vec()).build(), frames::continuation(0, block[split..].to_vec()).end_headers().build()],
                ce(&[E::PROTOCOL_ERROR]),
            )
            .no_fence())
        },
        ..must(S)
    },
    Case {
        id: "rfc9113/6.10/after-end-headers",
        h2spec: Some("http2/6.10/4"),
        description: "Sends a complete HEADERS (END_HEADERS), then a CONTINUATION on the same stream",
        requirement: PRECEDED,
        script: |ctx| {
            Ok(Script::send([ctx.post(1).build(), frames::continuation(1, vec![0x82]).end_headers().build()], ce(&[E::PROTOCOL_ERROR])))
        },
        ..must(S)
    },
    Case {
        id: "rfc9113/6.10/after-continuation-end-headers",
        h2spec: Some("http2/6.10/5"),
        description: "Sends HEADERS, CONTINUATION with END_HEADERS, then another CONTINUATION",
        requirement: PRECEDED,
        script: |ctx| {
            let block = ctx.post(1).encoded_block();
            let split = block.len() / 2;
            Ok(Script::send(
                [
                    ctx.post(1).no_end_headers().block(block[..split].to_vec()).build(),
                    frames::continuation(1, block[split..].to_vec()).end_headers().build(),
                    frames::continuation(1, vec![0x82]).end_headers().build(),
                ],
                ce(&[E::PROTOCOL_ERROR]),
            ))
        },
        ..must(S)
    },
    Case {
        id: "rfc9113/6.10/after-data",
        h2spec: Some("http2/6.10/6"),
        description: "Sends a POST, a DATA frame, then a CONTINUATION on the same stream",
        requirement: PRECEDED,
        script: |ctx| {
            Ok(Script::send(
                [ctx.post(1).build(), frames::data(1, filler(4)).build(), frames::continuation(1, vec![0x82]).end_headers().build()],
                ce(&[E::PROTOCOL_ERROR]),
            ))
        },
        ..must(S)
    },
    Case {
        id: "rfc9113/6.10/accepts-trailers-in-continuation",
        description: "Sends a POST whose trailer section is split into HEADERS (END_STREAM) and a CONTINUATION",
        requirement: "Any number of CONTINUATION frames can be sent, as long as the preceding frame is on the same stream and is a HEADERS, PUSH_PROMISE, or CONTINUATION frame without the END_HEADERS flag set. (RFC 9113 §8.1: the trailer section is one HEADERS frame and its CONTINUATIONs.)",
        script: |ctx| {
            let mut out = vec![ctx.post(1).build(), frames::data(1, filler(4)).build()];
            out.extend(frames::headers(1).field("x-trailer-one", "ok").field("x-trailer-two", "ok").end_stream().build_split(6));
            Ok(Script::send(out, response(1)))
        },
        ..must(S)
    },
    Case {
        id: "rfc9113/6.10/accepts-empty-headers-fragment",
        description: "Sends a GET whose HEADERS frame carries an empty fragment and whose whole field block follows in one CONTINUATION",
        requirement: "Any number of CONTINUATION frames can be sent, as long as the preceding frame is on the same stream and is a HEADERS, PUSH_PROMISE, or CONTINUATION frame without the END_HEADERS flag set. (The field block is the concatenation of the fragments, §4.3; no fragment has a minimum length, and §4.2 lists no mandatory data in a HEADERS frame without PADDED or PRIORITY. nginx and HAProxy answer FRAME_SIZE_ERROR; the RFC does not support that.)",
        script: |ctx| {
            let block = ctx.get(1).encoded_block();
            Ok(Script::send([ctx.get(1).block(Vec::new()).no_end_headers().build(), frames::continuation(1, block).end_headers().build()], response(1)))
        },
        ..must(S)
    },
];
