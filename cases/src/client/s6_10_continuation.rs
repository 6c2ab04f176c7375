//! RFC 9113 §6.10 and §4.3: CONTINUATION and the contiguity of field blocks from the server.

use super::*;
use h2probe_harness::case::Script;

const S: &str = "RFC 9113 §6.10";
const CONTIGUOUS: &str = "Field blocks MUST be transmitted as a contiguous sequence of frames, with no interleaved frames of any other type or from any other stream. … A receiver MUST treat the receipt of any other type of frame or a frame on a different stream as a connection error (Section 5.4.1) of type PROTOCOL_ERROR.";

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "client/rfc9113/6.10/continuation-without-headers",
        description: "Sends a CONTINUATION frame on the request's stream with no HEADERS before it",
        requirement: "A CONTINUATION frame MUST be preceded by a HEADERS, PUSH_PROMISE or CONTINUATION frame without the END_HEADERS flag set. A recipient that observes violation of this rule MUST respond with a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
        script: |ctx| {
            let s = ctx.stream();
            Ok(Script::send([frames::continuation(s, ctx.response_headers(s, 200).encoded_block()).end_headers().build()], ce(&[E::PROTOCOL_ERROR])))
        },
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..client(S)
    },
    Case {
        id: "client/rfc9113/6.10/continuation-after-end-headers",
        description: "Sends the response HEADERS (END_HEADERS set), then a CONTINUATION on the same stream",
        requirement: "A CONTINUATION frame MUST be preceded by a HEADERS, PUSH_PROMISE or CONTINUATION frame without the END_HEADERS flag set. A recipient that observes violation of this rule MUST respond with a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
        script: |ctx| {
            let s = ctx.stream();
            let cont = frames::continuation(s, frames::headers(s).field("x-late", "1").encoded_block()).end_headers().build();
            Ok(Script::send([ctx.response_headers(s, 200).build(), cont], ce(&[E::PROTOCOL_ERROR])))
        },
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..client(S)
    },
    Case {
        id: "client/rfc9113/6.10/data-inside-field-block",
        description: "Sends response HEADERS without END_HEADERS, then a DATA frame before the block ends",
        requirement: CONTIGUOUS,
        script: |ctx| {
            let s = ctx.stream();
            Ok(Script::send([ctx.response_headers(s, 200).no_end_headers().build(), frames::data(s, filler(4)).build()], ce(&[E::PROTOCOL_ERROR])).no_fence())
        },
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..client("RFC 9113 §4.3")
    },
    Case {
        id: "client/rfc9113/6.10/continuation-on-other-stream",
        description: "Sends response HEADERS without END_HEADERS on the request's stream, then a CONTINUATION on another stream",
        requirement: CONTIGUOUS,
        script: |ctx| {
            let s = ctx.stream();
            let cont = frames::continuation(s + 2, Vec::new()).end_headers().build();
            Ok(Script::send([ctx.response_headers(s, 200).no_end_headers().build(), cont], ce(&[E::PROTOCOL_ERROR])).no_fence())
        },
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..client("RFC 9113 §4.3")
    },
    Case {
        id: "client/rfc9113/6.10/ping-inside-field-block",
        description: "Sends response HEADERS without END_HEADERS, then a PING before the block ends",
        requirement: CONTIGUOUS,
        script: |ctx| {
            let s = ctx.stream();
            Ok(Script::send([ctx.response_headers(s, 200).no_end_headers().build(), frames::ping(*b"midblock").build()], ce(&[E::PROTOCOL_ERROR])).no_fence())
        },
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..client("RFC 9113 §4.3")
    },
    Case {
        id: "client/rfc9113/6.10/continuation-on-stream-zero",
        description: "Sends response HEADERS without END_HEADERS, then a CONTINUATION on stream 0",
        requirement: "If a CONTINUATION frame is received with a Stream Identifier field of 0x00, the recipient MUST respond with a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
        script: |ctx| {
            let s = ctx.stream();
            let cont = frames::raw(FrameType::CONTINUATION).flags(h2probe_codec::frame::flags::END_HEADERS).payload(Vec::new());
            Ok(Script::send([h2probe_harness::conn::Outgoing::from(ctx.response_headers(s, 200).no_end_headers().build()), cont.into()], ce(&[E::PROTOCOL_ERROR])).no_fence())
        },
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..client(S)
    },
    Case {
        id: "client/rfc9113/6.10/response-in-continuations",
        description: "Sends the response's field block as HEADERS plus three CONTINUATION frames",
        requirement: "Any number of CONTINUATION frames can be sent, as long as the preceding frame is on the same stream and is a HEADERS, PUSH_PROMISE, or CONTINUATION frame without the END_HEADERS flag set.",
        script: |ctx| {
            let s = ctx.stream();
            let block = ctx.response_headers(s, 200).set("x-long", filler(60)).encoded_block();
            let mut f: Vec<h2probe_harness::conn::Outgoing> = ctx.response_headers(s, 200).block(block.clone()).build_split(block.len().div_ceil(4)).into_iter().map(Into::into).collect();
            f.push(ctx.body(s));
            Ok(Script::send(f, accepted(s)))
        },
        reactions: &[ACCEPTED_ROWS],
        ..client(S)
    },
];
