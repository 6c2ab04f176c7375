//! RFC 9113 §5.3: prioritization. RFC 9113 §5.3.2 deprecates the RFC 7540 scheme, and its
//! rule that "a stream cannot depend on itself" (RFC 7540 §5.3.1, PROTOCOL_ERROR) is gone,
//! so those two h2spec cases run only under the `rfc7540` tag.

use crate::common::*;
use h2probe_harness::case::{Case, Script};

const S: &str = "RFC 9113 §5.3";
const SELF_DEP: &str = "RFC 7540 §5.3.1: A stream cannot depend on itself. An endpoint MUST treat this as a stream error (Section 5.4.2) of type PROTOCOL_ERROR. (Removed by RFC 9113, which deprecates RFC 7540 priority signals.)";

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "rfc9113/5.3/headers-self-dependency",
        h2spec: Some("http2/5.3.1/1"),
        description: "Sends HEADERS on stream 1 whose priority depends on stream 1",
        requirement: SELF_DEP,
        tags: &["rfc7540"],
        script: |ctx| Ok(Script::send([ctx.get(1).priority(1, 15, false)], se(1, &[E::PROTOCOL_ERROR]))),
        reactions: &[&se_rows(1, E::PROTOCOL_ERROR)],
        ..must(S)
    },
    Case {
        id: "rfc9113/5.3/priority-self-dependency",
        h2spec: Some("http2/5.3.1/2"),
        description: "Sends PRIORITY on stream 1 depending on stream 1",
        requirement: SELF_DEP,
        tags: &["rfc7540"],
        script: |_| Ok(Script::send([frames::priority(1, 1, 15)], se(1, &[E::PROTOCOL_ERROR]))),
        reactions: &[&se_rows(1, E::PROTOCOL_ERROR)],
        ..must(S)
    },
    Case {
        id: "rfc9113/5.3/headers-priority-ignored",
        h2spec: Some("generic/3.2/3"),
        description: "Sends a GET whose HEADERS carries RFC 7540 priority fields; the request must be served",
        requirement: "RFC 9113 §6.2: PRIORITY (0x20): When set, the PRIORITY flag indicates that the Exclusive, Stream Dependency, and Weight fields are present. (The signal is deprecated by §5.3.2, not forbidden: the request must be served.)",
        script: |ctx| Ok(Script::send([ctx.get(1).priority(0, 255, false)], response(1))),
        reactions: &[&served_rows(1)],
        ..must(S)
    },
];
