//! RFC 7541 §2.3.2: the dynamic table — entries in insertion order, duplicates allowed.

use super::{get_with_block, request_block, second_get};
use crate::common::*;
use h2probe_codec::hpack::Representation as R;
use h2probe_harness::case::{Case, Script};

const S: &str = "RFC 7541 §2.3.2";

pub(crate) const CASES: &[Case] = &[Case {
    id: "rfc7541/2.3.2/duplicate-entries-accepted",
    description: "Inserts x-h2probe-dup: same twice into the dynamic table with the request on stream 1, then references both copies (indices 62 and 63) in the request on stream 3; both must be served",
    requirement: "The dynamic table can contain duplicate entries (i.e., entries with the same name and same value). Therefore, duplicate entries MUST NOT be treated as an error by a decoder. (The second request carries the field twice, which HTTP allows for a repeated field line; a decoder that refused the duplicate insertion fails the first request or, having dropped one copy, has no entry 63 for the second: a COMPRESSION_ERROR.)",
    tags: &["hpack"],
    script: |ctx| {
        let dup = || R::literal("x-h2probe-dup", "same").incremental();
        let first = request_block(ctx, &[], &[dup(), dup()]);
        Ok(Script::send([get_with_block(ctx, first), second_get(ctx, &[], &[R::indexed(62), R::indexed(63)])], response(3)))
    },
    reactions: &[&served_rows(3), &[row(GoAway(E::COMPRESSION_ERROR), Fail)]],
    ..must(S)
}];
