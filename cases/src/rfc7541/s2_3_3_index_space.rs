//! RFC 7541 §2.3.3: index address space.

use super::{get_with_block, request_block};
use crate::common::*;
use h2probe_codec::hpack::Representation as R;
use h2probe_harness::case::{Case, Script};

const S: &str = "RFC 7541 §2.3.3";
const INVALID: &str = "Indices strictly greater than the sum of the lengths of both tables MUST be treated as a decoding error.";

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "rfc7541/2.3.3/indexed-past-table",
        h2spec: Some("hpack/2.3.3/1"),
        description: "Sends an indexed field with index 70 while the dynamic table is empty",
        requirement: INVALID,
        tags: &["hpack"],
        script: |ctx| Ok(Script::send([get_with_block(ctx, request_block(ctx, &[], &[R::indexed(70)]))], ce(&[E::COMPRESSION_ERROR]))),
        reactions: &[&ce_rows(E::COMPRESSION_ERROR)],
        ..must(S)
    },
    Case {
        id: "rfc7541/2.3.3/literal-name-past-table",
        h2spec: Some("hpack/2.3.3/2"),
        description: "Sends a literal field whose name index is 70 while the dynamic table is empty",
        requirement: INVALID,
        tags: &["hpack"],
        script: |ctx| {
            Ok(Script::send([get_with_block(ctx, request_block(ctx, &[], &[R::literal_indexed_name(70, "x")]))], ce(&[E::COMPRESSION_ERROR])))
        },
        reactions: &[&ce_rows(E::COMPRESSION_ERROR)],
        ..must(S)
    },
    Case {
        id: "rfc7541/2.3.3/index-after-eviction",
        description: "Inserts a field into the dynamic table (stream 1), empties the table with a size update, then references the evicted entry (stream 3)",
        requirement: INVALID,
        tags: &["hpack"],
        script: |ctx| {
            let insert = request_block(ctx, &[], &[R::literal("x-h2probe", "evicted").incremental()]);
            let mut stale = Vec::new();
            h2probe_codec::hpack::Encoder::new().encode_block(&[R::size_update(0), R::size_update(4096)], &mut stale);
            stale.extend_from_slice(&ctx.get(3).encoded_block());
            R::indexed(62).encode(&mut stale);
            Ok(Script::send([get_with_block(ctx, insert), ctx.get(3).block(stale).build()], ce(&[E::COMPRESSION_ERROR])))
        },
        reactions: &[&ce_rows(E::COMPRESSION_ERROR)],
        ..must(S)
    },
    Case {
        id: "rfc7541/2.3.3/dynamic-index-across-streams",
        description: "Inserts a field into the dynamic table with the request on stream 1, then references it by index 62 in the request on stream 3",
        requirement: "Indices between 1 and the length of the static table (inclusive) refer to elements in the static table (see Section 2.3.1). Indices strictly greater than the length of the static table refer to elements in the dynamic table (see Section 2.3.2). (RFC 9113 §4.3: one compression context per connection, shared by every stream's field blocks.)",
        tags: &["hpack"],
        script: |ctx| {
            let first = request_block(ctx, &[], &[R::literal("x-h2probe", "shared").incremental()]);
            Ok(Script::send([get_with_block(ctx, first), super::second_get(ctx, &[], &[R::indexed(62)])], response(3)))
        },
        reactions: &[&served_rows(3)],
        ..must(S)
    },
];
