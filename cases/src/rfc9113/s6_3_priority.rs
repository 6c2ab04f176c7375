//! RFC 9113 §6.3: PRIORITY. Deprecated as a signal, still a frame every server must parse.

use crate::common::*;
use h2probe_harness::case::{Case, Script};

const S: &str = "RFC 9113 §6.3";

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "rfc9113/6.3/stream-zero",
        h2spec: Some("http2/6.3/1"),
        description: "Sends a PRIORITY frame on stream 0",
        requirement: "If a PRIORITY frame is received with a stream identifier of 0x00, the recipient MUST respond with a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
        script: |_| Ok(Script::send([frames::raw(FrameType::PRIORITY).payload([0, 0, 0, 1, 15])], ce(&[E::PROTOCOL_ERROR]))),
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..must(S)
    },
    Case {
        id: "rfc9113/6.3/bad-length",
        h2spec: Some("http2/6.3/2"),
        description: "Sends a PRIORITY frame of 4 octets on an open stream (a POST whose body has not been sent)",
        requirement: "A PRIORITY frame with a length other than 5 octets MUST be treated as a stream error (Section 5.4.2) of type FRAME_SIZE_ERROR.",
        script: |ctx| {
            Ok(Script::send(
                [ctx.post_sized(1, 4).build().into(), h2probe_harness::conn::Outgoing::from(frames::raw(FrameType::PRIORITY).stream(1).payload([0, 0, 0, 3]))],
                se(1, &[E::FRAME_SIZE_ERROR]),
            ))
        },
        setup: HOLD_RESPONSE,
        reactions: &[&se_rows(1, E::FRAME_SIZE_ERROR)],
        ..must(S)
    },
    Case {
        id: "rfc9113/6.3/accepts-weight-1",
        h2spec: Some("generic/3.3/1"),
        description: "Sends PRIORITY with weight 1, then a GET on that stream",
        requirement: "The PRIORITY frame can be sent for a stream in any state, including idle or closed streams.",
        script: |ctx| Ok(Script::send([frames::priority(1, 0, 0).build(), ctx.get(1).build()], response(1))),
        reactions: &[&served_rows(1)],
        ..must(S)
    },
    Case {
        id: "rfc9113/6.3/accepts-weight-256",
        h2spec: Some("generic/3.3/2"),
        description: "Sends PRIORITY with weight 256, then a GET on that stream",
        requirement: "The PRIORITY frame can be sent for a stream in any state, including idle or closed streams.",
        script: |ctx| Ok(Script::send([frames::priority(1, 0, 255).build(), ctx.get(1).build()], response(1))),
        reactions: &[&served_rows(1)],
        ..must(S)
    },
    Case {
        id: "rfc9113/6.3/accepts-dependency",
        h2spec: Some("generic/3.3/3"),
        description: "Sends PRIORITY making stream 3 depend on stream 1, then GETs on both",
        requirement: "The PRIORITY frame can be sent for a stream in any state, including idle or closed streams.",
        script: |ctx| Ok(Script::send([ctx.get(1).build(), frames::priority(3, 1, 15).build(), ctx.get(3).build()], response(3))),
        reactions: &[&served_rows(3)],
        ..must(S)
    },
    Case {
        id: "rfc9113/6.3/accepts-exclusive",
        h2spec: Some("generic/3.3/4"),
        description: "Sends an exclusive PRIORITY dependency, then GETs on both streams",
        requirement: "The PRIORITY frame can be sent for a stream in any state, including idle or closed streams.",
        script: |ctx| Ok(Script::send([ctx.get(1).build(), frames::priority(3, 1, 15).exclusive().build(), ctx.get(3).build()], response(3))),
        reactions: &[&served_rows(3)],
        ..must(S)
    },
    Case {
        id: "rfc9113/6.3/idle-then-lower-stream",
        h2spec: Some("generic/3.3/5"),
        description: "Sends PRIORITY for idle stream 3, then a GET on the lower stream 1",
        requirement: "The PRIORITY frame can be sent for a stream in any state, including idle or closed streams. (A PRIORITY frame does not open a stream, so stream 1 may still be used.)",
        script: |ctx| Ok(Script::send([frames::priority(3, 0, 15).build(), ctx.get(1).build()], response(1))),
        reactions: &[&served_rows(1)],
        ..must(S)
    },
];
