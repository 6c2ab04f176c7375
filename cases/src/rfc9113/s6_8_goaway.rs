//! RFC 9113 §6.8: GOAWAY.

use crate::common::*;
use h2probe_harness::case::{Case, Script};
use h2probe_harness::expectation::Expectation;

const S: &str = "RFC 9113 §6.8";

/// After our GOAWAY(NO_ERROR): doing what was asked passes; a graceful close instead is an
/// alternative (§5.4.1: "An endpoint can end a connection at any time"); treating our
/// GOAWAY as an error, resetting the client's stream or losing the frames fails.
const AFTER_OUR_GOAWAY: &[Row] = &[
    row(Ignore, Pass),
    row(GoAway(E::NO_ERROR), Alternative),
    row(Close, Alternative),
    row(GoAway(E::PROTOCOL_ERROR), Fail),
    row(GoAway(E::INTERNAL_ERROR), Fail),
    row(Drop, Fail),
];

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "rfc9113/6.8/nonzero-stream",
        h2spec: Some("http2/6.8/1"),
        description: "Sends a GOAWAY frame on stream 1",
        requirement: "An endpoint MUST treat a GOAWAY frame with a stream identifier other than 0x00 as a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
        script: |_| Ok(Script::send([frames::raw(FrameType::GOAWAY).stream(1).payload([0, 0, 0, 0, 0, 0, 0, 0])], ce(&[E::PROTOCOL_ERROR]))),
        // A server that takes the frame for a valid GOAWAY shuts down gracefully: GOAWAY(NO_ERROR)
        // and a close report no error at all, which is not the connection error required.
        reactions: &[&ce_rows(E::PROTOCOL_ERROR), &[row(GoAway(E::NO_ERROR), Fail)]],
        ..must(S)
    },
    Case {
        id: "rfc9113/6.8/accepts-goaway",
        h2spec: Some("generic/3.8/1"),
        description: "Sends a GET, then GOAWAY(NO_ERROR); the GET must still be answered, or the connection closed gracefully",
        requirement: "The GOAWAY frame (type=0x07) is used to initiate shutdown of a connection or to signal serious error conditions. GOAWAY allows an endpoint to gracefully stop accepting new streams while still finishing processing of previously established streams. (Our GOAWAY's last stream identifier, 0, concerns the server's own streams; the GET on stream 1 is the client's. The check does not send a PING after the GOAWAY: see rfc9113/6.8/ping-after-goaway.)",
        script: |ctx| Ok(Script::send([ctx.get(1).build(), frames::goaway(0, E::NO_ERROR).build()], response(1).after_our_goaway(E::NO_ERROR))),
        reactions: &[AFTER_OUR_GOAWAY, &[row(Reset(1, E::PROTOCOL_ERROR), Fail), row(Respond(1, 400), Fail)]],
        ..must(S)
    },
    Case {
        id: "rfc9113/6.8/ping-after-goaway",
        description: "Sends GOAWAY(NO_ERROR), then a PING; the PING must be answered, or the connection closed gracefully",
        requirement: "GOAWAY allows an endpoint to gracefully stop accepting new streams while still finishing processing of previously established streams. … An endpoint can end a connection at any time (§5.4.1). (No MUST covers frames on stream 0 after a GOAWAY: a PING is still a valid frame, and answering it with GOAWAY(PROTOCOL_ERROR) reports an error the client did not make, so this is an interoperability check at SHOULD level. python-h2 (hypercorn) rejects every frame after a received GOAWAY.)",
        tags: &["interop"],
        script: |_| Ok(Script::send([frames::goaway(0, E::NO_ERROR).build(), frames::ping(*b"h2pafter").build()], Expectation::ping_ack(*b"h2pafter").after_our_goaway(E::NO_ERROR)).no_fence()),
        reactions: &[AFTER_OUR_GOAWAY],
        ..should(S)
    },
    Case {
        id: "rfc9113/6.8/bad-length",
        description: "Sends a GOAWAY frame of 4 octets, too short for its Last-Stream-ID and Error Code",
        requirement: "RFC 9113 §4.2: An endpoint MUST send an error code of FRAME_SIZE_ERROR if a frame … is too small to contain mandatory frame data. A frame size error in a frame that could alter the state of the entire connection MUST be treated as a connection error (Section 5.4.1); this includes … any frame with a stream identifier of 0.",
        script: |_| Ok(Script::send([frames::raw(FrameType::GOAWAY).payload([0, 0, 0, 0])], ce(&[E::FRAME_SIZE_ERROR]))),
        // GOAWAY(PROTOCOL_ERROR), as hyper sends, is the generic code (§5.4): an alternative.
        // A graceful GOAWAY(NO_ERROR) and close reports no error: not the one required.
        reactions: &[&ce_rows(E::FRAME_SIZE_ERROR), &[row(GoAway(E::NO_ERROR), Fail)]],
        ..must(S)
    },
];
