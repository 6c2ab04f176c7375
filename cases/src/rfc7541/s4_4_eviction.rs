//! RFC 7541 §4.4: entry eviction when adding new entries — an entry larger than the whole
//! table empties it, and that is not an error.

use super::{get_with_block, request_block, second_get, table_size};
use crate::common::*;
use h2probe_codec::hpack::Representation as R;
use h2probe_harness::case::{Case, Ctx, Script};

const S: &str = "RFC 7541 §4.4";
const OVERSIZED: &str = "If the size of the new entry is less than or equal to the maximum size, that entry is added to the table. It is not an error to attempt to add an entry that is larger than the maximum size; an attempt to add an entry larger than the maximum size causes the table to be emptied of all existing entries and results in an empty table.";

/// A literal with incremental indexing one octet larger than the whole table (its size is
/// name + value + 32, RFC 7541 §4.1).
fn oversized(ctx: &Ctx) -> R {
    let name = "x-h2probe-big";
    let value_len = (table_size(ctx) as usize + 1).saturating_sub(32 + name.len());
    R::literal(name, vec![b'a'; value_len]).incremental()
}

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "rfc7541/4.4/oversized-entry-accepted",
        description: "Sends a GET with a literal-with-incremental-indexing field one octet larger than the dynamic table",
        requirement: OVERSIZED,
        tags: &["hpack"],
        script: |ctx| {
            let block = request_block(ctx, &[R::size_update(table_size(ctx))], &[oversized(ctx)]);
            Ok(Script::send([get_with_block(ctx, block)], response(1)))
        },
        reactions: &[&served_rows(1)],
        ..must(S)
    },
    Case {
        id: "rfc7541/4.4/oversized-entry-empties-table",
        description: "Inserts a small entry, then one larger than the table (which empties it) on stream 1; stream 3 then references index 62, which no longer exists",
        requirement: "an attempt to add an entry larger than the maximum size causes the table to be emptied of all existing entries and results in an empty table. (RFC 7541 §2.3.3: indices strictly greater than the sum of the lengths of both tables MUST be treated as a decoding error.)",
        tags: &["hpack"],
        script: |ctx| {
            let first = request_block(ctx, &[R::size_update(table_size(ctx))], &[R::literal("x-h2probe", "small").incremental(), oversized(ctx)]);
            Ok(Script::send([get_with_block(ctx, first), second_get(ctx, &[], &[R::indexed(62)])], ce(&[E::COMPRESSION_ERROR])))
        },
        reactions: &[&ce_rows(E::COMPRESSION_ERROR)],
        ..must(S)
    },
];
