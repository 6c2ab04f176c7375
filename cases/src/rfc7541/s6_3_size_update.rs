//! RFC 7541 §6.3: dynamic table size update.

use super::{get_with_block, request_block};
use crate::common::*;
use h2probe_codec::hpack::Representation as R;
use h2probe_harness::case::{Case, Script};

const S: &str = "RFC 7541 §6.3";

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "rfc7541/6.3/above-settings-limit",
        h2spec: Some("hpack/6.3/1"),
        description: "Starts a field block with a size update one octet above the server's SETTINGS_HEADER_TABLE_SIZE",
        requirement: "The new maximum size MUST be lower than or equal to the limit determined by the protocol using HPACK. A value that exceeds this limit MUST be treated as a decoding error.",
        tags: &["hpack"],
        script: |ctx| {
            let limit = ctx.server.get(SettingId::HEADER_TABLE_SIZE).unwrap_or(4096) as u64;
            Ok(Script::send([get_with_block(ctx, request_block(ctx, &[R::size_update(limit + 1)], &[]))], ce(&[E::COMPRESSION_ERROR])))
        },
        reactions: &[&ce_rows(E::COMPRESSION_ERROR)],
        ..must(S)
    },
    Case {
        id: "rfc7541/6.3/accepts-size-update",
        h2spec: Some("generic/5/14"),
        description: "Starts a field block with a dynamic table size update to 0",
        requirement: "A dynamic table size update signals a change to the size of the dynamic table.",
        tags: &["hpack"],
        script: |ctx| Ok(Script::send([get_with_block(ctx, request_block(ctx, &[R::size_update(0)], &[]))], response(1))),
        reactions: &[&served_rows(1)],
        ..must(S)
    },
    Case {
        id: "rfc7541/6.3/accepts-multiple-size-updates",
        h2spec: Some("generic/5/15"),
        description: "Starts a field block with two dynamic table size updates (0, then the limit)",
        requirement: "RFC 7541 §4.2: Multiple updates to the maximum table size can occur between the transmission of two header blocks. In the case that this size is changed more than once in this interval, the smallest maximum table size that occurs in that interval MUST be signaled in a dynamic table size update.",
        tags: &["hpack"],
        script: |ctx| {
            let limit = ctx.server.get(SettingId::HEADER_TABLE_SIZE).unwrap_or(4096) as u64;
            Ok(Script::send([get_with_block(ctx, request_block(ctx, &[R::size_update(0), R::size_update(limit)], &[]))], response(1)))
        },
        reactions: &[&served_rows(1)],
        ..must(S)
    },
];
