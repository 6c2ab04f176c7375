//! RFC 9113 §6.1: DATA frames sent by the server.

use super::*;
use h2probe_codec::frame::flags;
use h2probe_harness::case::Script;

const S: &str = "RFC 9113 §6.1";

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "client/rfc9113/6.1/data-on-stream-zero",
        description: "Sends a DATA frame on stream 0",
        requirement: "DATA frames MUST be associated with a stream. If a DATA frame is received whose Stream Identifier field is 0x00, the recipient MUST respond with a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
        script: |_| Ok(Script::send([frames::raw(FrameType::DATA).payload(filler(4))], ce(&[E::PROTOCOL_ERROR]))),
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..client(S)
    },
    Case {
        id: "client/rfc9113/6.1/pad-length-too-large",
        description: "Sends response DATA whose Pad Length equals the frame's payload length",
        requirement: "If the length of the padding is the length of the frame payload or greater, the recipient MUST treat this as a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
        script: |ctx| {
            let s = ctx.stream();
            // Pad Length 5 in a 5-octet payload: one octet of length, four of "data".
            let data = frames::raw(FrameType::DATA).stream(s).flags(flags::PADDED).payload([5u8, 0, 0, 0, 0]);
            Ok(Script::send([ctx.response_headers(s, 200).build().into(), h2probe_harness::conn::Outgoing::from(data)], ce(&[E::PROTOCOL_ERROR])))
        },
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..client(S)
    },
    Case {
        id: "client/rfc9113/6.1/padded-data",
        description: "Sends the response body in a padded DATA frame (255 octets of padding)",
        requirement: "Padding: Padding octets that contain no application semantic value. Padding octets MUST be set to zero when sending. A receiver is not obligated to verify padding but MAY treat non-zero padding as a connection error (Section 5.4.1) of type PROTOCOL_ERROR. (Zero padding must simply be removed.)",
        script: |ctx| {
            let s = ctx.stream();
            let body = frames::data(s, ctx.marker.clone()).padded(255).end_stream().build();
            Ok(Script::send([ctx.response_headers(s, 200).build(), body], accepted(s)))
        },
        reactions: &[ACCEPTED_ROWS],
        ..client(S)
    },
    Case {
        id: "client/rfc9113/6.1/empty-data-end-stream",
        description: "Sends the body, then ends the stream with an empty DATA frame",
        requirement: "END_STREAM (0x01): When set, the END_STREAM flag indicates that this frame is the last that the endpoint will send for the identified stream.",
        script: |ctx| {
            let s = ctx.stream();
            Ok(Script::send(
                [ctx.response_headers(s, 200).build(), frames::data(s, ctx.marker.clone()).build(), frames::data(s, Vec::new()).end_stream().build()],
                accepted(s),
            ))
        },
        reactions: &[ACCEPTED_ROWS],
        ..client(S)
    },
    Case {
        id: "client/rfc9113/6.1/body-in-one-octet-frames",
        description: "Sends the response body one octet per DATA frame",
        requirement: "DATA frames (type=0x00) convey arbitrary, variable-length sequences of octets associated with a stream. One or more DATA frames are used, for instance, to carry HTTP request or response message contents.",
        script: |ctx| {
            let s = ctx.stream();
            let mut f = vec![ctx.response_headers(s, 200).build()];
            f.extend(ctx.marker.iter().map(|b| frames::data(s, vec![*b]).build()));
            f.push(frames::data(s, Vec::new()).end_stream().build());
            Ok(Script::send(f, accepted(s)))
        },
        reactions: &[ACCEPTED_ROWS],
        ..client(S)
    },
];
