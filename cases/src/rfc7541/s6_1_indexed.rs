//! RFC 7541 §6.1: indexed header field representation.

use super::{get_with_block, request_block};
use crate::common::*;
use h2probe_codec::hpack::Representation as R;
use h2probe_harness::case::{Case, Script};

const S: &str = "RFC 7541 §6.1";

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "rfc7541/6.1/index-zero",
        h2spec: Some("hpack/6.1/1"),
        description: "Sends an indexed field with index 0",
        requirement: "The index value of 0 is not used. It MUST be treated as a decoding error if found in an indexed header field representation.",
        tags: &["hpack"],
        script: |ctx| Ok(Script::send([get_with_block(ctx, request_block(ctx, &[], &[R::indexed(0)]))], ce(&[E::COMPRESSION_ERROR]))),
        reactions: &[&ce_rows(E::COMPRESSION_ERROR)],
        ..must(S)
    },
    Case {
        id: "rfc7541/6.1/accepts-indexed",
        h2spec: Some("generic/5/1"),
        description: "Sends a request whose accept-encoding field is the indexed static entry 16 (gzip, deflate)",
        requirement: "An indexed header field representation identifies an entry in either the static table or the dynamic table (see Section 2.3).",
        tags: &["hpack"],
        script: |ctx| Ok(Script::send([get_with_block(ctx, request_block(ctx, &[], &[R::indexed(16)]))], response(1))),
        reactions: &[&served_rows(1)],
        ..must(S)
    },
    Case {
        id: "rfc7541/6.1/last-static-index",
        description: "Sends a request that also carries the indexed field 61 (www-authenticate with an empty value), the last static table entry",
        requirement: "An indexed header field representation identifies an entry in either the static table or the dynamic table (see Section 2.3). (The static table has 61 entries, Appendix A; index 61 is valid with an empty dynamic table.)",
        tags: &["hpack"],
        script: |ctx| Ok(Script::send([get_with_block(ctx, request_block(ctx, &[], &[R::indexed(61)]))], response(1))),
        reactions: &[&served_rows(1)],
        ..must(S)
    },
];
