//! RFC 9113 §6.9: WINDOW_UPDATE, flow-control windows (§6.9.1) and their initial size (§6.9.2).

use crate::common::*;
use h2probe_harness::case::{Case, Script, Setup};
use h2probe_harness::conn::Outgoing;
use h2probe_harness::expectation::Expectation;

const S: &str = "RFC 9113 §6.9";
const S1: &str = "RFC 9113 §6.9.1";
const S2: &str = "RFC 9113 §6.9.2";
const ZERO: &str = "A receiver MUST treat the receipt of a WINDOW_UPDATE frame with a flow-control window increment of 0 as a stream error (Section 5.4.2) of type PROTOCOL_ERROR; errors on the connection flow-control window MUST be treated as a connection error (Section 5.4.1).";
/// A response whose DATA must respect the window we set: exactly the window and nothing
/// more passes; a server that ignores the window (from the start, so also in a set-up
/// step), rejects our frames, closes or never answers fails.
const WINDOW_ROWS: &[Row] = &[
    row(Ignore, Pass),
    row(IgnoreFlowControl, Fail),
    row(GoAway(E::PROTOCOL_ERROR), Fail),
    row(Close, Fail),
    row(Drop, Fail),
];
const OVERFLOW: &str = "A sender MUST NOT allow a flow-control window to exceed 2^31-1 octets. If a sender receives a WINDOW_UPDATE that causes a flow-control window to exceed this maximum, it MUST terminate either the stream or the connection, as appropriate. For streams, the sender sends a RST_STREAM with an error code of FLOW_CONTROL_ERROR; for the connection, a GOAWAY frame with an error code of FLOW_CONTROL_ERROR is sent.";

/// The connection flow-control window every connection starts with (RFC 9113 §6.9.2); a
/// server may enlarge it with WINDOW_UPDATE, which scripts do not see.
const INITIAL_CONNECTION_WINDOW: usize = 65_535;

/// POSTs whose bodies total exactly the initial connection window, each within the server's
/// stream window and frame size, then a GET on the next stream: the frames and the GET's
/// stream, or why the server's windows do not allow the case.
fn exhaust_connection_window(ctx: &h2probe_harness::case::Ctx) -> Result<(Vec<Outgoing>, u32), String> {
    let stream_window = ctx.server.get(SettingId::INITIAL_WINDOW_SIZE).unwrap_or(65_535) as usize;
    if stream_window < 4096 {
        return Err(format!("the server's SETTINGS_INITIAL_WINDOW_SIZE is {stream_window}: too many streams would be needed to fill the connection window"));
    }
    let posts = INITIAL_CONNECTION_WINDOW.div_ceil(stream_window) as u32;
    if ctx.server.max_concurrent_streams().is_some_and(|m| m <= posts) {
        return Err(format!("the case needs {} concurrent streams", posts + 1));
    }
    let frame = ctx.server.max_frame_size() as usize;
    let mut out: Vec<Outgoing> = Vec::new();
    let mut left = INITIAL_CONNECTION_WINDOW;
    for i in 0..posts {
        let stream = 1 + 2 * i;
        let body = left.min(stream_window);
        left -= body;
        out.push(ctx.post_sized(stream, body).build().into());
        let mut sent = 0;
        while sent < body {
            let n = (body - sent).min(frame);
            sent += n;
            let data = frames::data(stream, filler(n));
            out.push(if sent == body { data.end_stream() } else { data }.build().into());
        }
    }
    let get = 1 + 2 * posts;
    out.push(ctx.get(get).build().into());
    Ok((out, get))
}

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "rfc9113/6.9/zero-increment-connection",
        h2spec: Some("http2/6.9/1"),
        description: "Sends WINDOW_UPDATE with increment 0 on stream 0",
        requirement: ZERO,
        script: |_| Ok(Script::send([Outgoing::from(frames::raw(FrameType::WINDOW_UPDATE).payload([0, 0, 0, 0]))], ce(&[E::PROTOCOL_ERROR]))),
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..must(S)
    },
    Case {
        id: "rfc9113/6.9/zero-increment-stream",
        h2spec: Some("http2/6.9/2"),
        description: "Sends WINDOW_UPDATE with increment 0 on an open stream (a POST whose body has not been sent)",
        requirement: ZERO,
        script: |ctx| {
            Ok(Script::send(
                [ctx.post_sized(1, 4).build().into(), Outgoing::from(frames::raw(FrameType::WINDOW_UPDATE).stream(1).payload([0, 0, 0, 0]))],
                se(1, &[E::PROTOCOL_ERROR]),
            ))
        },
        setup: HOLD_RESPONSE,
        reactions: &[&se_rows(1, E::PROTOCOL_ERROR)],
        ..must(S)
    },
    Case {
        id: "rfc9113/6.9/bad-length",
        h2spec: Some("http2/6.9/3"),
        description: "Sends a WINDOW_UPDATE of 3 octets",
        requirement: "A WINDOW_UPDATE frame with a length other than 4 octets MUST be treated as a connection error (Section 5.4.1) of type FRAME_SIZE_ERROR. (GOAWAY(PROTOCOL_ERROR), as hyper sends, is the generic code §5.4 allows in place of it: an alternative.)",
        script: |_| Ok(Script::send([Outgoing::from(frames::raw(FrameType::WINDOW_UPDATE).payload([0, 0, 1]))], ce(&[E::FRAME_SIZE_ERROR]))),
        reactions: &[&ce_rows(E::FRAME_SIZE_ERROR)],
        ..must(S)
    },
    Case {
        id: "rfc9113/6.9/accepts-connection-update",
        h2spec: Some("generic/3.9/1"),
        description: "Sends WINDOW_UPDATE on stream 0",
        requirement: "The WINDOW_UPDATE frame (type=0x08) is used to implement flow control; see Section 5.2 for an overview.",
        script: |_| Ok(Script::send([frames::window_update(0, 1)], IGNORED)),
        reactions: &[IGNORED_ROWS],
        ..must(S)
    },
    Case {
        id: "rfc9113/6.9.1/initial-window-1",
        h2spec: Some("http2/6.9.1/1"),
        description: "Sets SETTINGS_INITIAL_WINDOW_SIZE to 1 and sends a GET; the response DATA must stop at 1 octet",
        requirement: "The sender MUST NOT send a flow-controlled frame with a length that exceeds the space available in either of the flow-control windows advertised by the receiver.",
        setup: Setup::with_settings(&[(SettingId::INITIAL_WINDOW_SIZE, 1)]).manual_flow_control(),
        script: |ctx| Ok(Script::send([ctx.get(1)], Expectation::WindowLimitedData { stream: StreamId(1), len: 1 })),
        reactions: &[WINDOW_ROWS],
        ..must(S1)
    },
    Case {
        id: "rfc9113/6.9.1/connection-window-overflow",
        h2spec: Some("http2/6.9.1/2"),
        description: "Sends two WINDOW_UPDATEs of 2^31-1 on stream 0, taking the connection window above 2^31-1",
        requirement: OVERFLOW,
        script: |_| Ok(Script::send([frames::window_update(0, 0x7fff_ffff), frames::window_update(0, 0x7fff_ffff)], ce(&[E::FLOW_CONTROL_ERROR]))),
        reactions: &[&ce_rows(E::FLOW_CONTROL_ERROR)],
        ..must(S1)
    },
    Case {
        id: "rfc9113/6.9.1/stream-window-overflow",
        h2spec: Some("http2/6.9.1/3"),
        description: "With SETTINGS_INITIAL_WINDOW_SIZE 0, opens a POST and sends two WINDOW_UPDATEs of 2^31-1 on its stream: the first opens its window to exactly 2^31-1, the second takes it past",
        requirement: OVERFLOW,
        // The window of 0 holds the response, so the stream is open when the WINDOW_UPDATEs
        // arrive; a server that completes its response between them has no window left to
        // overflow, and a complete response with no error skips the case (needs_open).
        setup: HOLD_RESPONSE,
        script: |ctx| {
            Ok(Script::send(
                [ctx.post_sized(1, 4).build(), frames::window_update(1, 0x7fff_ffff), frames::window_update(1, 0x7fff_ffff)],
                se(1, &[E::FLOW_CONTROL_ERROR]),
            )
            .needs_open(1))
        },
        reactions: &[&se_rows(1, E::FLOW_CONTROL_ERROR)],
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
        reactions: &[WINDOW_ROWS],
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
        // IgnoreFlowControl overruns the first window of 3 in the set-up step: a failure
        // there too, not a skip.
        reactions: &[WINDOW_ROWS],
        ..must(S2)
    },
    Case {
        id: "rfc9113/6.9.2/settings-change-overflows-window",
        description: "With SETTINGS_INITIAL_WINDOW_SIZE 0, opens a POST, then in one write opens its stream window to 2^31-1 with WINDOW_UPDATE and raises SETTINGS_INITIAL_WINDOW_SIZE to 65535, taking the window past 2^31-1",
        requirement: "An endpoint MUST treat a change to SETTINGS_INITIAL_WINDOW_SIZE that causes any flow-control window to exceed the maximum size as a connection error (Section 5.4.1) of type FLOW_CONTROL_ERROR. (RST_STREAM(FLOW_CONTROL_ERROR) alone, as Apache, lighttpd, nghttpd and Node send, is §6.9.1's reaction to a WINDOW_UPDATE that overflows a stream window; for a change of the setting §6.9.2 names a connection error, and §5.4: \"If a frame causes a connection error, that error MUST be reported.\")",
        // With a window of 0 the response cannot complete before the WINDOW_UPDATE; a server
        // that sends it between the two frames closes the stream and leaves no window to
        // overflow, so a complete response with no error skips the case (needs_open). The
        // request is a POST whose body is not sent, so a server that waits for the body
        // before answering keeps the stream open too.
        setup: Setup::with_settings(&[(SettingId::INITIAL_WINDOW_SIZE, 0)]).manual_flow_control(),
        script: |ctx| {
            Ok(Script::steps(
                vec![
                    send([ctx.post_sized(1, 4)]),
                    send([frames::window_update(1, 0x7fff_ffff), frames::settings().set(SettingId::INITIAL_WINDOW_SIZE, 65_535).build()]),
                ],
                ce(&[E::FLOW_CONTROL_ERROR]),
            )
            .needs_open(1))
        },
        reactions: &[&ce_rows(E::FLOW_CONTROL_ERROR)],
        ..must(S2)
    },
    Case {
        id: "rfc9113/6.9.1/data-beyond-stream-window",
        description: "Opens a POST and sends one DATA frame one octet larger than the server's initial stream window",
        requirement: "The sender MUST NOT send a flow-controlled frame with a length that exceeds the space available in either of the flow-control windows advertised by the receiver. (That MUST binds the sender, here the client; nothing requires the receiver to detect an overrun: §5.2.1 \"An endpoint can choose to disable its own flow control\", and a receiver that grants itself more room than it advertised cannot tell. A server that detects it reports FLOW_CONTROL_ERROR, §7 \"The endpoint detected that its peer violated the flow-control protocol\", as a stream or a connection error: so a SHOULD. Runs only where the stream window is smaller than SETTINGS_MAX_FRAME_SIZE: a body over several frames races the server's WINDOW_UPDATEs, after which the excess is legal as far as the server can know.)",
        // The window of 0 holds the response, so a server that answers before reading the
        // body (nginx) still has the stream open when the DATA arrives.
        setup: HOLD_RESPONSE,
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
            let len = window as usize + 1;
            Ok(Script::send([ctx.post_sized(1, len).build(), frames::data(1, filler(len)).build()], se(1, &[E::FLOW_CONTROL_ERROR])))
        },
        reactions: &[&se_rows(1, E::FLOW_CONTROL_ERROR)],
        ..should(S1)
    },
    Case {
        id: "rfc9113/6.9.1/connection-window-at-maximum",
        description: "Raises the connection window from 65535 to exactly 2^31-1 with one WINDOW_UPDATE; it must be accepted",
        requirement: "A sender MUST NOT allow a flow-control window to exceed 2^31-1 octets. (A window of exactly 2^31-1 is allowed: only exceeding it is an error.)",
        // No automatic window updates, so the connection window is still the initial 65535.
        setup: Setup::STANDARD.manual_flow_control(),
        script: |_| Ok(Script::send([frames::window_update(0, 0x7fff_ffff - 65_535)], IGNORED)),
        reactions: &[IGNORED_ROWS, &[row(GoAway(E::FLOW_CONTROL_ERROR), Fail)]],
        ..must(S1)
    },
    Case {
        id: "rfc9113/6.9.1/stream-window-at-maximum",
        description: "With SETTINGS_INITIAL_WINDOW_SIZE 0, sends a GET and opens its stream window to exactly 2^31-1; the response must follow",
        requirement: "A sender MUST NOT allow a flow-control window to exceed 2^31-1 octets. (A window of exactly 2^31-1 is allowed: only exceeding it is an error.)",
        setup: Setup::with_settings(&[(SettingId::INITIAL_WINDOW_SIZE, 0)]),
        script: |ctx| Ok(Script::send([ctx.get(1).build(), frames::window_update(1, 0x7fff_ffff)], Expectation::ResponseComplete { stream: StreamId(1) })),
        reactions: &[&[
            row(Ignore, Pass),
            row(Reset(1, E::FLOW_CONTROL_ERROR), Fail),
            row(GoAway(E::FLOW_CONTROL_ERROR), Fail),
            row(Close, Fail),
            row(Drop, Fail),
        ]],
        ..must(S1)
    },
    Case {
        id: "rfc9113/6.9/headers-accepted-with-exhausted-window",
        description: "In one write, POST bodies totalling exactly the initial connection window (65 535 octets, within each stream's window), then a GET: HEADERS is not flow-controlled, so the GET must be served although the window is used up",
        requirement: "Flow control only applies to frames that are identified as being subject to flow control. Of the frame types defined in this document, this includes only DATA frames. Frames that are exempt from flow control MUST be accepted and processed, unless the receiver is unable to assign resources to handling the frame. (The GET arrives when our DATA has used the whole connection window, before the server can have replenished it. A server that refuses the GET, resets it or waits for window to answer it treats HEADERS as flow-controlled; a GET needs no window of the connection's receiver, so a FLOW_CONTROL_ERROR is no inability to assign resources. A server that enlarged its connection window with WINDOW_UPDATE, which h2probe's scripts do not see, is not exhausted by 65 535 octets and passes as any server should.)",
        script: |ctx| {
            let (frames, get) = exhaust_connection_window(ctx)?;
            Ok(Script::steps(vec![Step::Send(frames)], response(get)))
        },
        // The scripted server's stream window is 65 535: one POST on stream 1, the GET on 3.
        reactions: &[&served_rows(3), &[row(Reset(3, E::FLOW_CONTROL_ERROR), Fail), row(Reset(3, E::REFUSED_STREAM), Fail)]],
        ..must(S)
    },
];
