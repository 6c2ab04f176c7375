//! RFC 7541 §5.1: integer representation.

use super::{get_with_block, request_block};
use crate::common::*;
use h2probe_codec::hpack::Representation as R;
use h2probe_harness::case::{Case, Script};

const S: &str = "RFC 7541 §5.1";
const INTEGER_LIMITS: &str = "Integer encodings that exceed implementation limits -- in value or octet length -- MUST be treated as decoding errors. Different limits can be set for each of the different uses of integers, based on implementation constraints.";

pub(crate) const CASES: &[Case] = &[
Case {
    id: "rfc7541/5.1/integer-overflow",
    description: "Sends an indexed field whose integer has 11 continuation octets (far beyond 2^64)",
    requirement: INTEGER_LIMITS,
    tags: &["hpack"],
    script: |ctx| Ok(Script::send([get_with_block(ctx, request_block(ctx, &[], &[R::indexed_overflowing()]))], ce(&[E::COMPRESSION_ERROR]))),
    reactions: &[&ce_rows(E::COMPRESSION_ERROR)],
    ..must(S)
},
Case {
    id: "rfc7541/5.1/string-length-overflow",
    description: "Sends a literal field whose name length integer has 11 continuation octets (far beyond 2^64)",
    requirement: INTEGER_LIMITS,
    tags: &["hpack"],
    script: |ctx| {
        let overflowing = [0x00, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
        Ok(Script::send([get_with_block(ctx, request_block(ctx, &[], &[R::raw(overflowing)]))], ce(&[E::COMPRESSION_ERROR])))
    },
    reactions: &[&ce_rows(E::COMPRESSION_ERROR)],
    ..must(S)
},
Case {
    id: "rfc7541/5.1/size-update-overflow",
    description: "Starts a field block with a dynamic table size update whose integer has 11 continuation octets",
    requirement: INTEGER_LIMITS,
    tags: &["hpack"],
    script: |ctx| {
        let overflowing = [0x3f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
        Ok(Script::send([get_with_block(ctx, request_block(ctx, &[R::raw(overflowing)], &[]))], ce(&[E::COMPRESSION_ERROR])))
    },
    reactions: &[&ce_rows(E::COMPRESSION_ERROR)],
    ..must(S)
},
];
