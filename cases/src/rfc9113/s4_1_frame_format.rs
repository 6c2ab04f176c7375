//! RFC 9113 §4.1: frame format — unknown types, undefined flags, the reserved bit.

use crate::common::*;
use h2probe_codec::frame::flags;
use h2probe_harness::case::{Case, Script};
use h2probe_harness::conn::Outgoing;
use h2probe_harness::expectation::Expectation;

const S: &str = "RFC 9113 §4.1";
const UNDEFINED_FLAGS: &str = "Flags that have no defined semantics for a particular frame type MUST be ignored and MUST be left unset (0x00) when sending.";

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "rfc9113/4.1/unknown-type",
        aliases: &["rfc9113/5.5/unknown-extension-frame", "http2/5.5/1"],
        h2spec: Some("http2/4.1/1"),
        description: "Sends a frame of unknown type 0x16",
        requirement: "Implementations MUST ignore and discard frames of unknown types.",
        script: |_| Ok(Script::send([frames::unknown(0x16, 0, filler(8))], IGNORED)),
        ..must(S)
    },
    Case {
        id: "rfc9113/4.1/undefined-flags",
        h2spec: Some("http2/4.1/2"),
        description: "Sends a PING with undefined flags 0x16 set",
        requirement: "Flags that have no defined semantics for a particular frame type MUST be ignored and MUST be left unset (0x00) when sending.",
        script: |_| Ok(Script::send([frames::raw(FrameType::PING).flags(0x16).payload(*b"h2pflags")], IGNORED)),
        ..must(S)
    },
    Case {
        id: "rfc9113/4.1/reserved-bit",
        h2spec: Some("http2/4.1/3"),
        description: "Sends a PING with the reserved bit of the stream identifier set",
        requirement: "Reserved: A reserved 1-bit field. The semantics of this bit are undefined, and the bit MUST remain unset (0x00) when sending and MUST be ignored when receiving.",
        script: |_| Ok(Script::send([frames::raw(FrameType::PING).reserved().payload(*b"h2presvd")], IGNORED)),
        ..must(S)
    },
    Case {
        id: "rfc9113/4.1/undefined-flags-on-headers",
        description: "Sends a GET whose HEADERS frame also carries undefined flags 0xd2",
        requirement: "Flags that have no defined semantics for a particular frame type MUST be ignored and MUST be left unset (0x00) when sending.",
        script: |ctx| {
            let mut raw = ctx.get(1).build().to_raw();
            raw.flags |= 0xd2 & !(flags::PADDED | flags::PRIORITY);
            Ok(Script::send([raw], response(1)))
        },
        ..must(S)
    },
    Case {
        id: "rfc9113/4.1/undefined-flags-on-data",
        description: "Sends a POST whose DATA frame carries END_STREAM plus undefined flags 0xf6",
        requirement: UNDEFINED_FLAGS,
        script: |ctx| {
            let data = frames::raw(FrameType::DATA).stream(1).flags(0xf6 | flags::END_STREAM).payload(filler(4));
            Ok(Script::send([Outgoing::from(ctx.post(1)), data.into()], response(1)))
        },
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
        ..must(S)
    },
    Case {
        id: "rfc9113/4.1/undefined-flags-on-rst-stream",
        description: "Opens a stream and resets it with a RST_STREAM(CANCEL) carrying undefined flags 0xff",
        requirement: UNDEFINED_FLAGS,
        setup: HOLD_RESPONSE,
        script: |ctx| {
            let rst = frames::raw(FrameType::RST_STREAM).stream(1).flags(0xff).payload(E::CANCEL.0.to_be_bytes());
            Ok(Script::send([Outgoing::from(ctx.post(1)), rst.into()], IGNORED))
        },
        ..must(S)
    },
    Case {
        id: "rfc9113/4.1/undefined-flags-on-window-update",
        description: "Sends a connection WINDOW_UPDATE (increment 1) with undefined flags 0xff",
        requirement: UNDEFINED_FLAGS,
        script: |_| Ok(Script::send([frames::raw(FrameType::WINDOW_UPDATE).flags(0xff).payload([0, 0, 0, 1])], IGNORED)),
        ..must(S)
    },
    Case {
        id: "rfc9113/4.1/undefined-flags-on-priority",
        description: "Sends a PRIORITY frame for idle stream 3 with undefined flags 0xff",
        requirement: UNDEFINED_FLAGS,
        script: |_| Ok(Script::send([frames::raw(FrameType::PRIORITY).stream(3).flags(0xff).payload([0, 0, 0, 0, 15])], IGNORED)),
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
        ..must(S)
    },
];
