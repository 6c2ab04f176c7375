//! RFC 9113 §4.1: frame format — unknown types, undefined flags, the reserved bit.

use crate::common::*;
use h2probe_codec::frame::flags;
use h2probe_harness::case::{Case, Script};
use h2probe_harness::conn::Outgoing;
use h2probe_harness::expectation::Expectation;

const S: &str = "RFC 9113 §4.1";
const UNDEFINED_FLAGS: &str = "Unused flags are those that have no defined semantics for a particular frame type. Unused flags MUST be ignored on receipt and MUST be left unset (0x00) when sending.";

/// The stream window the flagged WINDOW_UPDATE opens.
const WINDOW_OPENED: u32 = 16;

/// A RST_STREAM that must be accepted: nothing answers it. An error, a close, or a
/// RST_STREAM in answer (§5.4.2 forbids it, whatever its code) fail.
const RESET_ACCEPTED_ROWS: &[Row] = &[
    row(Ignore, Pass),
    row(Reset(1, E::STREAM_CLOSED), Fail),
    row(Reset(1, E::PROTOCOL_ERROR), Fail),
    row(Reset(1, E::NO_ERROR), Fail),
    row(GoAway(E::PROTOCOL_ERROR), Fail),
    row(Close, Fail),
];

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "rfc9113/4.1/unknown-type",
        aliases: &["rfc9113/5.5/unknown-extension-frame", "http2/5.5/1"],
        h2spec: Some("http2/4.1/1"),
        description: "Sends a frame of unknown type 0x16",
        requirement: "Implementations MUST ignore and discard frames of unknown types.",
        script: |_| Ok(Script::send([frames::unknown(0x16, 0, filler(8))], IGNORED)),
        reactions: &[IGNORED_ROWS],
        ..must(S)
    },
    Case {
        id: "rfc9113/4.1/undefined-flags",
        h2spec: Some("http2/4.1/2"),
        description: "Sends a PING with undefined flags 0x16 set (not ACK); it must still be answered",
        requirement: "Unused flags are those that have no defined semantics for a particular frame type. Unused flags MUST be ignored on receipt and MUST be left unset (0x00) when sending. (Ignoring the flags means processing the PING as if they were unset: RFC 9113 §6.7, \"Receivers of a PING frame that does not include an ACK flag MUST send a PING frame with the ACK flag set in response, with an identical frame payload.\" h2spec http2/4.1/2 waits for that answer too.)",
        script: |_| Ok(Script::send([frames::raw(FrameType::PING).flags(0x16).payload(*b"h2pflags")], Expectation::ping_ack(*b"h2pflags"))),
        reactions: &[ANSWERED_ROWS],
        ..must(S)
    },
    Case {
        id: "rfc9113/4.1/reserved-bit",
        h2spec: Some("http2/4.1/3"),
        description: "Sends a PING with the reserved bit of the stream identifier set; it must still be answered",
        requirement: "Reserved: A reserved 1-bit field. The semantics of this bit are undefined, and the bit MUST remain unset (0x00) when sending and MUST be ignored when receiving. (Ignoring the bit means processing the PING on stream 0 as usual: RFC 9113 §6.7, \"Receivers of a PING frame that does not include an ACK flag MUST send a PING frame with the ACK flag set in response, with an identical frame payload.\" h2spec http2/4.1/3 waits for that answer too.)",
        script: |_| Ok(Script::send([frames::raw(FrameType::PING).reserved().payload(*b"h2presvd")], Expectation::ping_ack(*b"h2presvd"))),
        reactions: &[ANSWERED_ROWS],
        ..must(S)
    },
    Case {
        id: "rfc9113/4.1/undefined-flags-on-headers",
        description: "Sends a GET whose HEADERS frame also carries undefined flags 0xd2",
        requirement: "Unused flags are those that have no defined semantics for a particular frame type. Unused flags MUST be ignored on receipt and MUST be left unset (0x00) when sending.",
        script: |ctx| {
            let mut raw = ctx.get(1).build().to_raw();
            raw.flags |= 0xd2 & !(flags::PADDED | flags::PRIORITY);
            Ok(Script::send([raw], response(1)))
        },
        reactions: &[&served_rows(1)],
        ..must(S)
    },
    Case {
        id: "rfc9113/4.1/undefined-flags-on-data",
        description: "Sends a POST (content-length: 4) whose DATA frame carries END_STREAM plus undefined flags 0xf6",
        requirement: UNDEFINED_FLAGS,
        script: |ctx| {
            let data = frames::raw(FrameType::DATA).stream(1).flags(0xf6 | flags::END_STREAM).payload(filler(4));
            Ok(Script::send([Outgoing::from(ctx.post_sized(1, 4)), data.into()], response(1)))
        },
        reactions: &[&served_rows(1)],
        ..must(S)
    },
    Case {
        id: "rfc9113/4.1/undefined-flags-on-settings",
        description: "Sends a SETTINGS frame (not an ACK) with undefined flags 0xfe; it must be applied and acknowledged",
        requirement: UNDEFINED_FLAGS,
        script: |_| {
            let settings = frames::raw(FrameType::SETTINGS).flags(0xfe).payload([0x00, 0x03, 0x00, 0x00, 0x00, 0x64]);
            Ok(Script::send([settings], Expectation::SettingsAck))
        },
        reactions: &[ANSWERED_ROWS],
        ..must(S)
    },
    Case {
        id: "rfc9113/4.1/undefined-flags-on-rst-stream",
        description: "Opens a POST (content-length: 4, no body yet) and resets it with a RST_STREAM(CANCEL) carrying undefined flags 0xff; no error and no RST_STREAM may answer it",
        requirement: "Unused flags are those that have no defined semantics for a particular frame type. Unused flags MUST be ignored on receipt and MUST be left unset (0x00) when sending. (RFC 9113 §5.4.2: \"To avoid looping, an endpoint MUST NOT send a RST_STREAM in response to a RST_STREAM frame.\" A limit of the check: a server that drops the flagged frame looks like one that resets the stream, since a reset stream shows nothing more; only an error, a close or a RST_STREAM in answer can be seen.)",
        setup: HOLD_RESPONSE,
        script: |ctx| {
            let rst = frames::raw(FrameType::RST_STREAM).stream(1).flags(0xff).payload(E::CANCEL.0.to_be_bytes());
            Ok(Script::send([Outgoing::from(ctx.post_sized(1, 4)), rst.into()], IGNORED))
        },
        // No row for a server that drops the frame: the judge cannot see it (see the requirement).
        reactions: &[RESET_ACCEPTED_ROWS],
        ..must(S)
    },
    Case {
        id: "rfc9113/4.1/undefined-flags-on-window-update",
        description: "With SETTINGS_INITIAL_WINDOW_SIZE 0, sends a GET and opens its stream window by 16 with a WINDOW_UPDATE carrying undefined flags 0xff; exactly 16 octets of DATA must follow",
        requirement: "Unused flags are those that have no defined semantics for a particular frame type. Unused flags MUST be ignored on receipt and MUST be left unset (0x00) when sending. (Ignoring the flags means applying the WINDOW_UPDATE: the response, held by a stream window of 0, then gets exactly its 16 octets, RFC 9113 §6.9.1. A server that drops the frame sends nothing.)",
        setup: HOLD_RESPONSE.manual_flow_control(),
        script: |ctx| {
            let wu = frames::raw(FrameType::WINDOW_UPDATE).stream(1).flags(0xff).payload(WINDOW_OPENED.to_be_bytes());
            Ok(Script::send(
                [Outgoing::from(ctx.get(1)), wu.into()],
                Expectation::WindowLimitedData { stream: StreamId(1), len: WINDOW_OPENED as usize },
            ))
        },
        reactions: &[&[
            row(Ignore, Pass),
            row(Drop, Fail),
            row(IgnoreFlowControl, Fail),
            row(GoAway(E::PROTOCOL_ERROR), Fail),
            row(Reset(1, E::PROTOCOL_ERROR), Fail),
            row(Close, Fail),
        ]],
        ..must(S)
    },
    Case {
        id: "rfc9113/4.1/undefined-flags-on-priority",
        description: "Sends a PRIORITY frame for idle stream 3 with undefined flags 0xff",
        requirement: UNDEFINED_FLAGS,
        script: |_| Ok(Script::send([frames::raw(FrameType::PRIORITY).stream(3).flags(0xff).payload([0, 0, 0, 0, 15])], IGNORED)),
        reactions: &[IGNORED_ROWS],
        ..must(S)
    },
    Case {
        id: "rfc9113/4.1/undefined-flags-on-goaway",
        description: "Sends a GET, then GOAWAY(NO_ERROR) with undefined flags 0xff; the GET must still be answered, or the connection closed gracefully",
        requirement: UNDEFINED_FLAGS,
        script: |ctx| {
            let goaway = frames::raw(FrameType::GOAWAY).flags(0xff).payload([0; 8]);
            Ok(Script::send([Outgoing::from(ctx.get(1)), goaway.into()], response(1).after_our_goaway(E::NO_ERROR)))
        },
        reactions: &[&[
            row(Ignore, Pass),
            row(GoAway(E::NO_ERROR), Alternative),
            row(Close, Alternative),
            row(GoAway(E::PROTOCOL_ERROR), Fail),
            row(Reset(1, E::PROTOCOL_ERROR), Fail),
            row(Drop, Fail),
        ]],
        ..must(S)
    },
    Case {
        id: "rfc9113/4.1/undefined-flags-on-continuation",
        description: "Sends a GET whose final CONTINUATION carries END_HEADERS plus undefined flags 0xfb",
        requirement: UNDEFINED_FLAGS,
        script: |ctx| {
            let mut out: Vec<Outgoing> = ctx.get(1).build_split(8).into_iter().map(Outgoing::from).collect();
            if let Some(Outgoing::Frame(last)) = out.pop() {
                let mut raw = last.to_raw();
                raw.flags |= 0xfb;
                out.push(raw.into());
            }
            Ok(Script::send(out, response(1)))
        },
        reactions: &[&served_rows(1)],
        ..must(S)
    },
];
