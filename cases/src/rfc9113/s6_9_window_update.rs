//! RFC 9113 §6.9: WINDOW_UPDATE, flow-control windows (§6.9.1) and their initial size (§6.9.2).

use crate::common::*;
use h2probe_harness::case::{Case, Script, Setup};
use h2probe_harness::conn::Outgoing;
use h2probe_harness::expectation::Expectation;

const S: &str = "RFC 9113 §6.9";
const S1: &str = "RFC 9113 §6.9.1";
const S2: &str = "RFC 9113 §6.9.2";
const ZERO: &str = "A receiver MUST treat the receipt of a WINDOW_UPDATE frame with a flow-control window increment of 0 as a stream error (Section 5.4.2) of type PROTOCOL_ERROR; errors on the connection flow-control window MUST be treated as a connection error (Section 5.4.1).";
const OVERFLOW: &str = "A sender MUST NOT allow a flow-control window to exceed 2^31-1 octets. If a sender receives a WINDOW_UPDATE that causes a flow-control window to exceed this maximum, it MUST terminate either the stream or the connection, as appropriate. For streams, the sender sends a RST_STREAM with an error code of FLOW_CONTROL_ERROR; for the connection, a GOAWAY frame with an error code of FLOW_CONTROL_ERROR is sent.";

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "rfc9113/6.9/zero-increment-connection",
        h2spec: Some("http2/6.9/1"),
        description: "Sends WINDOW_UPDATE with increment 0 on stream 0",
        requirement: ZERO,
        script: |_| Ok(Script::send([Outgoing::from(frames::raw(FrameType::WINDOW_UPDATE).payload([0, 0, 0, 0]))], ce(&[E::PROTOCOL_ERROR]))),
        ..must(S)
    },
    Case {
        id: "rfc9113/6.9/zero-increment-stream",
        h2spec: Some("http2/6.9/2"),
        description: "Sends WINDOW_UPDATE with increment 0 on an open stream",
        requirement: ZERO,
        script: |ctx| {
            Ok(Script::send(
                [ctx.post(1).build().into(), Outgoing::from(frames::raw(FrameType::WINDOW_UPDATE).stream(1).payload([0, 0, 0, 0]))],
                se(1, &[E::PROTOCOL_ERROR]),
            ))
        },
        setup: crate::common::HOLD_RESPONSE,
        ..must(S)
    },
    Case {
        id: "rfc9113/6.9/bad-length",
        h2spec: Some("http2/6.9/3"),
        description: "Sends a WINDOW_UPDATE of 3 octets",
        requirement: "A WINDOW_UPDATE frame with a length other than 4 octets MUST be treated as a connection error (Section 5.4.1) of type FRAME_SIZE_ERROR.",
        script: |_| Ok(Script::send([Outgoing::from(frames::raw(FrameType::WINDOW_UPDATE).payload([0, 0, 1]))], ce(&[E::FRAME_SIZE_ERROR]))),
        ..must(S)
    },
    Case {
        id: "rfc9113/6.9/accepts-connection-update",
        h2spec: Some("generic/3.9/1"),
        description: "Sends WINDOW_UPDATE on stream 0",
        requirement: "The WINDOW_UPDATE frame (type=0x08) is used to implement flow control; see Section 5.2 for an overview.",
        script: |_| Ok(Script::send([frames::window_update(0, 1)], IGNORED)),
        ..must(S)
    },
    Case {
        id: "rfc9113/6.9/accepts-stream-update",
        h2spec: Some("generic/3.9/2"),
        description: "Sends a GET followed by WINDOW_UPDATE on its stream",
        requirement: "The WINDOW_UPDATE frame can be specific to a stream or to the entire connection.",
        script: |ctx| Ok(Script::send([ctx.get(1).build(), frames::window_update(1, 1)], response(1))),
        ..must(S)
    },
    Case {
        id: "rfc9113/6.9.1/initial-window-1",
        h2spec: Some("http2/6.9.1/1"),
        description: "Sets SETTINGS_INITIAL_WINDOW_SIZE to 1 and sends a GET; the response DATA must stop at 1 octet",
        requirement: "The sender MUST NOT send a flow-controlled frame with a length that exceeds the space available in either of the flow-control windows advertised by the receiver.",
        setup: Setup::with_settings(&[(SettingId::INITIAL_WINDOW_SIZE, 1)]).manual_flow_control(),
        script: |ctx| Ok(Script::send([ctx.get(1)], Expectation::WindowLimitedData { stream: StreamId(1), len: 1 })),
        ..must(S1)
    },
    Case {
        id: "rfc9113/6.9.1/connection-window-overflow",
        h2spec: Some("http2/6.9.1/2"),
        description: "Sends two WINDOW_UPDATEs of 2^31-1 on stream 0, taking the connection window above 2^31-1",
        requirement: OVERFLOW,
        script: |_| Ok(Script::send([frames::window_update(0, 0x7fff_ffff), frames::window_update(0, 0x7fff_ffff)], ce(&[E::FLOW_CONTROL_ERROR]))),
        ..must(S1)
    },
    Case {
        id: "rfc9113/6.9.1/stream-window-overflow",
        h2spec: Some("http2/6.9.1/3"),
        description: "Opens a POST (so the server cannot answer first) and sends two WINDOW_UPDATEs of 2^31-1 on its stream",
        requirement: OVERFLOW,
        script: |ctx| {
            Ok(Script::send(
                [ctx.post(1).build(), frames::window_update(1, 0x7fff_ffff), frames::window_update(1, 0x7fff_ffff)],
                se(1, &[E::FLOW_CONTROL_ERROR]),
            ))
        },
        ..must(S1)
    },
    Case {
        id: "rfc9113/6.9.2/initial-window-change",
        h2spec: Some("http2/6.9.2/1"),
        description: "Sends a GET with SETTINGS_INITIAL_WINDOW_SIZE 0, then raises it to 1; exactly 1 octet of DATA may follow",
        requirement: "When the value of SETTINGS_INITIAL_WINDOW_SIZE changes, a receiver MUST adjust the size of all stream flow-control windows that it maintains by the difference between the new value and the old value.",
        setup: Setup::with_settings(&[(SettingId::INITIAL_WINDOW_SIZE, 0)]).manual_flow_control(),
        script: |ctx| {
            Ok(Script::send(
                [ctx.get(1).build(), frames::settings().set(SettingId::INITIAL_WINDOW_SIZE, 1).build()],
                Expectation::WindowLimitedData { stream: StreamId(1), len: 1 },
            ))
        },
        ..must(S2)
    },
    Case {
        id: "rfc9113/6.9.2/negative-window",
        h2spec: Some("http2/6.9.2/2"),
        description: "Lets 3 octets of a response through, lowers SETTINGS_INITIAL_WINDOW_SIZE to 2 (window -1), then grants 2 more: exactly 1 more octet may follow",
        requirement: "A change to SETTINGS_INITIAL_WINDOW_SIZE can cause the available space in a flow-control window to become negative. A sender MUST track the negative flow-control window and MUST NOT send new flow-controlled frames until it receives WINDOW_UPDATE frames that cause the flow-control window to become positive.",
        setup: Setup::with_settings(&[(SettingId::INITIAL_WINDOW_SIZE, 3)]).manual_flow_control(),
        script: |ctx| {
            Ok(Script::steps(
                vec![
                    send([ctx.get(1)]),
                    Step::Await(Expectation::WindowLimitedData { stream: StreamId(1), len: 3 }),
                    send([frames::settings().set(SettingId::INITIAL_WINDOW_SIZE, 2).build(), frames::window_update(1, 2)]),
                ],
                // 3 octets already counted by the step above are not seen again: 1 more.
                Expectation::WindowLimitedData { stream: StreamId(1), len: 1 },
            ))
        },
        ..must(S2)
    },
    Case {
        id: "rfc9113/6.9.2/settings-change-overflows-window",
        description: "With SETTINGS_INITIAL_WINDOW_SIZE 0, sends a GET, then in one write opens its stream window to 2^31-1 with WINDOW_UPDATE and raises SETTINGS_INITIAL_WINDOW_SIZE to 65535, taking the window past 2^31-1",
        requirement: "An endpoint MUST treat a change to SETTINGS_INITIAL_WINDOW_SIZE that causes any flow-control window to exceed the maximum size as a connection error (Section 5.4.1) of type FLOW_CONTROL_ERROR.",
        // With a window of 0 the response cannot complete before the WINDOW_UPDATE; a server
        // that sends it between the two frames closes the stream and leaves no window to
        // overflow, so a complete response with no error skips the case (needs_open).
        setup: Setup::with_settings(&[(SettingId::INITIAL_WINDOW_SIZE, 0)]).manual_flow_control(),
        script: |ctx| {
            Ok(Script::steps(
                vec![
                    send([ctx.get(1)]),
                    send([frames::window_update(1, 0x7fff_ffff), frames::settings().set(SettingId::INITIAL_WINDOW_SIZE, 65_535).build()]),
                ],
                ce(&[E::FLOW_CONTROL_ERROR]),
            )
            .needs_open(1))
        },
        ..must(S2)
    },
    Case {
        id: "rfc9113/6.9.1/data-beyond-stream-window",
        description: "Opens a POST and sends one DATA frame one octet larger than the server's initial stream window",
        requirement: "The sender MUST NOT send a flow-controlled frame with a length that exceeds the space available in either of the flow-control windows advertised by the receiver. (RFC 9113 §7: FLOW_CONTROL_ERROR, the endpoint detected that its peer violated the flow-control protocol; as a stream or a connection error, §5.4.)",
        script: |ctx| {
            let window = ctx.server.get(SettingId::INITIAL_WINDOW_SIZE).unwrap_or(65_535);
            let max = ctx.server.max_frame_size();
            // One frame, so no WINDOW_UPDATE of the server's can make part of it legal.
            if window >= max {
                return Err(format!("the server's stream window ({window}) is not smaller than its SETTINGS_MAX_FRAME_SIZE ({max}): one DATA frame cannot exceed it"));
            }
            if window >= 1 << 20 {
                return Err(format!("the server's stream window ({window}) is too large for a bounded test"));
            }
            Ok(Script::send([ctx.post(1).build(), frames::data(1, filler(window as usize + 1)).build()], se(1, &[E::FLOW_CONTROL_ERROR])))
        },
        ..must(S1)
    },
    Case {
        id: "rfc9113/6.9.1/connection-window-at-maximum",
        description: "Raises the connection window from 65535 to exactly 2^31-1 with one WINDOW_UPDATE; it must be accepted",
        requirement: "A sender MUST NOT allow a flow-control window to exceed 2^31-1 octets. (A window of exactly 2^31-1 is allowed: only exceeding it is an error.)",
        // No automatic window updates, so the connection window is still the initial 65535.
        setup: Setup::STANDARD.manual_flow_control(),
        script: |_| Ok(Script::send([frames::window_update(0, 0x7fff_ffff - 65_535)], IGNORED)),
        ..must(S1)
    },
    Case {
        id: "rfc9113/6.9.1/stream-window-at-maximum",
        description: "With SETTINGS_INITIAL_WINDOW_SIZE 0, sends a GET and opens its stream window to exactly 2^31-1; the response must follow",
        requirement: "A sender MUST NOT allow a flow-control window to exceed 2^31-1 octets. (A window of exactly 2^31-1 is allowed: only exceeding it is an error.)",
        setup: Setup::with_settings(&[(SettingId::INITIAL_WINDOW_SIZE, 0)]),
        script: |ctx| Ok(Script::send([ctx.get(1).build(), frames::window_update(1, 0x7fff_ffff)], Expectation::ResponseComplete { stream: StreamId(1) })),
        ..must(S1)
    },
];
