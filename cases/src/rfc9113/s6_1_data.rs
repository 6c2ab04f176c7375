//! RFC 9113 §6.1: DATA.

use crate::common::*;
use h2probe_codec::frame::flags;
use h2probe_harness::case::{Case, Ctx, Script};
use h2probe_harness::conn::Outgoing;

const S: &str = "RFC 9113 §6.1";
const PAD: &str = "If the length of the padding is the length of the frame payload or greater, the recipient MUST treat this as a connection error (Section 5.4.1) of type PROTOCOL_ERROR.";

/// The script sends `n` octets of flow-controlled DATA (padding included) before any
/// WINDOW_UPDATE of the server's can arrive: they must fit the stream window the server
/// advertised and the initial connection window (65 535, RFC 9113 §6.9.2), or the case
/// would test flow control instead of its own rule.
fn fits_window(ctx: &Ctx, n: usize) -> Result<(), String> {
    let stream = ctx.server.get(SettingId::INITIAL_WINDOW_SIZE).unwrap_or(65_535) as usize;
    if n > stream.min(65_535) {
        return Err(format!(
            "the case sends {n} octets of DATA, more than the server's windows allow (stream {stream}, connection 65535)"
        ));
    }
    Ok(())
}

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "rfc9113/6.1/stream-zero",
        h2spec: Some("http2/6.1/1"),
        description: "Sends a DATA frame on stream 0",
        requirement: "If a DATA frame is received whose Stream Identifier field is 0x00, the recipient MUST respond with a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
        script: |ctx| {
            fits_window(ctx, 8)?;
            Ok(Script::send([ctx.post_sized(1, 8).build(), frames::data(0, filler(8)).build()], ce(&[E::PROTOCOL_ERROR])))
        },
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..must(S)
    },
    Case {
        id: "rfc9113/6.1/pad-length-too-large",
        h2spec: Some("http2/6.1/3"),
        description: "Sends a DATA frame whose Pad Length (6) exceeds the rest of the payload (4 octets)",
        requirement: PAD,
        script: |ctx| {
            fits_window(ctx, 5)?;
            let bad = frames::raw(FrameType::DATA).stream(1).flags(flags::PADDED | flags::END_STREAM).payload([6, b't', b'e', b's', b't']);
            Ok(Script::send([ctx.post_sized(1, 4).build().into(), Outgoing::from(bad)], ce(&[E::PROTOCOL_ERROR])))
        },
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..must(S)
    },
    Case {
        id: "rfc9113/6.1/pad-length-equals-payload",
        description: "Sends a DATA frame of 4 octets whose Pad Length is 4, as long as the whole payload",
        requirement: PAD,
        script: |ctx| {
            fits_window(ctx, 4)?;
            let bad = frames::raw(FrameType::DATA).stream(1).flags(flags::PADDED | flags::END_STREAM).payload([4, 0, 0, 0]);
            Ok(Script::send([ctx.post_sized(1, 0).build().into(), Outgoing::from(bad)], ce(&[E::PROTOCOL_ERROR])))
        },
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..must(S)
    },
    Case {
        id: "rfc9113/6.1/accepts-data",
        aliases: &["rfc9113/8.1/accepts-post", "generic/4/3"],
        h2spec: Some("generic/3.1/1"),
        description: "Sends a POST (content-length: 4) with one DATA frame",
        requirement: "DATA frames (type=0x00) convey arbitrary, variable-length sequences of octets associated with a stream. One or more DATA frames are used, for instance, to carry HTTP request or response message contents. (RFC 9113 §8.1: an HTTP message consists of one HEADERS frame containing the header section, then zero or more DATA frames containing the message content. rfc9113/8.1/accepts-post sent the same frames and is an alias.)",
        script: |ctx| {
            fits_window(ctx, 4)?;
            Ok(Script::send([ctx.post_sized(1, 4).build(), frames::data(1, filler(4)).end_stream().build()], response(1)))
        },
        reactions: &[&served_rows(1)],
        ..must(S)
    },
    Case {
        id: "rfc9113/6.1/accepts-multiple-data",
        h2spec: Some("generic/3.1/2"),
        description: "Sends a POST whose body spans two DATA frames",
        requirement: "One or more DATA frames are used, for instance, to carry HTTP request or response message contents.",
        script: |ctx| {
            fits_window(ctx, 8)?;
            Ok(Script::send(
                [ctx.post_sized(1, 8).build(), frames::data(1, filler(4)).build(), frames::data(1, filler(4)).end_stream().build()],
                response(1),
            ))
        },
        reactions: &[&served_rows(1)],
        ..must(S)
    },
    Case {
        id: "rfc9113/6.1/accepts-padded-data",
        h2spec: Some("generic/3.1/3"),
        description: "Sends a POST whose DATA frame is padded with 8 octets",
        requirement: "Padding: Padding octets that contain no application semantic value. Padding octets MUST be set to zero when sending. A receiver is not obligated to verify padding but MAY treat non-zero padding as a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
        script: |ctx| {
            fits_window(ctx, 13)?;
            Ok(Script::send([ctx.post_sized(1, 4).build(), frames::data(1, filler(4)).padded(8).end_stream().build()], response(1)))
        },
        reactions: &[&served_rows(1)],
        ..must(S)
    },
    Case {
        id: "rfc9113/6.1/accepts-empty-data-end-stream",
        description: "Sends a POST whose body ends with an empty DATA frame carrying END_STREAM",
        requirement: "END_STREAM (0x01): When set, the END_STREAM flag indicates that this frame is the last that the endpoint will send for the identified stream.",
        script: |ctx| {
            fits_window(ctx, 4)?;
            Ok(Script::send(
                [ctx.post_sized(1, 4).build(), frames::data(1, filler(4)).build(), frames::data(1, vec![]).end_stream().build()],
                response(1),
            ))
        },
        reactions: &[&served_rows(1)],
        ..must(S)
    },
    Case {
        id: "rfc9113/6.1/accepts-zero-pad-length",
        description: "Sends a POST whose DATA frame has the PADDED flag with Pad Length 0",
        requirement: "Pad Length: An 8-bit field containing the length of the frame padding in units of octets. This field is conditional and is only present if the PADDED flag is set. (Note: A frame can be increased in size by one octet by including a Pad Length field with a value of zero.)",
        script: |ctx| {
            fits_window(ctx, 5)?;
            Ok(Script::send([ctx.post_sized(1, 4).build(), frames::data(1, filler(4)).padded(0).end_stream().build()], response(1)))
        },
        reactions: &[&served_rows(1)],
        ..must(S)
    },
    Case {
        id: "rfc9113/6.1/accepts-padding-only-data",
        description: "Sends a POST whose first DATA frame carries only 255 octets of padding",
        requirement: "The total number of padding octets is determined by the value of the Pad Length field. If the length of the padding is the length of the frame payload or greater, the recipient MUST treat this as a connection error (Section 5.4.1) of type PROTOCOL_ERROR. (That is the only padding error: Pad Length 255 in a 256-octet payload is below it, and the padding is zero, so the frame is valid and the POST must be served. Padding is a security feature, §10.7. HAProxy rejects it with GOAWAY(PROTOCOL_ERROR).)",
        script: |ctx| {
            fits_window(ctx, 260)?;
            Ok(Script::send(
                [ctx.post_sized(1, 4).build(), frames::data(1, vec![]).padded(255).build(), frames::data(1, filler(4)).end_stream().build()],
                response(1),
            ))
        },
        reactions: &[&served_rows(1)],
        ..must(S)
    },
];
