//! RFC 7541 §4.2: maximum table size.

use super::{get_with_block, request_block};
use crate::common::*;
use h2probe_codec::hpack::Representation as R;
use h2probe_harness::case::{Case, Script};

const S: &str = "RFC 7541 §4.2";

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "rfc7541/4.2/size-update-at-end",
        h2spec: Some("hpack/4.2/1"),
        description: "Sends a field block that ends with a dynamic table size update",
        requirement: "A change in the maximum size of the dynamic table is signaled via a dynamic table size update (see Section 6.3). This dynamic table size update MUST occur at the beginning of the first header block following the change to the dynamic table size.",
        tags: &["hpack"],
        script: |ctx| Ok(Script::send([get_with_block(ctx, request_block(ctx, &[], &[R::size_update(4096)]))], ce(&[E::COMPRESSION_ERROR]))),
        ..must(S)
    },
    Case {
        id: "rfc7541/4.2/size-update-in-middle",
        description: "Sends a field block with a dynamic table size update between two fields",
        requirement: "This dynamic table size update MUST occur at the beginning of the first header block following the change to the dynamic table size.",
        tags: &["hpack"],
        script: |ctx| {
            let mut block = Vec::new();
            let mut enc = h2probe_codec::hpack::Encoder::new();
            enc.encode_block(&[R::indexed(2), R::size_update(0)], &mut block);
            block.extend_from_slice(&ctx.get(1).without(":method").encoded_block());
            Ok(Script::send([get_with_block(ctx, block)], ce(&[E::COMPRESSION_ERROR])))
        },
        ..must(S)
    },
    Case {
        id: "rfc7541/4.2/size-update-in-later-block",
        description: "Sends a first GET, then a second whose field block (not the connection's first) starts with a dynamic table size update to 0",
        requirement: "This dynamic table size update MUST occur at the beginning of the first header block following the change to the dynamic table size. … A change in the maximum size of the dynamic table is signaled via a dynamic table size update (see Section 6.3). (An encoder may change the size at the start of any block, RFC 7541 §6.3.)",
        tags: &["hpack"],
        script: |ctx| {
            Ok(Script::send([get_with_block(ctx, request_block(ctx, &[], &[])), super::second_get(ctx, &[R::size_update(0)], &[])], response(3)))
        },
        ..must(S)
    },
];
