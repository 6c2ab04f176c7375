//! RFC 9113 §6.7: PING from the server.

use super::*;
use h2probe_harness::case::Script;

const S: &str = "RFC 9113 §6.7";

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "client/rfc9113/6.7/ping-answered",
        description: "Sends a PING while the request waits; the ACK must echo its payload",
        requirement: "Receivers of a PING frame that does not include an ACK flag MUST send a PING frame with the ACK flag set in response, with an identical frame payload.",
        script: |_| Ok(Script::send([frames::ping(*b"h2pclien").build()], Expectation::ping_ack(*b"h2pclien"))),
        reactions: &[ANSWERED_ROWS],
        ..client(S)
    },
    Case {
        id: "client/rfc9113/6.7/ping-ack-not-answered",
        description: "Sends a PING with the ACK flag, which must not be answered",
        requirement: "An endpoint MUST NOT respond to PING frames containing this flag.",
        script: |_| Ok(Script::send([frames::ping(*b"unsolict").ack().build()], Expectation::NotAnswered(*b"unsolict"))),
        reactions: &[&[
            row(Ignore, Pass),
            row(Drop, Pass),
            row(GoAway(E::PROTOCOL_ERROR), Alternative),
            row(Close, Alternative),
            row(EchoAcks, Fail),
            row(PingBack, Fail),
        ]],
        ..client(S)
    },
    Case {
        id: "client/rfc9113/6.7/ping-on-stream",
        description: "Sends a PING on stream 1",
        requirement: "If a PING frame is received with a Stream Identifier field value other than 0x00, the recipient MUST respond with a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
        script: |_| Ok(Script::send([frames::raw(FrameType::PING).stream(1).payload(filler(8))], ce(&[E::PROTOCOL_ERROR]))),
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..client(S)
    },
    Case {
        id: "client/rfc9113/6.7/ping-too-long",
        description: "Sends a PING of 9 octets",
        requirement: "Receipt of a PING frame with a length field value other than 8 MUST be treated as a connection error (Section 5.4.1) of type FRAME_SIZE_ERROR.",
        script: |_| Ok(Script::send([frames::raw(FrameType::PING).payload(filler(9))], ce(&[E::FRAME_SIZE_ERROR]))),
        reactions: &[&ce_rows(E::FRAME_SIZE_ERROR)],
        ..client(S)
    },
];
