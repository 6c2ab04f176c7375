//! RFC 9113 §4.3: field section compression and decompression.

use crate::common::*;
use h2probe_codec::frame::Frame;
use h2probe_harness::case::{Case, Ctx, Script};

const S: &str = "RFC 9113 §4.3";

const CONTIGUOUS: &str = "Each field block is processed as a discrete unit. Field blocks MUST be transmitted as a contiguous sequence of frames, with no interleaved frames of any other type or from any other stream. (RFC 9113 §6.2, END_HEADERS: \"A HEADERS frame without the END_HEADERS flag set MUST be followed by a CONTINUATION frame for the same stream. A receiver MUST treat the receipt of any other type of frame or a frame on a different stream as a connection error (Section 5.4.1) of type PROTOCOL_ERROR.\" The CONTINUATION that completes the block follows the interleaved frame, then the PING fence: a server that ignores the interleaved frame answers the request and the PING.)";

/// A GET on stream 1 whose field block is split in two: HEADERS without END_HEADERS
/// carrying the first half, and the CONTINUATION that completes it.
pub(crate) fn split_get(ctx: &Ctx) -> (Frame, Frame) {
    let block = ctx.get(1).encoded_block();
    let (first, rest) = block.split_at(block.len() / 2);
    (
        ctx.get(1).block(first.to_vec()).no_end_headers().build(),
        frames::continuation(1, rest.to_vec()).end_headers().build(),
    )
}

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "rfc9113/4.3/undecodable-field-block",
        h2spec: Some("http2/4.3/1"),
        description: "Sends a HEADERS frame whose field block ends inside a literal (0x40)",
        requirement: "A decoding error in a field block MUST be treated as a connection error (Section 5.4.1) of type COMPRESSION_ERROR. (FRAME_SIZE_ERROR is taken leniently, as an \"applicable error code\" of §5.4, \"an endpoint MAY use any applicable error code when it detects an error condition\": the block is too short for the literal it starts, \"too small to contain mandatory frame data\" in the words of §4.2; nginx sends it.)",
        script: |_| {
            Ok(Script::send(
                [frames::headers(1).block([0x40]).end_stream()],
                ce(&[E::COMPRESSION_ERROR]).or_applicable(&[E::FRAME_SIZE_ERROR]),
            ))
        },
        reactions: &[&ce_rows(E::COMPRESSION_ERROR), &[row(GoAway(E::FRAME_SIZE_ERROR), Lenient)]],
        ..must(S)
    },
    Case {
        id: "rfc9113/4.3/priority-inside-field-block",
        aliases: &["rfc9113/6.2/priority-inside-field-block", "http2/6.2/1"],
        h2spec: Some("http2/4.3/2"),
        description: "Sends HEADERS without END_HEADERS, then a PRIORITY frame, then the CONTINUATION that completes the block",
        requirement: CONTIGUOUS,
        script: |ctx| {
            let (headers, continuation) = split_get(ctx);
            Ok(Script::send([headers, frames::priority(1, 0, 15).build(), continuation], ce(&[E::PROTOCOL_ERROR])))
        },
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..must(S)
    },
    Case {
        id: "rfc9113/4.3/other-stream-inside-field-block",
        aliases: &["rfc9113/6.2/headers-other-stream-inside-field-block", "http2/6.2/2"],
        h2spec: Some("http2/4.3/3"),
        description: "Sends HEADERS without END_HEADERS on stream 1, then a GET on stream 3, then the CONTINUATION that completes stream 1's block",
        requirement: CONTIGUOUS,
        script: |ctx| {
            let (headers, continuation) = split_get(ctx);
            Ok(Script::send([headers, ctx.get(3).build(), continuation], ce(&[E::PROTOCOL_ERROR])))
        },
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..must(S)
    },
];
