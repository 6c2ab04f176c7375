//! RFC 9113 §8.4: server push — a client must never push.

use crate::common::*;
use h2probe_harness::case::{Case, Script};

const S: &str = "RFC 9113 §8.4";

pub(crate) const CASES: &[Case] = &[Case {
    id: "rfc9113/8.4/push-promise-from-client",
    h2spec: Some("http2/8.2/1"),
    description: "Opens stream 1 with a POST (content-length: 4, body not yet sent) and sends a PUSH_PROMISE on it",
    requirement: "A client cannot push. Thus, servers MUST treat the receipt of a PUSH_PROMISE frame as a connection error (Section 5.4.1) of type PROTOCOL_ERROR. (GOAWAY(INTERNAL_ERROR) is taken leniently: both are generic codes, RFC 9113 §5.4.)",
    script: |ctx| {
        let block = ctx.get(3).encoded_block();
        Ok(Script::send([ctx.post_sized(1, 4).build(), frames::push_promise(1, 2).block(block).build()], ce(&[E::PROTOCOL_ERROR])))
    },
    reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
    ..must(S)
}];
