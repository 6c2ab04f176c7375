//! RFC 9113 §8.2: HTTP fields — field validity (§8.2.1) and connection-specific fields (§8.2.2).

use crate::common::*;
use h2probe_harness::case::{Case, Script};

const S1: &str = "RFC 9113 §8.2.1";
const S2: &str = "RFC 9113 §8.2.2";
const NAME_CHARS: &str = "A field name MUST NOT contain characters in the ranges 0x00-0x20, 0x41-0x5a, or 0x7f-0xff (all ranges inclusive). This specifically excludes all non-visible ASCII characters, ASCII SP (0x20), and uppercase characters ('A' to 'Z', ASCII 0x41 to 0x5a). … A request or response containing a field that violates any of these conditions MUST be treated as malformed (Section 8.1.1).";
const CONNECTION_SPECIFIC: &str = "An endpoint MUST NOT generate an HTTP/2 message containing connection-specific header fields. This includes the Connection header field and those listed as having connection-specific semantics in Section 7.6.1 of [HTTP] (that is, Proxy-Connection, Keep-Alive, Transfer-Encoding, and Upgrade). Any message containing connection-specific header fields MUST be treated as malformed (Section 8.1.1).";

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "rfc9113/8.2.1/uppercase-field-name",
        h2spec: Some("http2/8.1.2/1"),
        description: "Sends a GET with the field name X-TEST in uppercase",
        requirement: NAME_CHARS,
        script: |ctx| Ok(Script::send([ctx.get(1).field("X-TEST", "ok")], malformed(1))),
        ..must(S1)
    },
    Case {
        id: "rfc9113/8.2.2/connection-header",
        h2spec: Some("http2/8.1.2.2/1"),
        description: "Sends a GET with connection: keep-alive",
        requirement: CONNECTION_SPECIFIC,
        script: |ctx| Ok(Script::send([ctx.get(1).field("connection", "keep-alive")], malformed(1))),
        ..must(S2)
    },
    Case {
        id: "rfc9113/8.2.2/te-not-trailers",
        h2spec: Some("http2/8.1.2.2/2"),
        description: "Sends a GET with te: trailers, deflate",
        requirement: "The only exception to this is the TE header field, which MAY be present in an HTTP/2 request; when it is, it MUST NOT contain any value other than \"trailers\".",
        script: |ctx| Ok(Script::send([ctx.get(1).field("te", "trailers, deflate")], malformed(1))),
        ..must(S2)
    },
];
