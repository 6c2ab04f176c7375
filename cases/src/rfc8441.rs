//! RFC 8441, Bootstrapping WebSockets with HTTP/2: extended CONNECT (§4).
//!
//! Only a server that sends SETTINGS_ENABLE_CONNECT_PROTOCOL = 1 accepts `:protocol`; the
//! case for a server that does not is `rfc9113/8.5/protocol-without-enable-connect-protocol`.

use crate::common::*;
use h2probe_codec::frames::HeadersBuilder;
use h2probe_harness::case::{Case, Ctx, Script};

const S: &str = "RFC 8441 §4";
const PSEUDO: &str = "On requests that contain the :protocol pseudo-header field, the :scheme and :path pseudo-header fields of the target URI (see Section 5) MUST also be included. (RFC 9113 §8.3.1: a request that omits mandatory pseudo-header fields is malformed, §8.1.1.)";

fn enabled(ctx: &Ctx) -> Result<(), String> {
    match ctx.server.get(SettingId::ENABLE_CONNECT_PROTOCOL) {
        Some(1) => Ok(()),
        _ => Err("the server does not send SETTINGS_ENABLE_CONNECT_PROTOCOL = 1, so it does not offer extended CONNECT".into()),
    }
}

/// An extended CONNECT for a WebSocket (RFC 8441 §5), without `leave_out`.
fn websocket_connect(ctx: &Ctx, leave_out: Option<&str>) -> HeadersBuilder {
    let mut req = frames::headers(1)
        .field(":method", "CONNECT")
        .field(":protocol", "websocket")
        .field(":scheme", ctx.scheme)
        .field(":path", ctx.path.clone())
        .field(":authority", ctx.authority.clone())
        .field("sec-websocket-version", "13");
    if let Some(name) = leave_out {
        req = req.without(name);
    }
    req
}

/// The RFC 8441 cases.
pub fn cases() -> Vec<Case> {
    CASES.to_vec()
}

const CASES: &[Case] = &[
    Case {
        id: "rfc8441/4/extended-connect-answered",
        description: "Sends a well-formed extended CONNECT (:protocol websocket) to a server that enables it; any response shows it was processed",
        requirement: "A new pseudo-header field :protocol MAY be included on request HEADERS indicating the desired protocol to be spoken on the tunnel created by CONNECT. … Using a SETTINGS parameter to opt in to an otherwise incompatible protocol change is a use of \"Extending HTTP/2\" defined by Section 5.5 of [RFC7540].",
        script: |ctx| {
            enabled(ctx)?;
            Ok(Script::send([websocket_connect(ctx, None)], response(1)))
        },
        ..must(S)
    },
    Case {
        id: "rfc8441/4/extended-connect-without-path",
        description: "Sends an extended CONNECT (:protocol websocket) without :path",
        requirement: PSEUDO,
        script: |ctx| {
            enabled(ctx)?;
            Ok(Script::send([websocket_connect(ctx, Some(":path"))], malformed(1)))
        },
        ..must(S)
    },
    Case {
        id: "rfc8441/4/extended-connect-without-scheme",
        description: "Sends an extended CONNECT (:protocol websocket) without :scheme",
        requirement: PSEUDO,
        script: |ctx| {
            enabled(ctx)?;
            Ok(Script::send([websocket_connect(ctx, Some(":scheme"))], malformed(1)))
        },
        ..must(S)
    },
];
