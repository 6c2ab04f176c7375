//! RFC 9113 §6.9: flow control, both ways: the server's WINDOW_UPDATE frames the client must
//! check, and the windows the client's uploads must respect.
//!
//! Upload cases leave windows to the script (`manual_flow_control`): the client's
//! connection window then stays at its initial 65,535 octets until a case opens it. No case
//! lowers a window in our first SETTINGS: a client may send before it has read them, under
//! the initial 65,535-octet windows (§6.9.2; §10.5: "limits set by a server are not known to
//! clients and could be exceeded without being an obvious protocol violation"). The cases
//! change windows only once the client is blocked on the initial ones.

use super::*;
use h2probe_harness::case::{Ctx, Script};

const S: &str = "RFC 9113 §6.9";
const S1: &str = "RFC 9113 §6.9.1";
const S2: &str = "RFC 9113 §6.9.2";
const MANUAL: Setup = Setup::STANDARD.manual_flow_control();
const ZERO: &str = "A receiver MUST treat the receipt of a WINDOW_UPDATE frame with a flow-control window increment of 0 as a stream error (Section 5.4.2) of type PROTOCOL_ERROR; errors on the connection flow-control window MUST be treated as a connection error (Section 5.4.1).";
const OVERFLOW: &str = "A sender MUST NOT allow a flow-control window to exceed 2^31-1 octets. If a sender receives a WINDOW_UPDATE that causes a flow-control window to exceed this maximum, it MUST terminate either the stream or the connection, as appropriate. For streams, the sender sends a RST_STREAM with an error code of FLOW_CONTROL_ERROR; for the connection, a GOAWAY frame with an error code of FLOW_CONTROL_ERROR is sent.";
const RESPECT: &str = "The sender MUST NOT send a flow-controlled frame with a length that exceeds the space available in either of the flow-control windows advertised by the receiver.";

/// Exactly `len` octets of request body, and nothing more until the window grows.
fn window(ctx: &Ctx, len: usize) -> Expectation {
    Expectation::WindowLimitedData { stream: StreamId(ctx.stream()), len }
}

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "client/rfc9113/6.9/window-update-zero-on-connection",
        description: "Sends WINDOW_UPDATE with increment 0 on stream 0",
        requirement: ZERO,
        script: |_| Ok(Script::send([frames::raw(FrameType::WINDOW_UPDATE).payload([0, 0, 0, 0])], ce(&[E::PROTOCOL_ERROR]))),
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..client(S)
    },
    Case {
        id: "client/rfc9113/6.9/window-update-zero-on-stream",
        description: "Sends WINDOW_UPDATE with increment 0 on the stream of an upload in progress",
        requirement: ZERO,
        setup: MANUAL,
        script: |ctx| {
            let s = ctx.stream();
            Ok(Script::send([frames::raw(FrameType::WINDOW_UPDATE).stream(s).payload([0, 0, 0, 0])], se(s, &[E::PROTOCOL_ERROR])))
        },
        reactions: &[&se_rows(1, E::PROTOCOL_ERROR)],
        ..client_post(S, 200_000)
    },
    Case {
        id: "client/rfc9113/6.9/window-update-bad-length",
        description: "Sends a WINDOW_UPDATE of 3 octets on stream 0",
        requirement: "A WINDOW_UPDATE frame with a length other than 4 octets MUST be treated as a connection error (Section 5.4.1) of type FRAME_SIZE_ERROR.",
        script: |_| Ok(Script::send([frames::raw(FrameType::WINDOW_UPDATE).payload([0, 0, 1])], ce(&[E::FRAME_SIZE_ERROR]))),
        reactions: &[&ce_rows(E::FRAME_SIZE_ERROR)],
        ..client(S)
    },
    Case {
        id: "client/rfc9113/6.9.1/connection-window-overflow",
        description: "Raises the client's connection window to 2^31-1 with one WINDOW_UPDATE, then by one more",
        requirement: OVERFLOW,
        setup: MANUAL,
        script: |_| {
            Ok(Script::send([frames::window_update(0, 0x7fff_ffff - 65_535), frames::window_update(0, 1)], ce(&[E::FLOW_CONTROL_ERROR])))
        },
        reactions: &[&ce_rows(E::FLOW_CONTROL_ERROR)],
        ..client(S1)
    },
    Case {
        id: "client/rfc9113/6.9.1/stream-window-overflow",
        description: "Lets an upload exhaust both windows, then raises its stream window to 2^31-1 and by one more",
        requirement: OVERFLOW,
        setup: MANUAL,
        script: |ctx| {
            let s = ctx.stream();
            Ok(Script::steps(
                vec![Step::Await(window(ctx, 65_535)), send([frames::window_update(s, 0x7fff_ffff), frames::window_update(s, 1)])],
                se(s, &[E::FLOW_CONTROL_ERROR]),
            ))
        },
        reactions: &[&se_rows(1, E::FLOW_CONTROL_ERROR)],
        ..client_post(S1, 200_000)
    },
    Case {
        id: "client/rfc9113/6.9.1/upload-respects-stream-window",
        description: "Opens the connection window by 1 MiB but leaves the stream window at 65,535; the client uploads 200,000 octets",
        requirement: RESPECT,
        setup: MANUAL,
        script: |ctx| Ok(Script::send([frames::window_update(0, 1 << 20)], window(ctx, 65_535))),
        reactions: &[WINDOW_ROWS],
        ..client_post(S1, 200_000)
    },
    Case {
        id: "client/rfc9113/6.9.1/upload-respects-connection-window",
        description: "Raises SETTINGS_INITIAL_WINDOW_SIZE to 1 MiB but leaves the connection window at 65,535; the client uploads 200,000 octets",
        requirement: RESPECT,
        setup: MANUAL.with(&[(SettingId::INITIAL_WINDOW_SIZE, 1 << 20)]),
        script: |ctx| Ok(Script::steps(vec![], window(ctx, 65_535))),
        reactions: &[WINDOW_ROWS],
        ..client_post(S1, 200_000)
    },
    Case {
        id: "client/rfc9113/6.9/upload-resumes-after-window-update",
        description: "Lets a 100,000-octet upload stop at the 65,535-octet windows, opens both by 40,000, and answers once the body is complete",
        requirement: "The receiver of a frame sends a WINDOW_UPDATE frame as it consumes data and frees up space in flow-control windows.",
        setup: MANUAL,
        script: |ctx| {
            let s = ctx.stream();
            Ok(Script::steps(
                vec![
                    Step::Await(window(ctx, 65_535)),
                    send([frames::window_update(s, 40_000), frames::window_update(0, 40_000)]),
                    Step::Await(Expectation::ResponseComplete { stream: StreamId(s) }),
                    send(ctx.respond(s)),
                ],
                accepted(s),
            ))
        },
        reactions: &[ACCEPTED_ROWS],
        ..client_post(S, 100_000)
    },
    Case {
        id: "client/rfc9113/6.9.2/initial-window-raised-mid-upload",
        description: "Lets an upload stop at the 65,535-octet windows, then raises SETTINGS_INITIAL_WINDOW_SIZE by 1,000 and opens the connection window by 10,000",
        requirement: "When the value of SETTINGS_INITIAL_WINDOW_SIZE changes, a receiver MUST adjust the size of all stream flow-control windows that it maintains by the difference between the new value and the old value.",
        setup: MANUAL,
        script: |ctx| {
            Ok(Script::steps(
                vec![
                    Step::Await(window(ctx, 65_535)),
                    send([frames::settings().set(SettingId::INITIAL_WINDOW_SIZE, 66_535).build(), frames::window_update(0, 10_000)]),
                ],
                window(ctx, 1_000),
            ))
        },
        reactions: &[WINDOW_ROWS],
        ..client_post(S2, 200_000)
    },
    Case {
        id: "client/rfc9113/6.9.2/initial-window-lowered-applies-to-streams-only",
        description: "After 65,535 octets of upload, lowers SETTINGS_INITIAL_WINDOW_SIZE to 16,384 (stream window -49,151), then opens the stream window to 1,000 and the connection window by 1,000",
        requirement: "The connection flow-control window can only be changed using WINDOW_UPDATE frames. … A change to SETTINGS_INITIAL_WINDOW_SIZE can cause the available space in a flow-control window to become negative. A sender MUST track the negative flow-control window and MUST NOT send new flow- controlled frames until it receives WINDOW_UPDATE frames that cause the flow-control window to become positive.",
        setup: MANUAL,
        script: |ctx| {
            let s = ctx.stream();
            Ok(Script::steps(
                vec![
                    Step::Await(window(ctx, 65_535)),
                    send([
                        frames::settings().set(SettingId::INITIAL_WINDOW_SIZE, 16_384).build(),
                        frames::window_update(s, 49_151 + 1_000),
                        frames::window_update(0, 1_000),
                    ]),
                ],
                window(ctx, 1_000),
            ))
        },
        reactions: &[WINDOW_ROWS],
        ..client_post(S2, 200_000)
    },
    Case {
        id: "client/rfc9113/6.9.2/initial-window-lowered-negative",
        description: "After 65,535 octets of upload, lowers SETTINGS_INITIAL_WINDOW_SIZE to 16,384 and opens the connection window, then raises the stream window by 49,151 (to 0) and by 1: one octet may follow",
        requirement: "A change to SETTINGS_INITIAL_WINDOW_SIZE can cause the available space in a flow-control window to become negative. A sender MUST track the negative flow-control window and MUST NOT send new flow- controlled frames until it receives WINDOW_UPDATE frames that cause the flow-control window to become positive.",
        setup: MANUAL,
        script: |ctx| {
            let s = ctx.stream();
            Ok(Script::steps(
                vec![
                    Step::Await(window(ctx, 65_535)),
                    send([
                        frames::settings().set(SettingId::INITIAL_WINDOW_SIZE, 16_384).build(),
                        frames::window_update(0, 100_000),
                        frames::window_update(s, 49_151),
                        frames::window_update(s, 1),
                    ]),
                ],
                window(ctx, 1),
            ))
        },
        reactions: &[WINDOW_ROWS],
        ..client_post(S2, 200_000)
    },
    Case {
        id: "client/rfc9113/4.2/upload-frames-within-max-frame-size",
        description: "Lets the client upload 100,000 octets under the default SETTINGS_MAX_FRAME_SIZE (16,384), then answers",
        requirement: "The size of a frame payload is limited by the maximum size that a receiver advertises in the SETTINGS_MAX_FRAME_SIZE setting. (The frames are checked as they arrive: a larger one fails the case.)",
        script: |ctx| {
            let s = ctx.stream();
            Ok(Script::steps(vec![Step::Await(Expectation::ResponseComplete { stream: StreamId(s) }), send(ctx.respond(s))], accepted(s)))
        },
        reactions: &[ACCEPTED_ROWS],
        ..client_post("RFC 9113 §4.2", 100_000)
    },
];

/// A window the client must respect: the scripted client's flow control passes; one that
/// overruns the window (ignores flow control) or never sends fails.
const WINDOW_ROWS: &[Row] = &[row(Ignore, Pass), row(IgnoreFlowControl, Fail), row(Hang, Fail), row(Close, Fail)];
