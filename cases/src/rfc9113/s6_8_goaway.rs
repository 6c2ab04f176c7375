//! RFC 9113 §6.8: GOAWAY.

use crate::common::*;
use h2probe_harness::case::{Case, Script};
use h2probe_harness::expectation::Expectation;

const S: &str = "RFC 9113 §6.8";

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "rfc9113/6.8/nonzero-stream",
        h2spec: Some("http2/6.8/1"),
        description: "Sends a GOAWAY frame on stream 1",
        requirement: "An endpoint MUST treat a GOAWAY frame with a stream identifier other than 0x00 as a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
        script: |_| Ok(Script::send([frames::raw(FrameType::GOAWAY).stream(1).payload([0, 0, 0, 0, 0, 0, 0, 0])], ce(&[E::PROTOCOL_ERROR]))),
        ..must(S)
    },
    Case {
        id: "rfc9113/6.8/accepts-goaway",
        h2spec: Some("generic/3.8/1"),
        description: "Sends GOAWAY(NO_ERROR); the server may close, or keep answering PINGs",
        requirement: "The GOAWAY frame (type=0x07) is used to initiate shutdown of a connection or to signal serious error conditions. … Endpoints SHOULD always send a GOAWAY frame before closing a connection so that the remote peer can know whether a stream has been partially processed or not.",
        script: |_| Ok(Script::send([frames::goaway(0, E::NO_ERROR)], Expectation::Ignored { close_ok: true })),
        ..must(S)
    },
    Case {
        id: "rfc9113/6.8/bad-length",
        description: "Sends a GOAWAY frame of 4 octets, too short for its Last-Stream-ID and Error Code",
        requirement: "RFC 9113 §4.2: An endpoint MUST send an error code of FRAME_SIZE_ERROR if a frame … is too small to contain mandatory frame data. A frame size error in a frame that could alter the state of the entire connection MUST be treated as a connection error (Section 5.4.1); this includes … any frame with a stream identifier of 0.",
        script: |_| Ok(Script::send([frames::raw(FrameType::GOAWAY).payload([0, 0, 0, 0])], ce(&[E::FRAME_SIZE_ERROR]))),
        ..must(S)
    },
];
