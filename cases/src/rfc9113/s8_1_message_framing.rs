//! RFC 9113 §8.1: HTTP message framing, and §8.1.1 malformed messages (content-length).

use crate::common::*;
use h2probe_harness::case::{Case, Script};

const S: &str = "RFC 9113 §8.1";
const S1: &str = "RFC 9113 §8.1.1";
const CONTENT_LENGTH: &str = "A request or response is also malformed if the value of a content-length header field does not equal the sum of the DATA frame payload lengths that form the content, unless the message is defined as having no content. … Malformed requests or responses that are detected MUST be treated as a stream error (Section 5.4.2) of type PROTOCOL_ERROR. For malformed requests, a server MAY send an HTTP response prior to closing or resetting the stream.";

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
        description: "Sends a POST (content-length: 4), its 4 octets of DATA, then a trailer HEADERS without END_STREAM",
        requirement: "An endpoint that receives a HEADERS frame without the END_STREAM flag set after receiving the HEADERS frame that opens a request or after receiving a final (non-informational) status code MUST treat the corresponding request or response as malformed (Section 8.1.1).",
        script: |ctx| {
            Ok(Script::steps(
                vec![
                    send([ctx.post_sized(1, 4)]),
                    Step::NoResponseYet(StreamId(1)),
                    send([frames::data(1, filler(4)).build(), frames::headers(1).field("x-test", "ok").build()]),
                ],
                malformed(1),
            ))
        },
        reactions: &[&malformed_rows(1)],
        ..must(S)
    },
    Case {
        id: "rfc9113/8.1/accepts-get",
        h2spec: Some("generic/4/1"),
        description: "Sends a GET request",
        requirement: "A client sends an HTTP request on a new stream, using a previously unused stream identifier (Section 5.1.1). A server sends an HTTP response on the same stream as the request.",
        script: |ctx| Ok(Script::send([ctx.get(1)], response(1))),
        reactions: &[&served_rows(1)],
        ..must(S)
    },
    Case {
        id: "rfc9113/8.1/accepts-head",
        h2spec: Some("generic/4/2"),
        description: "Sends a HEAD request",
        requirement: "A client sends an HTTP request on a new stream, using a previously unused stream identifier (Section 5.1.1). A server sends an HTTP response on the same stream as the request.",
        script: |ctx| Ok(Script::send([ctx.request(1, "HEAD").end_stream()], response(1))),
        reactions: &[&served_rows(1)],
        ..must(S)
    },
    Case {
        id: "rfc9113/8.1/accepts-trailers",
        h2spec: Some("generic/4/4"),
        description: "Sends a POST request (content-length: 4) with a 4-octet body and a trailer section",
        requirement: "An HTTP message (request or response) consists of: … 3. optionally, one HEADERS frame (followed by zero or more CONTINUATION frames) containing the trailer section, if present (see Section 6.5 of [HTTP]). (The POST carries a content-length, so a server that requires one, as lighttpd does with 411, still reaches the trailers.)",
        script: |ctx| {
            Ok(Script::send(
                [ctx.post_sized(1, 4).build(), frames::data(1, filler(4)).build(), frames::headers(1).field("x-trailer", "ok").end_stream().build()],
                response(1),
            ))
        },
        reactions: &[&served_rows(1)],
        ..must(S)
    },
    Case {
        id: "rfc9113/8.1.1/content-length-too-large",
        h2spec: Some("http2/8.1.2.6/1"),
        description: "Sends a POST with content-length: 1 and 4 octets of DATA",
        requirement: CONTENT_LENGTH,
        script: |ctx| body_after_check(ctx, "1", vec![frames::data(1, filler(4)).end_stream().build()]),
        reactions: &[&malformed_rows(1)],
        ..must(S1)
    },
    Case {
        id: "rfc9113/8.1.1/content-length-sum-mismatch",
        h2spec: Some("http2/8.1.2.6/2"),
        description: "Sends a POST with content-length: 1 and two DATA frames of 4 octets",
        requirement: CONTENT_LENGTH,
        script: |ctx| body_after_check(ctx, "1", vec![frames::data(1, filler(4)).build(), frames::data(1, filler(4)).end_stream().build()]),
        reactions: &[&malformed_rows(1)],
        ..must(S1)
    },
    Case {
        id: "rfc9113/8.1.1/content-length-too-small",
        description: "Sends a POST with content-length: 8 and only 4 octets of DATA before END_STREAM",
        requirement: CONTENT_LENGTH,
        script: |ctx| body_after_check(ctx, "8", vec![frames::data(1, filler(4)).end_stream().build()]),
        reactions: &[&malformed_rows(1)],
        ..must(S1)
    },
    Case {
        id: "rfc9113/8.1.1/content-length-with-end-stream-headers",
        description: "Sends a POST with content-length: 4 whose HEADERS frame already carries END_STREAM (0 octets of content)",
        requirement: "A request or response is also malformed if the value of a content-length header field does not equal the sum of the DATA frame payload lengths that form the content, unless the message is defined as having no content. … Malformed requests or responses that are detected MUST be treated as a stream error (Section 5.4.2) of type PROTOCOL_ERROR. For malformed requests, a server MAY send an HTTP response prior to closing or resetting the stream. (A POST request is not defined as having no content: content-length 4 against 0 octets of DATA is a mismatch. A response followed by RST_STREAM passes; a complete 2xx response means the malformed request was processed.)",
        script: |ctx| Ok(Script::send([ctx.post_sized(1, 4).end_stream()], malformed(1))),
        reactions: &[&malformed_rows(1)],
        ..must(S1)
    },
    Case {
        id: "rfc9113/8.1.1/content-length-not-a-number",
        description: "Sends a POST with content-length: four and 4 octets of DATA",
        requirement: "A request or response is also malformed if the value of a content-length header field does not equal the sum of the DATA frame payload lengths that form the content, unless the message is defined as having no content. … Malformed requests or responses that are detected MUST be treated as a stream error (Section 5.4.2) of type PROTOCOL_ERROR. (\"four\" equals no sum of payload lengths.)",
        script: |ctx| body_after_check(ctx, "four", vec![frames::data(1, filler(4)).end_stream().build()]),
        reactions: &[&malformed_rows(1)],
        ..must(S1)
    },
    Case {
        id: "rfc9113/8.1.1/content-length-zero-with-end-stream",
        description: "Sends a POST with content-length: 0 whose HEADERS frame carries END_STREAM; it must be served",
        requirement: "A request or response is also malformed if the value of a content-length header field does not equal the sum of the DATA frame payload lengths that form the content, unless the message is defined as having no content. (content-length 0 equals the 0 octets sent: the request is well-formed and must be served, not reset.)",
        script: |ctx| Ok(Script::send([ctx.post_sized(1, 0).end_stream()], response(1))),
        reactions: &[&served_rows(1)],
        ..must(S1)
    },
];
