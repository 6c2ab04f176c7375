//! RFC 9113 §6.8: GOAWAY from the server, where the request was processed. (GOAWAY that
//! leaves the request unprocessed is §8.7's business: s8_7_reliability.)

use super::*;
use h2probe_harness::case::Script;

const S: &str = "RFC 9113 §6.8";

/// Streams at or below a GOAWAY's last stream id may still complete; RFC 9113 says so, and
/// builds graceful shutdown on it, but puts no MUST on the receiver: these run at SHOULD
/// level (`--strict`), as interoperability checks.
const COMPLETES: &str = "The GOAWAY frame (type=0x07) is used to initiate shutdown of a connection or to signal serious error conditions. GOAWAY allows an endpoint to gracefully stop accepting new streams while still finishing processing of previously established streams. … Activity on streams numbered lower than or equal to the last stream identifier might still complete successfully. (No MUST binds the receiver here, so this is an interoperability check at SHOULD level: a client that fails a request the server said it is still processing breaks graceful shutdown.)";

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "client/rfc9113/6.8/goaway-on-stream",
        description: "Sends a GOAWAY frame on stream 1",
        requirement: "An endpoint MUST treat a GOAWAY frame with a stream identifier other than 0x00 as a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
        script: |_| Ok(Script::send([frames::raw(FrameType::GOAWAY).stream(1).payload([0, 0, 0, 1, 0, 0, 0, 0])], ce(&[E::PROTOCOL_ERROR]))),
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..client(S)
    },
    Case {
        id: "client/rfc9113/6.8/goaway-too-short",
        description: "Sends a GOAWAY frame of 7 octets (no room for the error code)",
        requirement: "An endpoint MUST send an error code of FRAME_SIZE_ERROR if a frame exceeds the size defined in SETTINGS_MAX_FRAME_SIZE, exceeds any limit defined for the frame type, or is too small to contain mandatory frame data. (GOAWAY is on stream 0: a frame size error there is a connection error, §4.2.)",
        script: |_| Ok(Script::send([frames::raw(FrameType::GOAWAY).payload([0, 0, 0, 1, 0, 0, 0])], ce(&[E::FRAME_SIZE_ERROR]))),
        reactions: &[&ce_rows(E::FRAME_SIZE_ERROR)],
        ..client("RFC 9113 §4.2")
    },
    Case {
        id: "client/rfc9113/6.8/goaway-before-response",
        description: "Sends GOAWAY(NO_ERROR) whose last stream id covers the request, then the response",
        requirement: COMPLETES,
        script: |ctx| {
            let s = ctx.stream();
            let mut f = vec![frames::goaway(s, E::NO_ERROR).build().into()];
            f.extend(ctx.respond(s));
            Ok(Script::send(f, accepted(s)))
        },
        reactions: &[ACCEPTED_ROWS],
        ..client_should(S)
    },
    Case {
        id: "client/rfc9113/6.8/graceful-two-step",
        description: "Sends GOAWAY(2^31-1, NO_ERROR), the response, then GOAWAY(NO_ERROR) with the request's stream",
        requirement: "A server that is attempting to gracefully shut down a connection SHOULD send an initial GOAWAY frame with the last stream identifier set to 2^31-1 and a NO_ERROR code. An endpoint MAY send multiple GOAWAY frames if circumstances change. (As goaway-before-response: an interoperability check at SHOULD level.)",
        script: |ctx| {
            let s = ctx.stream();
            let mut f = vec![frames::goaway(0x7fff_ffff, E::NO_ERROR).build().into()];
            f.extend(ctx.respond(s));
            f.push(frames::goaway(s, E::NO_ERROR).build().into());
            Ok(Script::send(f, accepted(s)))
        },
        reactions: &[ACCEPTED_ROWS],
        ..client_should(S)
    },
    Case {
        id: "client/rfc9113/6.8/goaway-with-debug-data",
        description: "Sends the response, then GOAWAY(NO_ERROR) covering the request with 64 octets of debug data",
        requirement: "Additional debug data is intended for diagnostic purposes only and carries no semantic value. (An interoperability check at SHOULD level: the request was answered before the GOAWAY, whose last stream id covers it.)",
        script: |ctx| {
            let s = ctx.stream();
            let mut f = ctx.respond(s);
            f.push(frames::goaway(s, E::NO_ERROR).debug(filler(64)).build().into());
            Ok(Script::send(f, accepted(s)))
        },
        reactions: &[ACCEPTED_ROWS],
        ..client_should(S)
    },
    Case {
        id: "client/rfc9113/7/goaway-unknown-code",
        description: "Sends the response, then GOAWAY with an undefined error code (0xf00d) covering the request",
        requirement: "Unknown or unsupported error codes MUST NOT trigger any special behavior. These MAY be treated by an implementation as being equivalent to INTERNAL_ERROR. (The request was answered before the GOAWAY, whose last stream id covers it: an error GOAWAY is no reason to fail it. An interoperability check at SHOULD level.)",
        script: |ctx| {
            let s = ctx.stream();
            let mut f = ctx.respond(s);
            f.push(frames::goaway(s, h2probe_codec::ErrorCode(0xf00d)).build().into());
            Ok(Script::send(f, accepted(s)))
        },
        reactions: &[ACCEPTED_ROWS],
        ..client_should("RFC 9113 §7")
    },
];
