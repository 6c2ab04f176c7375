//! RFC 9113 §6.1: DATA.

use crate::common::*;
use h2probe_codec::frame::flags;
use h2probe_harness::case::{Case, Script};

const S: &str = "RFC 9113 §6.1";
const PAD: &str = "If the length of the padding is the length of the frame payload or greater, the recipient MUST treat this as a connection error (Section 5.4.1) of type PROTOCOL_ERROR.";

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "rfc9113/6.1/stream-zero",
        h2spec: Some("http2/6.1/1"),
        description: "Sends a DATA frame on stream 0",
        requirement: "If a DATA frame is received whose Stream Identifier field is 0x00, the recipient MUST respond with a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
        script: |ctx| Ok(Script::send([ctx.post(1).build(), frames::data(0, filler(8)).build()], ce(&[E::PROTOCOL_ERROR]))),
        ..must(S)
    },
    Case {
        id: "rfc9113/6.1/not-open",
        h2spec: Some("http2/6.1/2"),
        description: "Sends DATA on a stream the request already half-closed with END_STREAM",
        requirement: "If a DATA frame is received whose stream is not in the \"open\" or \"half-closed (local)\" state, the recipient MUST respond with a stream error (Section 5.4.2) of type STREAM_CLOSED.",
        setup: h2probe_harness::case::Setup::with_settings(&[(SettingId::INITIAL_WINDOW_SIZE, 0)]),
        script: |ctx| Ok(Script::send([ctx.post(1).end_stream().build(), frames::data(1, filler(8)).build()], se(1, &[E::STREAM_CLOSED]))),
        ..must(S)
    },
    Case {
        id: "rfc9113/6.1/pad-length-too-large",
        h2spec: Some("http2/6.1/3"),
        description: "Sends a DATA frame whose Pad Length (6) exceeds the rest of the payload (4 octets)",
        requirement: PAD,
        script: |ctx| {
            let bad = frames::raw(FrameType::DATA).stream(1).flags(flags::PADDED | flags::END_STREAM).payload([6, b't', b'e', b's', b't']);
            Ok(Script::send([ctx.post(1).set("content-length", "4").build().into(), h2probe_harness::conn::Outgoing::from(bad)], ce(&[E::PROTOCOL_ERROR])))
        },
        ..must(S)
    },
    Case {
        id: "rfc9113/6.1/pad-length-equals-payload",
        description: "Sends a DATA frame of 4 octets whose Pad Length is 4, as long as the whole payload",
        requirement: PAD,
        script: |ctx| {
            let bad = frames::raw(FrameType::DATA).stream(1).flags(flags::PADDED | flags::END_STREAM).payload([4, 0, 0, 0]);
            Ok(Script::send([ctx.post(1).build().into(), h2probe_harness::conn::Outgoing::from(bad)], ce(&[E::PROTOCOL_ERROR])))
        },
        ..must(S)
    },
    Case {
        id: "rfc9113/6.1/accepts-data",
        h2spec: Some("generic/3.1/1"),
        description: "Sends a POST with one DATA frame",
        requirement: "DATA frames (type=0x00) convey arbitrary, variable-length sequences of octets associated with a stream. One or more DATA frames are used, for instance, to carry HTTP request or response message contents.",
        script: |ctx| Ok(Script::send([ctx.post(1).set("content-length", "4").build(), frames::data(1, filler(4)).end_stream().build()], response(1))),
        ..must(S)
    },
    Case {
        id: "rfc9113/6.1/accepts-multiple-data",
        h2spec: Some("generic/3.1/2"),
        description: "Sends a POST whose body spans two DATA frames",
        requirement: "One or more DATA frames are used, for instance, to carry HTTP request or response message contents.",
        script: |ctx| {
            Ok(Script::send(
                [ctx.post(1).set("content-length", "8").build(), frames::data(1, filler(4)).build(), frames::data(1, filler(4)).end_stream().build()],
                response(1),
            ))
        },
        ..must(S)
    },
    Case {
        id: "rfc9113/6.1/accepts-padded-data",
        h2spec: Some("generic/3.1/3"),
        description: "Sends a POST whose DATA frame is padded with 8 octets",
        requirement: "Padding: Padding octets that contain no application semantic value. Padding octets MUST be set to zero when sending. A receiver is not obligated to verify padding but MAY treat non-zero padding as a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
        script: |ctx| Ok(Script::send([ctx.post(1).set("content-length", "4").build(), frames::data(1, filler(4)).padded(8).end_stream().build()], response(1))),
        ..must(S)
    },
    Case {
        id: "rfc9113/6.1/accepts-empty-data-end-stream",
        description: "Sends a POST whose body ends with an empty DATA frame carrying END_STREAM",
        requirement: "END_STREAM (0x01): When set, the END_STREAM flag indicates that this frame is the last that the endpoint will send for the identified stream.",
        script: |ctx| Ok(Script::send([ctx.post(1).build(), frames::data(1, filler(4)).build(), frames::data(1, vec![]).end_stream().build()], response(1))),
        ..must(S)
    },
    Case {
        id: "rfc9113/6.1/accepts-zero-pad-length",
        description: "Sends a POST whose DATA frame has the PADDED flag with Pad Length 0",
        requirement: "Pad Length: An 8-bit field containing the length of the frame padding in units of octets. This field is conditional and is only present if the PADDED flag is set.",
        script: |ctx| Ok(Script::send([ctx.post(1).set("content-length", "4").build(), frames::data(1, filler(4)).padded(0).end_stream().build()], response(1))),
        ..must(S)
    },
    Case {
        id: "rfc9113/6.1/accepts-padding-only-data",
        description: "Sends a POST whose first DATA frame carries only 255 octets of padding",
        requirement: "The entire DATA frame payload is included in flow control, including the Pad Length and Padding fields if present. (A padded frame without data is valid.)",
        script: |ctx| {
            Ok(Script::send(
                [ctx.post(1).set("content-length", "4").build(), frames::data(1, vec![]).padded(255).build(), frames::data(1, filler(4)).end_stream().build()],
                response(1),
            ))
        },
        ..must(S)
    },
];
