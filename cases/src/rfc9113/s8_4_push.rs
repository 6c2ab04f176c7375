//! RFC 9113 §8.4: server push — a client must never push, and a server must serve a
//! client that lets it push.

use crate::common::*;
use h2probe_harness::case::{Case, Script, Setup};

const S: &str = "RFC 9113 §8.4";

pub(crate) const CASES: &[Case] = &[
    Case {
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
    },
    Case {
        id: "rfc9113/8.4/push-enabled",
        description: "Sends SETTINGS_ENABLE_PUSH = 1, then a GET of the target path; it must be served (and whatever the server pushes is judged by the passive checks of pushed streams)",
        requirement: "SETTINGS_ENABLE_PUSH (0x02): This setting can be used to enable or disable server push. … The initial value of SETTINGS_ENABLE_PUSH is 1. For a client, this value indicates that it is willing to receive PUSH_PROMISE frames. … Any value other than 0 or 1 MUST be treated as a connection error (Section 5.4.1) of type PROTOCOL_ERROR. (RFC 9113 §6.5.2. 1 is a valid value, and the initial one: every connection whose client sends no SETTINGS_ENABLE_PUSH has it, so a server must serve the request whether or not it pushes; pushing is its choice, §8.4: \"HTTP/2 allows a server to preemptively send (or \"push\") responses\". The case exists so that a server configured to push does: the promised requests and pushed responses it sends are judged by the passive checks, which see a real PUSH_PROMISE only on a connection that enabled push.)",
        tags: &["push"],
        setup: Setup::with_settings(&[(SettingId::ENABLE_PUSH, 1)]),
        script: |ctx| Ok(Script::send([ctx.get(1)], response(1))),
        reactions: &[&served_rows(1)],
        ..must(S)
    },
];
