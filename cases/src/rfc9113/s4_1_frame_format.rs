//! RFC 9113 §4.1: frame format — unknown types, undefined flags, the reserved bit.

use crate::common::*;
use h2probe_codec::frame::flags;
use h2probe_harness::case::{Case, Script};

const S: &str = "RFC 9113 §4.1";

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "rfc9113/4.1/unknown-type",
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
];
