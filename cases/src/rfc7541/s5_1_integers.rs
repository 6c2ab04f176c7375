//! RFC 7541 §5.1: integer representation.

use super::{get_with_block, request_block};
use crate::common::*;
use h2probe_codec::hpack::Representation as R;
use h2probe_harness::case::{Case, Script};

const S: &str = "RFC 7541 §5.1";

pub(crate) const CASES: &[Case] = &[Case {
    id: "rfc7541/5.1/integer-overflow",
    description: "Sends an indexed field whose integer has 11 continuation octets (far beyond 2^64)",
    requirement: "Integer encodings that exceed implementation limits -- in value or octet length -- MUST be treated as decoding errors. Different limits can be set for each of the different uses of integers, based on implementation constraints.",
    tags: &["hpack"],
    script: |ctx| Ok(Script::send([get_with_block(ctx, request_block(ctx, &[], &[R::indexed_overflowing()]))], ce(&[E::COMPRESSION_ERROR]))),
    ..must(S)
}];
