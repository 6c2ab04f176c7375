//! RFC 9113 §5.1: stream states, as the client sees frames from the server.

use super::*;
use h2probe_harness::case::Script;

const S: &str = "RFC 9113 §5.1";
const IDLE: &str = "idle: … Receiving any frame other than HEADERS or PRIORITY on a stream in this state MUST be treated as a connection error (Section 5.4.1) of type PROTOCOL_ERROR.";

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "client/rfc9113/5.1/data-on-idle-stream",
        description: "Sends DATA on a client stream the client has not opened yet",
        requirement: IDLE,
        script: |ctx| Ok(Script::send([frames::data(ctx.stream() + 2, filler(4)).build()], ce(&[E::PROTOCOL_ERROR]))),
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..client(S)
    },
    Case {
        id: "client/rfc9113/5.1/window-update-on-idle-stream",
        description: "Sends WINDOW_UPDATE on a client stream the client has not opened yet",
        requirement: IDLE,
        script: |ctx| Ok(Script::send([frames::window_update(ctx.stream() + 2, 100)], ce(&[E::PROTOCOL_ERROR]))),
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..client(S)
    },
    Case {
        id: "client/rfc9113/5.1/rst-on-idle-stream",
        aliases: &["client/rfc9113/6.4/idle-stream"],
        description: "Sends RST_STREAM on a client stream the client has not opened yet",
        requirement: "If a RST_STREAM frame identifying an idle stream is received, the recipient MUST treat this as a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
        script: |ctx| Ok(Script::send([frames::rst_stream(ctx.stream() + 2, E::CANCEL)], ce(&[E::PROTOCOL_ERROR]))),
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..client("RFC 9113 §6.4")
    },
    Case {
        id: "client/rfc9113/5.1/data-on-server-idle-stream",
        description: "Sends DATA on stream 2, an even (server-initiated) stream that was never promised",
        requirement: IDLE,
        script: |_| Ok(Script::send([frames::data(2, filler(4)).build()], ce(&[E::PROTOCOL_ERROR]))),
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..client(S)
    },
    Case {
        id: "client/rfc9113/5.1/data-after-end-stream",
        description: "Completes the response on the first of two streams, then sends more DATA on it while the second waits (the client stays connected for it)",
        requirement: crate::rfc9113::s5_1_stream_states::DATA_ON_CLOSED,
        script: |ctx| {
            let s = ctx.stream();
            let mut f = ctx.respond(s);
            f.push(frames::data(s, filler(4)).build().into());
            Ok(Script::send(f, se(s, &[E::STREAM_CLOSED])).others(h2probe_harness::case::Others::Leave))
        },
        reactions: &[&se_rows(1, E::STREAM_CLOSED)],
        // SHOULD level, as the server's twin rfc9113/5.1/closed-data: §6.1 and §5.1 disagree.
        level: h2probe_harness::model::Level::Should,
        ..client_parallel("RFC 9113 §6.1", 2)
    },
];
