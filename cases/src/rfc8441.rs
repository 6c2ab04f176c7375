//! RFC 8441, Bootstrapping WebSockets with HTTP/2: extended CONNECT (§4) and its use for
//! WebSockets (§5).
//!
//! Only a server that sends SETTINGS_ENABLE_CONNECT_PROTOCOL = 1 accepts `:protocol`; the
//! case for a server that does not is `rfc9113/8.5/protocol-without-enable-connect-protocol`.

use crate::common::*;
use h2probe_codec::frames::HeadersBuilder;
use h2probe_harness::case::{Case, Ctx, Script};
use h2probe_harness::expectation::{Accept, Expectation};

const S: &str = "RFC 8441 §4";
const S5: &str = "RFC 8441 §5";
const PSEUDO: &str = "On requests that contain the :protocol pseudo-header field, the :scheme and :path pseudo-header fields of the target URI (see Section 5) MUST also be included. (RFC 9113 §8.3.1: \"An HTTP request that omits mandatory pseudo-header fields is malformed (Section 8.1.1).\")";

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

/// Rows of a well-formed extended CONNECT: any answer but 400 passes (a 200 opening the
/// tunnel, or the application's 405 or 501 for a resource that is no WebSocket endpoint);
/// taking it for malformed (400, RST_STREAM(PROTOCOL_ERROR), a connection error) fails, and
/// so does never answering it (the scripted server, ignoring everything, waits for a body).
const ANSWERED_CONNECT_ROWS: &[Row] = &[
    row(RespondOpen(1, 200), Pass),
    row(Respond(1, 405), Pass),
    row(Respond(1, 501), Pass),
    row(Respond(1, 400), Fail),
    row(Reset(1, E::PROTOCOL_ERROR), Fail),
    row(GoAway(E::PROTOCOL_ERROR), Fail),
    row(Ignore, Fail),
];

const CASES: &[Case] = &[
    Case {
        id: "rfc8441/4/extended-connect-answered",
        description: "Sends a well-formed extended CONNECT (:protocol websocket) to a server that enables it; any response but 400 shows it was taken as a valid request",
        requirement: "RFC 8441 §3: \"Upon receipt of SETTINGS_ENABLE_CONNECT_PROTOCOL with a value of 1, a client MAY use the Extended CONNECT as defined in this document when creating new streams.\" §4: \"A new pseudo-header field :protocol MAY be included on request HEADERS indicating the desired protocol to be spoken on the tunnel created by CONNECT.\" (Having opted in, the server must take :protocol as defined, not as the undefined pseudo-header that makes a request malformed (RFC 9113 §8.3); RFC 2119 §5: an implementation \"MUST be prepared to interoperate with another implementation which does include the option\". The test resource need not be a WebSocket endpoint, so any final status but 400 passes: a 200 opening the tunnel, or an application's 405, 501 or 500 (hypercorn's test application does not accept WebSockets and answers 500; lighttpd answers 405). A 400 or RST_STREAM(PROTOCOL_ERROR) treats the request as malformed and fails.)",
        script: |ctx| {
            enabled(ctx)?;
            Ok(Script::send([websocket_connect(ctx, None)], Expectation::Response { stream: StreamId(1), accept: Accept::NotBadRequest, after_goaway: None }))
        },
        reactions: &[ANSWERED_CONNECT_ROWS],
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
        reactions: &[&malformed_rows(1)],
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
        reactions: &[&malformed_rows(1)],
        ..must(S)
    },
    Case {
        id: "rfc8441/5/extended-connect-with-upgrade-header",
        description: "Sends an extended CONNECT (:protocol websocket) that also carries the HTTP/1.1 handshake's connection: upgrade and upgrade: websocket, to a server that enables extended CONNECT",
        requirement: "RFC 8441 §5: \"[RFC6455] requires the use of Connection and Upgrade header fields that are not part of HTTP/2. They MUST NOT be included in the CONNECT request defined here.\" RFC 9113 §8.2.2: \"An endpoint MUST NOT generate an HTTP/2 message containing connection-specific header fields. This includes the Connection header field and those listed as having connection-specific semantics in Section 7.6.1 of [HTTP] (that is, Proxy-Connection, Keep-Alive, Transfer-Encoding, and Upgrade). Any message containing connection-specific header fields MUST be treated as malformed (Section 8.1.1).\" (The WebSocket handshake of RFC 6455 needs both fields over HTTP/1.1; over HTTP/2 the extended CONNECT replaces them, and a request that still carries them is malformed like any other: RST_STREAM(PROTOCOL_ERROR) or a 4xx. Opening the tunnel, or answering it as a valid request, fails.)",
        script: |ctx| {
            enabled(ctx)?;
            Ok(Script::send([websocket_connect(ctx, None).field("connection", "upgrade").field("upgrade", "websocket")], malformed(1)))
        },
        reactions: &[&malformed_rows(1)],
        ..must(S5)
    },
];
