//! RFC 9113 §4.3: field section compression and decompression.

use crate::common::*;
use h2probe_codec::frame::Frame;
use h2probe_codec::hpack::Representation as R;
use h2probe_harness::case::{Case, Ctx, Script};
use h2probe_harness::conn::Outgoing;
use h2probe_harness::expectation::Expectation;

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

/// Above this many allowed streams the discarded-block case would send too much to be a
/// quick check (as rfc9113/5.1.2/exceed-max-concurrent-streams).
const MAX_TESTABLE: u32 = 1000;

/// The stream window each held response gets when the case lets them complete.
const OPEN_WINDOW: u32 = 1 << 24;

/// A GET on `stream` whose field block ends by inserting `x-h2probe-marker: decoded` into
/// the dynamic table (literal with incremental indexing). Requests are otherwise encoded
/// without touching the table, so the marker becomes index 62.
fn get_inserting_marker(ctx: &Ctx, stream: u32) -> Frame {
    let mut block = ctx.get(stream).encoded_block();
    R::literal("x-h2probe-marker", "decoded").incremental().encode(&mut block);
    ctx.get(stream).block(block).build()
}

/// A GET on `stream` that references the marker by index 62.
fn get_referencing_marker(ctx: &Ctx, stream: u32) -> Frame {
    let mut block = ctx.get(stream).encoded_block();
    R::indexed(62).encode(&mut block);
    ctx.get(stream).block(block).build()
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
    Case {
        id: "rfc9113/4.3/discarded-block-still-decoded",
        description: "Opens SETTINGS_MAX_CONCURRENT_STREAMS streams whose responses cannot complete (stream window 0), then one more, which the server must refuse, whose field block inserts x-h2probe-marker into the dynamic table; once the held responses have completed (WINDOW_UPDATE on each), a GET referencing the entry (index 62) must be served",
        requirement: "An endpoint receiving HEADERS, PUSH_PROMISE, or CONTINUATION frames needs to reassemble field blocks and perform decompression even if the frames are to be discarded. A receiver MUST terminate the connection with a connection error (Section 5.4.1) of type COMPRESSION_ERROR if it does not decompress a field block. (The HEADERS beyond the limit is refused, §5.1.2: \"MUST treat this as a stream error (Section 5.4.2) of type PROTOCOL_ERROR or REFUSED_STREAM\"; the request is discarded, its field block is not. A server that skips decoding it has no entry 62 when the next request names it: a COMPRESSION_ERROR, or a request with some other field, instead of the 2xx. A server that ends the connection at the refusal (§5.4.1 allows it) leaves nothing to judge: skipped. A server that does not enforce its limit decodes the block as a request and passes. The GET that names the entry is followed by a PING, which nginx over TLS needs to see before it answers the GET at all.)",
        setup: HOLD_RESPONSE,
        script: |ctx| {
            let max = ctx.server.max_concurrent_streams().ok_or("the server advertises no SETTINGS_MAX_CONCURRENT_STREAMS, so no stream can be refused")?;
            if max == 0 || max > MAX_TESTABLE {
                return Err(format!("SETTINGS_MAX_CONCURRENT_STREAMS is {max}; this case opens between 1 and {MAX_TESTABLE}"));
            }
            let refused = 1 + 2 * max;
            let mut first: Vec<Outgoing> = (0..max).map(|i| ctx.get(1 + 2 * i).build().into()).collect();
            first.push(get_inserting_marker(ctx, refused).into());
            first.push(frames::ping(*b"h2prefus").build().into());
            Ok(Script::steps(
                vec![
                    Step::Send(first),
                    Step::Await(Expectation::ping_ack(*b"h2prefus")),
                    // Free the slots: let every held response complete.
                    Step::Send((0..max).map(|i| frames::window_update(1 + 2 * i, OPEN_WINDOW).into()).collect()),
                    Step::Await(Expectation::ResponseComplete { stream: StreamId(refused - 2) }),
                    // A PING behind the GET: nginx over TLS answers a lone HEADERS frame only once
                    // more octets arrive after it.
                    send([get_referencing_marker(ctx, refused + 2), frames::ping(*b"h2pnudge").build()]),
                ],
                response(refused + 2),
            ))
        },
        // The scripted server advertises 100 concurrent streams: the refused one is 201, the
        // GET that names the entry 203. A server that did not decode the refused block
        // answers that GET with COMPRESSION_ERROR.
        reactions: &[&served_rows(203), &[row(GoAway(E::COMPRESSION_ERROR), Fail)]],
        ..must(S)
    },
];
