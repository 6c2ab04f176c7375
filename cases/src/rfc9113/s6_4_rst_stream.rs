//! RFC 9113 §6.4: RST_STREAM.

use crate::common::*;
use h2probe_harness::case::{Case, Script};
use h2probe_harness::conn::Outgoing;

const S: &str = "RFC 9113 §6.4";

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "rfc9113/6.4/stream-zero",
        h2spec: Some("http2/6.4/1"),
        description: "Sends a RST_STREAM frame on stream 0",
        requirement: "If a RST_STREAM frame is received with a stream identifier of 0x00, the recipient MUST treat this as a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
        script: |_| Ok(Script::send([frames::raw(FrameType::RST_STREAM).payload([0, 0, 0, 8])], ce(&[E::PROTOCOL_ERROR]))),
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..must(S)
    },
    Case {
        id: "rfc9113/6.4/idle-stream",
        aliases: &["rfc9113/5.1/idle-rst-stream", "http2/5.1/2"],
        h2spec: Some("http2/6.4/2"),
        description: "Sends a RST_STREAM frame on idle stream 1",
        requirement: "RST_STREAM frames MUST NOT be sent for a stream in the \"idle\" state. If a RST_STREAM frame identifying an idle stream is received, the recipient MUST treat this as a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
        script: |_| Ok(Script::send([frames::rst_stream(1, E::CANCEL)], ce(&[E::PROTOCOL_ERROR]))),
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..must(S)
    },
    Case {
        id: "rfc9113/6.4/bad-length",
        h2spec: Some("http2/6.4/3"),
        description: "Sends a RST_STREAM frame of 3 octets on an open stream",
        requirement: "A RST_STREAM frame with a length other than 4 octets MUST be treated as a connection error (Section 5.4.1) of type FRAME_SIZE_ERROR.",
        script: |ctx| {
            Ok(Script::send(
                [ctx.post_sized(1, 4).build().into(), Outgoing::from(frames::raw(FrameType::RST_STREAM).stream(1).payload([0, 0, 8]))],
                ce(&[E::FRAME_SIZE_ERROR]),
            ))
        },
        setup: HOLD_RESPONSE,
        reactions: &[&ce_rows(E::FRAME_SIZE_ERROR)],
        ..must(S)
    },
    Case {
        id: "rfc9113/6.4/accepts-rst-stream",
        h2spec: Some("generic/3.4/1"),
        description: "Opens a stream and resets it with RST_STREAM(CANCEL); the connection must stay usable",
        requirement: "The RST_STREAM frame fully terminates the referenced stream and causes it to enter the \"closed\" state. (The connection carries on; §5.4.2: \"To avoid looping, an endpoint MUST NOT send a RST_STREAM in response to a RST_STREAM frame.\")",
        script: |ctx| Ok(Script::send([ctx.post_sized(1, 4).build(), frames::rst_stream(1, E::CANCEL)], IGNORED)),
        reactions: &[IGNORED_ROWS, &[row(Reset(1, E::STREAM_CLOSED), Fail)]],
        ..must(S)
    },
    Case {
        id: "rfc9113/6.4/new-stream-after-reset",
        description: "Opens stream 1, resets it with RST_STREAM(CANCEL), then sends a GET on stream 3; it must be served",
        requirement: "The RST_STREAM frame fully terminates the referenced stream and causes it to enter the \"closed\" state. (Only that stream: RST_STREAM is a stream-level signal, and the connection carries on, §5.4.2.)",
        setup: HOLD_RESPONSE,
        script: |ctx| {
            Ok(Script::send(
                [ctx.post_sized(1, 4).build(), frames::rst_stream(1, E::CANCEL), ctx.get(3).build(), frames::window_update(3, 1 << 20)],
                response(3),
            ))
        },
        reactions: &[&served_rows(3)],
        ..must(S)
    },
];
