//! RFC 9113 §8.1: HTTP message framing, and §8.1.1 malformed messages (content-length).

use crate::common::*;
use h2probe_harness::case::{Case, Script};

const S: &str = "RFC 9113 §8.1";
const S1: &str = "RFC 9113 §8.1.1";
const CONTENT_LENGTH: &str = "A request or response is also malformed if the value of a content-length header field does not equal the sum of the DATA frame payload lengths that form the content, unless the message is defined as having no content. … Malformed requests or responses that are detected MUST be treated as a stream error (Section 5.4.2) of type PROTOCOL_ERROR.";

/// A POST with `content-length` whose body follows only once the server is seen not to
/// have answered yet (an early answer would predate the malformation).
fn body_after_check(ctx: &h2probe_harness::case::Ctx, content_length: &str, body: Vec<h2probe_codec::frame::Frame>) -> Result<Script, String> {
    Ok(Script::steps(
        vec![send([ctx.post(1).set("content-length", content_length)]), Step::NoResponseYet(StreamId(1)), send(body)],
        malformed(1),
    ))
}

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "rfc9113/8.1/second-headers-without-end-stream",
        h2spec: Some("http2/8.1/1"),
        description: "Sends a POST, a DATA frame, then a trailer HEADERS without END_STREAM",
        requirement: "An endpoint that receives a HEADERS frame without the END_STREAM flag set after receiving the HEADERS frame that opens a request or after receiving a final (non-informational) status code MUST treat the corresponding request or response as malformed (Section 8.1.1).",
        script: |ctx| {
            Ok(Script::steps(
                vec![send([ctx.post(1)]), Step::NoResponseYet(StreamId(1)), send([frames::data(1, filler(4)).build(), frames::headers(1).field("x-test", "ok").build()])],
                malformed(1),
            ))
        },
        ..must(S)
    },
    Case {
        id: "rfc9113/8.1/accepts-get",
        h2spec: Some("generic/4/1"),
        description: "Sends a GET request",
        requirement: "A client sends an HTTP request on a new stream, using a previously unused stream identifier (Section 5.1.1).",
        script: |ctx| Ok(Script::send([ctx.get(1)], response(1))),
        ..must(S)
    },
    Case {
        id: "rfc9113/8.1/accepts-head",
        h2spec: Some("generic/4/2"),
        description: "Sends a HEAD request",
        requirement: "A client sends an HTTP request on a new stream, using a previously unused stream identifier (Section 5.1.1).",
        script: |ctx| Ok(Script::send([ctx.request(1, "HEAD").end_stream()], response(1))),
        ..must(S)
    },
    Case {
        id: "rfc9113/8.1/accepts-post",
        h2spec: Some("generic/4/3"),
        description: "Sends a POST request with a body",
        requirement: "An HTTP message (request or response) consists of: one HEADERS frame … zero or more DATA frames containing the message content.",
        script: |ctx| Ok(Script::send([ctx.post(1).set("content-length", "4").build(), frames::data(1, filler(4)).end_stream().build()], response(1))),
        ..must(S)
    },
    Case {
        id: "rfc9113/8.1/accepts-trailers",
        h2spec: Some("generic/4/4"),
        description: "Sends a POST request with a body and a trailer section",
        requirement: "An HTTP message (request or response) consists of: … optionally, one HEADERS frame containing the trailer section, if present.",
        script: |ctx| {
            Ok(Script::send(
                [ctx.post(1).build(), frames::data(1, filler(4)).build(), frames::headers(1).field("x-trailer", "ok").end_stream().build()],
                response(1),
            ))
        },
        ..must(S)
    },
    Case {
        id: "rfc9113/8.1.1/content-length-too-large",
        h2spec: Some("http2/8.1.2.6/1"),
        description: "Sends a POST with content-length: 1 and 4 octets of DATA",
        requirement: CONTENT_LENGTH,
        script: |ctx| body_after_check(ctx, "1", vec![frames::data(1, filler(4)).end_stream().build()]),
        ..must(S1)
    },
    Case {
        id: "rfc9113/8.1.1/content-length-sum-mismatch",
        h2spec: Some("http2/8.1.2.6/2"),
        description: "Sends a POST with content-length: 1 and two DATA frames of 4 octets",
        requirement: CONTENT_LENGTH,
        script: |ctx| body_after_check(ctx, "1", vec![frames::data(1, filler(4)).build(), frames::data(1, filler(4)).end_stream().build()]),
        ..must(S1)
    },
    Case {
        id: "rfc9113/8.1.1/content-length-too-small",
        description: "Sends a POST with content-length: 8 and only 4 octets of DATA before END_STREAM",
        requirement: CONTENT_LENGTH,
        script: |ctx| body_after_check(ctx, "8", vec![frames::data(1, filler(4)).end_stream().build()]),
        ..must(S1)
    },
    Case {
        id: "rfc9113/8.1.1/content-length-with-end-stream-headers",
        description: "Sends a POST with content-length: 4 whose HEADERS frame already carries END_STREAM",
        requirement: CONTENT_LENGTH,
        script: |ctx| Ok(Script::send([ctx.post(1).set("content-length", "4").end_stream()], malformed(1))),
        ..must(S1)
    },
    Case {
        id: "rfc9113/8.1.1/content-length-not-a-number",
        description: "Sends a POST with content-length: four and 4 octets of DATA",
        requirement: CONTENT_LENGTH,
        script: |ctx| {
            Ok(Script::steps(
                vec![
                    send([ctx.post(1).set("content-length", "four")]),
                    Step::NoResponseYet(StreamId(1)),
                    send([frames::data(1, filler(4)).end_stream()]),
                ],
                malformed(1),
            ))
        },
        ..must(S1)
    },
    Case {
        id: "rfc9113/8.1.1/content-length-zero-with-end-stream",
        description: "Sends a POST with content-length: 0 whose HEADERS frame carries END_STREAM; it must be served",
        requirement: CONTENT_LENGTH,
        script: |ctx| Ok(Script::send([ctx.post(1).set("content-length", "0").end_stream()], response(1))),
        ..must(S1)
    },
];
