//! RFC 9113 §4.3.1: compression state — the table size the decoder allows.

use crate::common::*;
use h2probe_harness::case::{Case, Script, Setup};

const S: &str = "RFC 9113 §4.3.1";

pub(crate) const CASES: &[Case] = &[Case {
    id: "rfc9113/4.3.1/size-update-after-reduced-table",
    description: "Lowers SETTINGS_HEADER_TABLE_SIZE to 0 in the first SETTINGS; the server's first response field block must start with a dynamic table size update",
    requirement: "When a connection is established, the dynamic table size for the HPACK decoder and encoder at both endpoints starts at 4,096 bytes, the initial value of the SETTINGS_HEADER_TABLE_SIZE setting. … Once an endpoint acknowledges a change to SETTINGS_HEADER_TABLE_SIZE that reduces the maximum below the current size of the dynamic table, its HPACK encoder MUST start the next field block with a Dynamic Table Size Update instruction that sets the dynamic table to a size that is less than or equal to the reduced maximum; see Section 4.2 of [COMPRESSION]. (RFC 7541 §4.2: \"This dynamic table size update MUST occur at the beginning of the first header block following the change to the dynamic table size.\" Our decoder holds the server to it, as §4.3.1 requires of us: \"An endpoint MUST treat a field block that follows an acknowledgment of the reduction to the maximum dynamic table size as a connection error (Section 5.4.1) of type COMPRESSION_ERROR if it does not start with a conformant Dynamic Table Size Update instruction.\")",
    tags: &["hpack"],
    setup: Setup::with_settings(&[(SettingId::HEADER_TABLE_SIZE, 0)]),
    script: |ctx| Ok(Script::send([ctx.get(1)], response(1))),
    reactions: &[&served_rows(1), &[row(NoSizeUpdate, Fail)]],
    ..must(S)
}];
