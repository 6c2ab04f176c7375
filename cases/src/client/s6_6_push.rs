//! RFC 9113 §6.6 and §8.4: PUSH_PROMISE toward a client.

use super::*;
use h2probe_harness::case::{Ctx, Script};

const S: &str = "RFC 9113 §6.6";

/// A promise's field block: a GET of `path` on our authority.
fn promise(ctx: &Ctx, stream: u32, promised: u32, path: &str) -> h2probe_codec::frame::Frame {
    frames::push_promise(stream, promised)
        .block(frames::headers(promised).request("GET", path).scheme(ctx.scheme).authority(&ctx.authority).encoded_block())
        .build()
}

fn push_disabled(ctx: &Ctx) -> Result<(), String> {
    match ctx.server.params.get(&SettingId::ENABLE_PUSH) {
        Some(0) => Ok(()),
        _ => Err("the client did not send SETTINGS_ENABLE_PUSH=0 (push stays enabled)".into()),
    }
}

fn push_enabled(ctx: &Ctx) -> Result<(), String> {
    match ctx.server.get(SettingId::ENABLE_PUSH) {
        Some(0) => Err("the client disabled push (SETTINGS_ENABLE_PUSH=0)".into()),
        _ => Ok(()),
    }
}

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "client/rfc9113/6.6/push-when-disabled",
        description: "Sends a PUSH_PROMISE although the client sent SETTINGS_ENABLE_PUSH=0 (and we acknowledged it)",
        requirement: "PUSH_PROMISE MUST NOT be sent if the SETTINGS_ENABLE_PUSH setting of the peer endpoint is set to 0. An endpoint that has set this setting and has received acknowledgment MUST treat the receipt of a PUSH_PROMISE frame as a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
        script: |ctx| {
            push_disabled(ctx)?;
            let s = ctx.stream();
            Ok(Script::send([promise(ctx, s, 2, "/pushed")], ce(&[E::PROTOCOL_ERROR])))
        },
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..client(S)
    },
    Case {
        id: "client/rfc9113/6.6/push-odd-promised-id",
        description: "Sends a PUSH_PROMISE promising an odd (client) stream id, to a client that allows push",
        requirement: "The promised stream identifier MUST be a valid choice for the next stream sent by the sender (see \"new stream identifier\" in Section 5.1.1). A receiver MUST treat the receipt of a PUSH_PROMISE that promises an illegal stream identifier (Section 5.1.1) as a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
        script: |ctx| {
            push_enabled(ctx)?;
            let s = ctx.stream();
            Ok(Script::send([promise(ctx, s, s + 2, "/pushed")], ce(&[E::PROTOCOL_ERROR])))
        },
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..client(S)
    },
    Case {
        id: "client/rfc9113/6.6/push-on-stream-zero",
        description: "Sends a PUSH_PROMISE on stream 0, to a client that allows push",
        requirement: "If the Stream Identifier field specifies the value 0x00, a recipient MUST respond with a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
        script: |ctx| {
            push_enabled(ctx)?;
            Ok(Script::send([promise(ctx, 0, 2, "/pushed")], ce(&[E::PROTOCOL_ERROR])))
        },
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..client(S)
    },
    Case {
        id: "client/rfc9113/6.6/push-accepted",
        description: "Pushes a response on stream 2 before answering, to a client that allows push",
        requirement: "Server push is semantically equivalent to a server responding to a request; however, in this case, that request is also sent by the server, as a PUSH_PROMISE frame. (A client that allows push must not fail the request it made because of a valid push.)",
        script: |ctx| {
            push_enabled(ctx)?;
            let s = ctx.stream();
            let mut f = vec![promise(ctx, s, 2, "/pushed").into()];
            f.extend(ctx.respond(2));
            f.extend(ctx.respond(s));
            Ok(Script::send(f, accepted(s)))
        },
        reactions: &[ACCEPTED_ROWS],
        ..client("RFC 9113 §8.4")
    },
];
