//! RFC 9113 §8.4: server push — a client must never push.

use crate::common::*;
use h2probe_harness::case::{Case, Script};

const S: &str = "RFC 9113 §8.4";

pub(crate) const CASES: &[Case] = &[Case {
    id: "rfc9113/8.4/push-promise-from-client",
    h2spec: Some("http2/8.2/1"),
    description: "Opens stream 1 and sends a PUSH_PROMISE on it",
    requirement: "A client cannot push. Thus, servers MUST treat the receipt of a PUSH_PROMISE frame as a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
    script: |ctx| {
        let block = ctx.get(3).encoded_block();
        Ok(Script::send([ctx.post(1).build(), frames::push_promise(1, 2).block(block).build()], ce(&[E::PROTOCOL_ERROR])))
    },
    ..must(S)
}];
