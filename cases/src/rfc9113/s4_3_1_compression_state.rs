//! RFC 9113 §4.3.1: compression state — the table size the decoder allows.

use crate::common::*;
use h2probe_harness::case::{Case, Script, Setup};

const S: &str = "RFC 9113 §4.3.1";

pub(crate) const CASES: &[Case] = &[Case {
    id: "rfc9113/4.3.1/size-update-after-reduced-table",
    description: "Lowers SETTINGS_HEADER_TABLE_SIZE to 0 in the first SETTINGS; the server's first response field block must start with a dynamic table size update",
    requirement: "RFC 7541 §4.2: A change in the maximum size of the dynamic table is signaled via a dynamic table size update (see Section 6.3). This dynamic table size update MUST occur at the beginning of the first header block following the change to the dynamic table size. In HTTP/2, this follows a settings acknowledgment (see Section 6.5.3 of [HTTP2]).",
    tags: &["hpack"],
    setup: Setup::with_settings(&[(SettingId::HEADER_TABLE_SIZE, 0)]),
    script: |ctx| Ok(Script::send([ctx.get(1)], response(1))),
    ..must(S)
}];
