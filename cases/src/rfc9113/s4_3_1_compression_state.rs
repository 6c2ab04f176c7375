//! RFC 9113 §4.3.1: compression state — the table size the decoder allows.

use crate::common::*;
use h2probe_harness::case::{Case, Script, Setup};
use h2probe_harness::expectation::Expectation;

const S: &str = "RFC 9113 §4.3.1";

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "rfc9113/4.3.1/size-update-after-reduced-table",
        description: "Lowers SETTINGS_HEADER_TABLE_SIZE to 0 in the first SETTINGS; the server's first response field block must start with a dynamic table size update",
        requirement: "When a connection is established, the dynamic table size for the HPACK decoder and encoder at both endpoints starts at 4,096 bytes, the initial value of the SETTINGS_HEADER_TABLE_SIZE setting. … Once an endpoint acknowledges a change to SETTINGS_HEADER_TABLE_SIZE that reduces the maximum below the current size of the dynamic table, its HPACK encoder MUST start the next field block with a Dynamic Table Size Update instruction that sets the dynamic table to a size that is less than or equal to the reduced maximum; see Section 4.2 of [COMPRESSION]. (RFC 7541 §4.2: \"This dynamic table size update MUST occur at the beginning of the first header block following the change to the dynamic table size.\" Our decoder holds the server to it, as §4.3.1 requires of us: \"An endpoint MUST treat a field block that follows an acknowledgment of the reduction to the maximum dynamic table size as a connection error (Section 5.4.1) of type COMPRESSION_ERROR if it does not start with a conformant Dynamic Table Size Update instruction.\")",
        tags: &["hpack"],
        setup: Setup::with_settings(&[(SettingId::HEADER_TABLE_SIZE, 0)]),
        script: |ctx| Ok(Script::send([ctx.get(1)], response(1))),
        reactions: &[&served_rows(1), &[row(NoSizeUpdate, Fail)]],
        ..must(S)
    },
    Case {
        id: "rfc9113/4.3.1/size-update-after-mid-connection-reduction",
        description: "Lets a first response (stream 1) fill the server's dynamic table, then lowers SETTINGS_HEADER_TABLE_SIZE to 0 mid-connection and sends a GET in the same write; the response field block after the server's SETTINGS ACK must start with a dynamic table size update to 0",
        requirement: "Once an endpoint acknowledges a change to SETTINGS_HEADER_TABLE_SIZE that reduces the maximum below the current size of the dynamic table, its HPACK encoder MUST start the next field block with a Dynamic Table Size Update instruction that sets the dynamic table to a size that is less than or equal to the reduced maximum; see Section 4.2 of [COMPRESSION]. (RFC 9113 §6.5.3: the server processes our SETTINGS, and acknowledges it, before the GET that follows it, so the response's field block is the next one. Unlike rfc9113/4.3.1/size-update-after-reduced-table, which lowers the limit before any response, here the server's table holds whatever its first response inserted, so for an encoder that indexes anything the reduction is below the table's current size on any reading: what it holds, or its size of 4,096, §4.3.1 \"the dynamic table size for the HPACK decoder and encoder at both endpoints starts at 4,096 bytes\". RFC 7541 §4.2 requires the update after any change: \"This dynamic table size update MUST occur at the beginning of the first header block following the change to the dynamic table size.\" h2o, whose second block reuses entries of the first (94 octets, then 14), sends it without the update; lighttpd indexes nothing (94 octets both times) and misses it by RFC 7541 §4.2, as in the first-SETTINGS case. Our decoder holds the server to it, as §4.3.1 requires of us: \"An endpoint MUST treat a field block that follows an acknowledgment of the reduction to the maximum dynamic table size as a connection error (Section 5.4.1) of type COMPRESSION_ERROR if it does not start with a conformant Dynamic Table Size Update instruction.\")",
        tags: &["hpack"],
        script: |ctx| {
            Ok(Script::steps(
                vec![
                    send([ctx.get(1)]),
                    Step::Await(Expectation::served(1)),
                    send([frames::settings().set(SettingId::HEADER_TABLE_SIZE, 0).build(), ctx.get(3).build()]),
                ],
                response(3),
            ))
        },
        reactions: &[&served_rows(3), &[row(NoSizeUpdate, Fail)]],
        ..must(S)
    },
];
