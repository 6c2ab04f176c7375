//! RFC 9113 §7: error codes.

use crate::common::*;
use h2probe_harness::case::{Case, Script};

const S: &str = "RFC 9113 §7";

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "rfc9113/7/goaway-unknown-code",
        h2spec: Some("http2/7/1"),
        description: "Sends a GET, then GOAWAY with unknown error code 0xff; the GET must still be answered, or the connection closed gracefully",
        requirement: "Unknown or unsupported error codes MUST NOT trigger any special behavior. These MAY be treated by an implementation as being equivalent to INTERNAL_ERROR. (So the GOAWAY is handled as any GOAWAY: the stream the client opened before it still finishes, or the connection closes gracefully. A server that closes with an error GOAWAY of its own has taken the code for INTERNAL_ERROR, which §7 allows: lenient; lighttpd answers every non-NO_ERROR GOAWAY with GOAWAY(PROTOCOL_ERROR). No PING follows the GOAWAY, so a server that rejects frames after any GOAWAY fails rfc9113/6.8/ping-after-goaway, not this.)",
        script: |ctx| Ok(Script::send([ctx.get(1).build(), frames::goaway(0, E(0xff)).build()], response(1).after_our_goaway(E(0xff)))),
        reactions: &[&[
            row(Ignore, Pass),
            row(GoAway(E::NO_ERROR), Alternative),
            row(Close, Alternative),
            // Our unknown code taken for INTERNAL_ERROR (§7 allows it), answered with an error
            // GOAWAY of the server's own: an open reading.
            row(GoAway(E::PROTOCOL_ERROR), Lenient),
            row(GoAway(E::INTERNAL_ERROR), Lenient),
            row(Reset(1, E::PROTOCOL_ERROR), Fail),
            row(Reset(1, E::INTERNAL_ERROR), Fail),
            row(Respond(1, 400), Fail),
            row(Drop, Fail),
        ]],
        ..must(S)
    },
    Case {
        id: "rfc9113/7/rst-stream-unknown-code",
        h2spec: Some("http2/7/2"),
        description: "Opens a stream and resets it with unknown error code 0xff",
        requirement: "Unknown or unsupported error codes MUST NOT trigger any special behavior. These MAY be treated by an implementation as being equivalent to INTERNAL_ERROR. (So the RST_STREAM closes the stream as any RST_STREAM does, and the connection carries on. §5.4.2: \"To avoid looping, an endpoint MUST NOT send a RST_STREAM in response to a RST_STREAM frame.\")",
        script: |ctx| Ok(Script::send([ctx.post_sized(1, 4).build(), frames::rst_stream(1, E(0xff))], IGNORED)),
        reactions: &[IGNORED_ROWS, &[row(Reset(1, E::STREAM_CLOSED), Fail), row(Reset(1, E::NO_ERROR), Fail), row(GoAway(E::INTERNAL_ERROR), Fail)]],
        ..must(S)
    },
];
