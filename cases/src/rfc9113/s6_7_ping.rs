//! RFC 9113 §6.7: PING.

use crate::common::*;
use h2probe_harness::case::{Case, Script};
use h2probe_harness::expectation::Expectation;

const S: &str = "RFC 9113 §6.7";

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "rfc9113/6.7/ack-echoes-payload",
        h2spec: Some("http2/6.7/1"),
        description: "Sends a PING; the ACK must carry the same opaque data",
        requirement: "Receivers of a PING frame that does not include an ACK flag MUST send a PING frame with the ACK flag set in response, with an identical frame payload.",
        script: |_| Ok(Script::send([frames::ping(*b"h2probe!")], Expectation::ping_ack(*b"h2probe!"))),
        reactions: &[ANSWERED_ROWS],
        ..must(S)
    },
    Case {
        id: "rfc9113/6.7/ack-not-answered",
        h2spec: Some("http2/6.7/2"),
        description: "Sends a PING with ACK set, which must not be answered",
        requirement: "An endpoint MUST NOT respond to PING frames containing this flag. (Nothing requires keeping the connection: §5.4.1 \"An endpoint can end a connection at any time\", so a close or a GOAWAY passes as an alternative; Node closes on an unsolicited PING ACK.)",
        script: |_| Ok(Script::send([frames::ping(*b"unsolict").ack()], Expectation::NotAnswered(*b"unsolict"))),
        reactions: &[&[
            row(Ignore, Pass),
            row(Drop, Pass),
            row(GoAwayOpen(E::PROTOCOL_ERROR), Alternative),
            row(GoAway(E::PROTOCOL_ERROR), Alternative),
            row(Close, Alternative),
            row(EchoAcks, Fail),
            row(PingBack, Fail),
        ]],
        ..must(S)
    },
    Case {
        id: "rfc9113/6.7/nonzero-stream",
        h2spec: Some("http2/6.7/3"),
        description: "Sends a PING on stream 1",
        requirement: "If a PING frame is received with a Stream Identifier field value other than 0x00, the recipient MUST respond with a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
        script: |_| Ok(Script::send([frames::raw(FrameType::PING).stream(1).payload(filler(8))], ce(&[E::PROTOCOL_ERROR]))),
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..must(S)
    },
    Case {
        id: "rfc9113/6.7/bad-length",
        h2spec: Some("http2/6.7/4"),
        description: "Sends a PING of 6 octets",
        requirement: "Receipt of a PING frame with a length field value other than 8 MUST be treated as a connection error (Section 5.4.1) of type FRAME_SIZE_ERROR.",
        script: |_| Ok(Script::send([frames::raw(FrameType::PING).payload(filler(6))], ce(&[E::FRAME_SIZE_ERROR]))),
        reactions: &[&ce_rows(E::FRAME_SIZE_ERROR)],
        ..must(S)
    },
    Case {
        id: "rfc9113/6.7/accepts-ping",
        h2spec: Some("generic/3.7/1"),
        description: "Sends a PING with arbitrary opaque data",
        requirement: "The PING frame (type=0x06) is a mechanism for measuring a minimal round-trip time from the sender, as well as determining whether an idle connection is still functional.",
        script: |_| Ok(Script::send([frames::ping([0, 1, 2, 3, 4, 5, 6, 7])], Expectation::ping_ack([0, 1, 2, 3, 4, 5, 6, 7]))),
        reactions: &[ANSWERED_ROWS],
        ..must(S)
    },
    Case {
        id: "rfc9113/6.7/ack-bad-length",
        description: "Sends a PING with the ACK flag and a 6-octet payload",
        requirement: "Receipt of a PING frame with a length field value other than 8 MUST be treated as a connection error (Section 5.4.1) of type FRAME_SIZE_ERROR. (The rule has no exception for ACKs.)",
        script: |_| {
            Ok(Script::send(
                [frames::raw(FrameType::PING).flags(h2probe_codec::frame::flags::ACK).payload(*b"h2pack")],
                ce(&[E::FRAME_SIZE_ERROR]),
            ))
        },
        reactions: &[&ce_rows(E::FRAME_SIZE_ERROR)],
        ..must(S)
    },
];
