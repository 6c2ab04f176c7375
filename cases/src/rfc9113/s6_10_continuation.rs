//! RFC 9113 §6.10: CONTINUATION.

use crate::common::*;
use h2probe_harness::case::{Case, Ctx, Script};

const S: &str = "RFC 9113 §6.10";
/// The script sends `n` octets of DATA before any WINDOW_UPDATE of the server's can arrive:
/// they must fit the stream window the server advertised and the initial connection window
/// (65 535, RFC 9113 §6.9.2).
fn fits_window(ctx: &Ctx, n: usize) -> Result<(), String> {
    let stream = ctx.server.get(SettingId::INITIAL_WINDOW_SIZE).unwrap_or(65_535) as usize;
    if n > stream.min(65_535) {
        return Err(format!(
            "the case sends {n} octets of DATA, more than the server's windows allow (stream {stream}, connection 65535)"
        ));
    }
    Ok(())
}

const PRECEDED: &str = "A CONTINUATION frame MUST be preceded by a HEADERS, PUSH_PROMISE or CONTINUATION frame without the END_HEADERS flag set. A recipient that observes violation of this rule MUST respond with a connection error (Section 5.4.1) of type PROTOCOL_ERROR.";

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "rfc9113/6.10/accepts-continuations",
        h2spec: Some("http2/6.10/1"),
        description: "Sends a GET whose field block spans HEADERS and several CONTINUATION frames",
        requirement: "Any number of CONTINUATION frames can be sent, as long as the preceding frame is on the same stream and is a HEADERS, PUSH_PROMISE, or CONTINUATION frame without the END_HEADERS flag set.",
        script: |ctx| Ok(Script::send(ctx.get(1).fields(dummy_fields(8000)).build_split(4096), response(1))),
        reactions: &[&served_rows(1)],
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
        reactions: &[&served_rows(1)],
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
        reactions: &[&served_rows(1)],
        ..must(S)
    },
    Case {
        id: "rfc9113/6.10/followed-by-other-frame",
        h2spec: Some("http2/6.10/2"),
        description: "Sends HEADERS and CONTINUATION without END_HEADERS, then a DATA frame",
        requirement: "If the END_HEADERS flag is not set, this frame MUST be followed by another CONTINUATION frame. A receiver MUST treat the receipt of any other type of frame or a frame on a different stream as a connection error (Section 5.4.1) of type PROTOCOL_ERROR. (No PING follows, since it would be one more such frame: a server that ignores the DATA waits for the rest of the field block, and the deadline fails it.)",
        script: |ctx| {
            fits_window(ctx, 4)?;
            let block = ctx.post_sized(1, 4).encoded_block();
            Ok(Script::send(
                [
                    ctx.post_sized(1, 4).no_end_headers().block(block).build(),
                    frames::continuation(1, frames::headers(1).field("x-dummy", "1").encoded_block()).build(),
                    frames::data(1, filler(4)).end_stream().build(),
                ],
                ce(&[E::PROTOCOL_ERROR]),
            )
            .no_fence())
        },
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..must(S)
    },
    Case {
        id: "rfc9113/6.10/stream-zero",
        h2spec: Some("http2/6.10/3"),
        description: "Sends HEADERS without END_HEADERS, then a CONTINUATION on stream 0",
        requirement: "If a CONTINUATION frame is received with a Stream Identifier field of 0x00, the recipient MUST respond with a connection error (Section 5.4.1) of type PROTOCOL_ERROR. (No PING follows, since it would break the field block itself: a server that ignores the frame waits for the rest of the field block, and the deadline fails it.)",
        script: |ctx| {
            let block = ctx.get(1).encoded_block();
            let split = block.len() / 2;
            Ok(Script::send(
                [ctx.get(1).no_end_headers().block(block[..split].to_vec()).build(), frames::continuation(0, block[split..].to_vec()).end_headers().build()],
                ce(&[E::PROTOCOL_ERROR]),
            )
            .no_fence())
        },
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..must(S)
    },
    Case {
        id: "rfc9113/6.10/after-end-headers",
        h2spec: Some("http2/6.10/4"),
        description: "Sends a complete HEADERS (END_HEADERS), then a CONTINUATION on the same stream",
        requirement: PRECEDED,
        script: |ctx| {
            Ok(Script::send([ctx.post_sized(1, 4).build(), frames::continuation(1, vec![0x82]).end_headers().build()], ce(&[E::PROTOCOL_ERROR])))
        },
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..must(S)
    },
    Case {
        id: "rfc9113/6.10/after-continuation-end-headers",
        h2spec: Some("http2/6.10/5"),
        description: "Sends HEADERS, CONTINUATION with END_HEADERS, then another CONTINUATION",
        requirement: PRECEDED,
        script: |ctx| {
            let block = ctx.post_sized(1, 4).encoded_block();
            let split = block.len() / 2;
            Ok(Script::send(
                [
                    ctx.post_sized(1, 4).no_end_headers().block(block[..split].to_vec()).build(),
                    frames::continuation(1, block[split..].to_vec()).end_headers().build(),
                    frames::continuation(1, vec![0x82]).end_headers().build(),
                ],
                ce(&[E::PROTOCOL_ERROR]),
            ))
        },
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..must(S)
    },
    Case {
        id: "rfc9113/6.10/after-data",
        h2spec: Some("http2/6.10/6"),
        description: "Sends a POST, a DATA frame, then a CONTINUATION on the same stream",
        requirement: PRECEDED,
        script: |ctx| {
            fits_window(ctx, 4)?;
            Ok(Script::send(
                [ctx.post_sized(1, 8).build(), frames::data(1, filler(4)).build(), frames::continuation(1, vec![0x82]).end_headers().build()],
                ce(&[E::PROTOCOL_ERROR]),
            ))
        },
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..must(S)
    },
    Case {
        id: "rfc9113/6.10/accepts-trailers-in-continuation",
        description: "Sends a POST whose trailer section is split into HEADERS (END_STREAM) and a CONTINUATION",
        requirement: "Any number of CONTINUATION frames can be sent, as long as the preceding frame is on the same stream and is a HEADERS, PUSH_PROMISE, or CONTINUATION frame without the END_HEADERS flag set. (RFC 9113 §8.1: the trailer section is one HEADERS frame and its CONTINUATIONs.)",
        script: |ctx| {
            fits_window(ctx, 4)?;
            let mut out = vec![ctx.post_sized(1, 4).build(), frames::data(1, filler(4)).build()];
            out.extend(frames::headers(1).field("x-trailer-one", "ok").field("x-trailer-two", "ok").end_stream().build_split(6));
            Ok(Script::send(out, response(1)))
        },
        reactions: &[&served_rows(1)],
        ..must(S)
    },
    Case {
        id: "rfc9113/6.10/accepts-empty-headers-fragment",
        description: "Sends a GET whose HEADERS frame carries an empty fragment and whose whole field block follows in one CONTINUATION",
        requirement: "Any number of CONTINUATION frames can be sent, as long as the preceding frame is on the same stream and is a HEADERS, PUSH_PROMISE, or CONTINUATION frame without the END_HEADERS flag set. (No MUST either way: the field block is the concatenation of its fragments, §4.3, and no fragment has a minimum length, but nothing requires a receiver to accept an empty one. nginx and HAProxy reject it with FRAME_SIZE_ERROR citing §4.2 \"An endpoint MUST send an error code of FRAME_SIZE_ERROR if a frame … is too small to contain mandatory frame data\", though §6.2 makes no field of a HEADERS frame without PADDED or PRIORITY mandatory. No client sends an empty first fragment, so this is an interoperability check at SHOULD level.)",
        tags: &["interop"],
        script: |ctx| {
            let block = ctx.get(1).encoded_block();
            Ok(Script::send([ctx.get(1).block(Vec::new()).no_end_headers().build(), frames::continuation(1, block).end_headers().build()], response(1)))
        },
        reactions: &[&served_rows(1), &[row(GoAway(E::FRAME_SIZE_ERROR), Fail)]],
        ..should(S)
    },
];
