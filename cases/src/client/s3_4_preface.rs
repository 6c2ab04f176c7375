//! RFC 9113 §3.4: the server's connection preface, as a client must check it.

use super::*;
use h2probe_harness::case::Script;

const S: &str = "RFC 9113 §3.4";

/// Rows of an invalid preface: GOAWAY(PROTOCOL_ERROR) passes, a close without it is the
/// alternative §3.4 allows; ignoring it fails.
const PREFACE_ROWS: &[Row] = &[
    row(GoAway(E::PROTOCOL_ERROR), Pass),
    row(Close, Alternative),
    row(GiveUp, Alternative),
    row(Ignore, Fail),
    row(GoAway(E::NO_ERROR), Fail),
    row(Hang, Fail),
];

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "client/rfc9113/3.4/server-preface-not-settings",
        description: "Sends a PING as the server's first frame, before its SETTINGS",
        requirement: "The server connection preface consists of a potentially empty SETTINGS frame (Section 6.5) that MUST be the first frame the server sends in the HTTP/2 connection. Clients and servers MUST treat an invalid connection preface as a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
        setup: OWN_SETTINGS,
        script: |_| Ok(Script::send([frames::ping(*b"notfirst").build(), frames::settings().build()], Expectation::PrefaceRejected)),
        reactions: &[PREFACE_ROWS],
        ..client(S)
    },
    Case {
        id: "client/rfc9113/3.4/server-preface-window-update-first",
        description: "Sends a WINDOW_UPDATE on the connection as the server's first frame",
        requirement: "The server connection preface consists of a potentially empty SETTINGS frame (Section 6.5) that MUST be the first frame the server sends in the HTTP/2 connection. Clients and servers MUST treat an invalid connection preface as a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
        setup: OWN_SETTINGS,
        script: |_| Ok(Script::send([frames::window_update(0, 1), frames::settings().build()], Expectation::PrefaceRejected)),
        reactions: &[PREFACE_ROWS],
        ..client(S)
    },
    Case {
        id: "client/rfc9113/3.4/empty-server-settings",
        description: "Sends an empty SETTINGS frame as the server preface, then answers the request",
        requirement: "The server connection preface consists of a potentially empty SETTINGS frame (Section 6.5) that MUST be the first frame the server sends in the HTTP/2 connection.",
        // The handshake with no parameters of ours: our SETTINGS frame is empty, and the
        // client's request (on whatever stream it opens) is known before we answer.
        setup: Setup::STANDARD.without_defaults(),
        script: |ctx| Ok(Script::send(ctx.respond(ctx.stream()), accepted(ctx.stream()))),
        reactions: &[ACCEPTED_ROWS],
        ..client(S)
    },
];
