//! RFC 9113 §6.3: PRIORITY frames sent by the server.

use super::*;
use h2probe_harness::case::Script;

const S: &str = "RFC 9113 §6.3";

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "client/rfc9113/6.3/priority-on-stream-zero",
        description: "Sends a PRIORITY frame on stream 0",
        requirement: "If a PRIORITY frame is received with a stream identifier of 0x00, the recipient MUST respond with a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
        script: |_| Ok(Script::send([frames::raw(FrameType::PRIORITY).payload([0, 0, 0, 0, 16])], ce(&[E::PROTOCOL_ERROR]))),
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..client(S)
    },
    Case {
        id: "client/rfc9113/6.3/priority-bad-length",
        description: "Sends a 4-octet PRIORITY frame on the response's stream",
        requirement: "A PRIORITY frame with a length other than 5 octets MUST be treated as a stream error (Section 5.4.2) of type FRAME_SIZE_ERROR.",
        script: |ctx| {
            let s = ctx.stream();
            Ok(Script::send([frames::raw(FrameType::PRIORITY).stream(s).payload([0, 0, 0, 0])], se(s, &[E::FRAME_SIZE_ERROR])))
        },
        reactions: &[&se_rows(1, E::FRAME_SIZE_ERROR)],
        ..client(S)
    },
    Case {
        id: "client/rfc9113/6.3/priority-accepted",
        description: "Sends PRIORITY frames on the response's stream and on an idle stream, then the response",
        requirement: "The PRIORITY frame can be sent on a stream in any state, including \"idle\" or \"closed\".",
        script: |ctx| {
            let s = ctx.stream();
            let mut f = vec![frames::priority(s, 0, 200).build().into(), frames::priority(s + 10, 0, 1).build().into()];
            f.extend(ctx.respond(s));
            Ok(Script::send(f, accepted(s)))
        },
        reactions: &[ACCEPTED_ROWS],
        ..client(S)
    },
];
