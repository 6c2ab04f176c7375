//! RFC 7541 §4.2: maximum table size.

use super::{get_with_block, request_block};
use crate::common::*;
use h2probe_codec::hpack::Representation as R;
use h2probe_harness::case::{Case, Script};

const S: &str = "RFC 7541 §4.2";

/// A dynamic table size update that is not at the start of its field block. RFC 7541's
/// MUST binds the encoder; no sentence makes the misplacement a decoding error. One rule
/// for both positions, at SHOULD level.
const MISPLACED: &str = "A change in the maximum size of the dynamic table is signaled via a dynamic table size update (see Section 6.3). This dynamic table size update MUST occur at the beginning of the first header block following the change to the dynamic table size. (SHOULD level: the MUST binds the encoder. RFC 7541 names the decoding errors a decoder MUST detect, indices past the tables (§2.3.3), integers beyond its limits (§5.1), bad Huffman padding or EOS (§5.2), a size above the protocol's limit (§6.3), and a misplaced size update is not among them; RFC 9113 §4.3.1 makes only a missing update after a reduced SETTINGS_HEADER_TABLE_SIZE a COMPRESSION_ERROR. Rejecting the block as COMPRESSION_ERROR is the strict reading, h2spec's (hpack/4.2/1): nghttp2, h2o, HAProxy, lighttpd, hyper and hypercorn reject an update at the end of a block. Go's decoder (Caddy) accepts an update after fields while its dynamic table is empty, on purpose; nginx accepts it anywhere; h2o and lighttpd accept one between fields. h2spec issue #78 (\"Test case HPACK/4.2 is wrong\") records the disagreement.)";

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "rfc7541/4.2/size-update-at-end",
        h2spec: Some("hpack/4.2/1"),
        description: "Sends a field block that ends with a dynamic table size update",
        requirement: MISPLACED,
        tags: &["hpack"],
        script: |ctx| Ok(Script::send([get_with_block(ctx, request_block(ctx, &[], &[R::size_update(4096)]))], ce(&[E::COMPRESSION_ERROR]))),
        reactions: &[&ce_rows(E::COMPRESSION_ERROR)],
        ..should(S)
    },
    Case {
        id: "rfc7541/4.2/size-update-in-middle",
        description: "Sends a field block with a dynamic table size update between two fields",
        requirement: MISPLACED,
        tags: &["hpack"],
        script: |ctx| {
            let mut block = Vec::new();
            let mut enc = h2probe_codec::hpack::Encoder::new();
            enc.encode_block(&[R::indexed(2), R::size_update(0)], &mut block);
            block.extend_from_slice(&ctx.get(1).without(":method").encoded_block());
            Ok(Script::send([get_with_block(ctx, block)], ce(&[E::COMPRESSION_ERROR])))
        },
        reactions: &[&ce_rows(E::COMPRESSION_ERROR)],
        ..should(S)
    },
    Case {
        id: "rfc7541/4.2/size-update-in-later-block",
        description: "Sends a first GET, then a second whose field block (not the connection's first) starts with a dynamic table size update to 0",
        requirement: "This dynamic table size update MUST occur at the beginning of the first header block following the change to the dynamic table size. … A change in the maximum size of the dynamic table is signaled via a dynamic table size update (see Section 6.3). (An encoder may change the size at the start of any block, RFC 7541 §6.3.)",
        tags: &["hpack"],
        script: |ctx| {
            Ok(Script::send([get_with_block(ctx, request_block(ctx, &[], &[])), super::second_get(ctx, &[R::size_update(0)], &[])], response(3)))
        },
        reactions: &[&served_rows(3)],
        ..must(S)
    },
];
